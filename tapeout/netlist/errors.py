"""The error a bad netlist raises: one line naming the net, cell or pin at fault."""

from tapeout.errors import TapeoutError


class NetlistError(TapeoutError):
    """A netlist that cannot be read or breaks a connectivity rule."""
