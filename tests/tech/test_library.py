import json

import numpy as np
import pytest

from tapeout.tech.library import LibertyError, default_library, load_library, parse_library
from tapeout.tech.library_cache import library_to_data

TWO_CELLS = """
library (tiny) {
  time_unit : "1ns";
  capacitive_load_unit (1, pf);
  lu_table_template (t2x2) {
    variable_1 : input_net_transition;
    variable_2 : total_output_net_capacitance;
    index_1 ("0.1, 0.5");
    index_2 ("0.01, 0.05");
  }
  cell (MYINV) {
    area : 2.5024;
    cell_leakage_power : 0.5;
    pin (A) { direction : input; capacitance : 0.002; }
    pin (Y) {
      direction : output;
      function : "!A";
      max_capacitance : 0.05;
      timing () {
        related_pin : "A";
        timing_sense : negative_unate;
        cell_rise (t2x2) { values ("0.1, 0.3", "0.2, 0.4"); }
        cell_fall (t2x2) { index_1 ("0.1, 1.0"); index_2 ("0.01, 0.1"); values ("1, 2", "3, 4"); }
      }
    }
  }
  cell (MYDFF) {
    area : 20.0192;
    ff (IQ, IQN) { next_state : "D"; clocked_on : "CK"; }
    pin (D) { direction : input; capacitance : 0.001;
      timing () { related_pin : "CK"; timing_type : setup_rising;
        rise_constraint (scalar) { values ("0.12"); } } }
    pin (CK) { direction : input; clock : true; capacitance : 0.0015; }
    pin (Q) { direction : output; function : "IQ"; }
  }
}
"""


def test_parse_hand_made_two_cell_library():
    lib = parse_library(TWO_CELLS)
    assert lib.name == "tiny"
    assert list(lib.names) == ["MYINV", "MYDFF"]
    assert np.allclose(lib.area_um2, [2.5024, 20.0192])
    assert list(lib.width_sites) == [2, 16]
    assert list(lib.is_sequential) == [False, True]
    inv = lib["MYINV"]
    assert inv.pins["A"].capacitance == pytest.approx(0.002)
    assert inv.pins["Y"].function == "!A"
    assert inv.pins["Y"].max_capacitance == pytest.approx(0.05)
    arc = inv.arc("A", "Y")
    assert arc.timing_sense == "negative_unate"
    # Template indices are used when the table has none.
    assert arc.tables["cell_rise"](0.3, 0.03) == pytest.approx(0.25)
    assert arc.tables["cell_fall"](1.0, 0.1) == pytest.approx(4.0)
    dff = lib["MYDFF"]
    assert dff.flop == {"state": ["IQ", "IQN"], "next_state": "D", "clocked_on": "CK"}
    assert dff.pins["CK"].is_clock
    assert dff.checks[0].timing_type == "setup_rising"
    assert dff.checks[0].tables["rise_constraint"](0.5) == pytest.approx(0.12)


def test_shipped_library_contents():
    lib = default_library()
    assert lib.name == "tap130"
    nand = lib["NAND2_1"]
    assert nand.area_um2 == pytest.approx(3.7536)
    assert nand.width_sites == 3
    assert nand.pins["A"].capacitance == pytest.approx(0.0023)
    assert nand.leakage_nw == pytest.approx(0.00212, rel=0.01)
    arc = nand.arc("A", "Y")
    for name in ("cell_rise", "cell_fall", "rise_transition", "fall_transition"):
        assert arc.tables[name].values.shape == (7, 7)
    # Interpolation at a grid point gives the stored value.
    t = arc.tables["cell_fall"]
    assert t(t.index_1[3], t.index_2[2]) == pytest.approx(t.values[3, 2])
    dffr = lib["DFFR_1"]
    assert dffr.flop["clear"] == "!RESET_B"
    assert {c.timing_type for c in dffr.checks} == {"setup_rising", "hold_rising",
                                                   "recovery_rising", "removal_rising"}
    assert any(p.pin == "CLK" and p.related_pin == "" for p in dffr.power)
    assert lib["CLKBUF_8"].is_clock_cell and lib["CLKBUF_8"].dont_use
    assert lib.index("INV_1") == 0


def test_cache_round_trip(tmp_path, monkeypatch):
    monkeypatch.setenv("TAPEOUT_CACHE_DIR", str(tmp_path))
    path = tmp_path / "tiny.lib"
    path.write_text(TWO_CELLS)
    first = load_library(path)
    (cache,) = tmp_path.glob("liberty-*.json")
    second = load_library(path)
    assert list(second.names) == list(first.names)
    assert second["MYINV"].arc("A", "Y").tables["cell_rise"](0.1, 0.01) == pytest.approx(0.1)
    assert library_to_data(second) == library_to_data(first)


