"""The error a bad netlist raises: one line naming the net, cell or pin at fault."""

from tapeout.errors import StageError


class NetlistError(StageError):
    """A netlist that cannot be read or breaks a connectivity rule."""
