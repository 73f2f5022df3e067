"""Errors of the physical-design algorithms: one line each, naming what is wrong and where."""

from tapeout.errors import TapeoutError


class FloorplanError(TapeoutError):
    """A floorplan that cannot be made (utilisation over 1, a macro that does not fit the core)."""


class PlacementError(TapeoutError):
    """Cells that cannot be placed or legalised in the rows available."""


class FormatError(TapeoutError):
    """A DEF, LEF, Bookshelf or hand-off file that cannot be read."""


class ClockTreeError(TapeoutError):
    """A clock tree that cannot be built (no clock buffer in the library)."""