def test_a_damaged_or_edited_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("TAPEOUT_CACHE_DIR", str(tmp_path))
    path = tmp_path / "tiny.lib"
    path.write_text(TWO_CELLS)
    load_library(path)
    (cache,) = tmp_path.glob("liberty-*.json")
    cache.write_text(cache.read_text().replace('"MYINV"', '"EVIL"'))  # payload no longer matches its digest
    assert "MYINV" in load_library(path).cells
    cache.write_bytes(cache.read_bytes()[:100])  # truncated
    assert "MYINV" in load_library(path).cells
    assert json.loads(cache.read_text())["payload"]["cells"][0]["name"] in ("MYINV", "MYBUF")


def test_missing_file(tmp_path):
    with pytest.raises(LibertyError, match=r"nope\.lib: cannot read Liberty file: No such file or directory"):
        load_library(tmp_path / "nope.lib", use_cache=False)


def test_garbage_is_one_line_error():
    with pytest.raises(LibertyError, match=r"^bad\.lib: not a valid Liberty file: ") as info:
        parse_library("library (x) { cell (A) { area : ; ", "bad.lib")
    assert "\n" not in str(info.value)


def test_wrong_top_group():
    with pytest.raises(LibertyError, match=r"top-level group must be 'library', not 'cell'"):
        parse_library("cell (A) { area : 1; }", "x.lib")


def test_unknown_cell():
    with pytest.raises(KeyError, match="cell 'NAND9_1' is not in library tap130"):
        default_library()["NAND9_1"]


RELATED_FIRST = """
library (related_first) {
  lu_table_template (vio) {
    variable_1 : related_pin_transition;
    variable_2 : constrained_pin_transition;
    index_1 ("0.01, 1.0");
    index_2 ("0.01, 1.0");
  }
  lu_table_template (pw) { variable_1 : related_pin_transition; index_1 ("0.01, 1.0"); }
  cell (DFF) {
    area : 20;
    ff (IQ, IQN) { next_state : "D"; clocked_on : "CK"; }
    pin (D) { direction : input; capacitance : 0.001;
      timing () { related_pin : "CK"; timing_type : setup_rising;
        rise_constraint (vio) { values ("0.1, 0.2", "0.3, 0.4"); } } }
    pin (CK) { direction : input; clock : true; capacitance : 0.0015;
      timing () { related_pin : "CK"; timing_type : min_pulse_width;
        rise_constraint (pw) { values ("0.5, 0.7"); } } }
    pin (Q) { direction : output; function : "IQ"; }
  }
}
"""


def test_constraint_tables_indexed_by_the_related_pin_first_are_transposed():
    # SKY130's constraint templates put the clock (related pin) transition first; the flow looks checks
    # up as (data transition, clock transition), so such tables are transposed on reading.
    dff = parse_library(RELATED_FIRST)["DFF"]
    setup = next(c for c in dff.checks if c.timing_type == "setup_rising").tables["rise_constraint"]
    # Liberty row = clock transition, column = data transition
    assert setup(1.0, 0.01) == pytest.approx(0.2)  # data 1.0 ns, clock 0.01 ns
    assert setup(0.01, 1.0) == pytest.approx(0.3)  # data 0.01 ns, clock 1.0 ns
    pulse = next(c for c in dff.checks if c.timing_type == "min_pulse_width").tables["rise_constraint"]
    assert pulse(0.0, 1.0) == pytest.approx(0.7)  # a 1-D table of the clock transition sits on index 2


def test_rise_and_fall_capacitance_are_kept_per_edge():
    lib = parse_library(TWO_CELLS.replace("pin (A) { direction : input; capacitance : 0.002; }",
                                          "pin (A) { direction : input; capacitance : 0.002; "
                                          "rise_capacitance : 0.0021; fall_capacitance : 0.0019; }"))
    a = lib["MYINV"].pins["A"]
    assert (a.edge_capacitance(0), a.edge_capacitance(1)) == (pytest.approx(0.0021), pytest.approx(0.0019))
    d = lib["MYDFF"].pins["D"]  # capacitance only: both edges see it
    assert d.edge_capacitance(0) == d.edge_capacitance(1) == pytest.approx(0.001)
