"""Errors of the serving model that reach the user as one line."""

from tapeout.errors import TapeoutError


class ServeError(TapeoutError):
    """A serving question the chip or the model cannot answer as asked (the model does not fit, a tensor
    parallelism that does not divide the heads, a batch of 0)."""
