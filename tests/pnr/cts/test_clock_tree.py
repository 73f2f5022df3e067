import pytest

from tapeout.pnr.cts.clock_tree import clock_buffer_cell
from tapeout.pnr.errors import ClockTreeError
from tapeout.tech.library import default_library


class Cells(dict):
    """A library-like mapping of a few cells."""

    name = "small"

    @property
    def names(self):
        return list(self)


def test_the_clock_buffer_is_a_clock_cell_of_the_library():
    library = default_library()
    assert clock_buffer_cell(library) == "CLKBUF_4"
    assert library["CLKBUF_4"].is_clock_cell
    some = Cells({n: library[n] for n in ("CLKBUF_2", "CLKBUF_16", "BUF_4", "INV_1")})
    assert clock_buffer_cell(some) == "CLKBUF_2"  # nearest to drive 4 among the clock buffers


def test_a_library_without_clock_buffers_is_one_line():
    library = default_library()
    with pytest.raises(ClockTreeError, match="library small has no clock buffer .*add one to build a clock tree"):
        clock_buffer_cell(Cells({n: library[n] for n in ("BUF_4", "INV_1")}))
