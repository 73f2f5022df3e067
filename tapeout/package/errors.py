"""Errors of the packaging stage that reach the user as one line."""

from tapeout.errors import TapeoutError


class ReticleLimitError(TapeoutError):
    """A die that does not fit the lithography reticle (26 mm x 33 mm)."""


class InterposerOverflowError(TapeoutError):
    """Dies and HBM stacks that do not fit the chosen interposer's area limit."""
