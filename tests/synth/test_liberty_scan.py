"""Liberty scan: sequential cells and tie cells."""

from tapeout.synth.liberty_scan import sequential_cells, tie_cells
from tapeout.tech.generate import LIBERTY_PATH

from .conftest import MINI_LIB


def test_sequential_cells_of_the_small_library():
    assert sequential_cells(MINI_LIB.read_text()) == {"DFF"}


def test_sequential_cells_of_tap130():
    assert sequential_cells(LIBERTY_PATH.read_text()) == {
        "DFF_1", "DFF_2", "DFF_4", "DFFR_1", "DFFR_2", "DFFR_4"}


def test_tie_cells_of_tap130():
    assert tie_cells(LIBERTY_PATH.read_text()) == {"1": ("TIE_1", "HI"), "0": ("TIE_1", "LO")}


def test_no_tie_cells_in_small_library():
    assert tie_cells(MINI_LIB.read_text()) == {}


def test_dont_use_tie_cell_is_skipped():
    text = """library (t) {
  cell (TIEH) { dont_use : true; pin (Y) { direction : output; function : "1"; } }
  cell (TIEL) { pin (Y) { direction : output; function : "0"; } }
}"""
    assert tie_cells(text) == {"0": ("TIEL", "Y")}
