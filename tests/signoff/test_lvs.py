import pytest

from tapeout.signoff.graph import TimingGraph
from tapeout.signoff.lvs import DefError, compare_connectivity, read_def_connectivity

DEF = """VERSION 5.8 ;
DESIGN top ;
COMPONENTS 2 ;
- u1 INV + PLACED ( 0 0 ) N ;
- u2 {u2} + PLACED ( 1380 0 ) N ;
END COMPONENTS
PINS 2 ;
- a + NET a + DIRECTION INPUT ;
END PINS
NETS 3 ;
- a ( PIN a ) ( u1 A ) ;
- n ( u1 Y ) ( u2 A ) + USE SIGNAL ;
{y}END NETS
END DESIGN
"""


def reference(library):
    return TimingGraph.from_connections(library, {"u1": "INV", "u2": "INV"},
                                        {"a": ["a", "u1/A"], "n": ["u1/Y", "u2/A"],
                                         "y": ["u2/Y", "y"]}, inputs=["a"], outputs=["y"])


def test_clean_layout_matches(tmp_path, library):
    path = tmp_path / "ok.def"
    path.write_text(DEF.format(u2="INV", y="- y ( u2 Y ) ( PIN y ) ;\n"))
    assert compare_connectivity(path, reference(library)) == []
    assert read_def_connectivity(path).instances == {"u1": "INV", "u2": "INV"}


def test_dropped_net_and_swapped_cell(tmp_path, library):
    path = tmp_path / "bad.def"
    path.write_text(DEF.format(u2="DFF", y=""))
    found = [str(m) for m in compare_connectivity(path, reference(library))]
    assert found == ["type_mismatch: u2: layout DFF, netlist INV",
                     "dropped_net: y: none of its 2 pins is connected"]


def test_pin_on_another_net_and_bad_file(tmp_path, library):
    path = tmp_path / "moved.def"
    path.write_text(DEF.format(u2="INV", y="- y ( u2 Y ) ( PIN y ) ( u2 A ) ;\n")
                    .replace("- n ( u1 Y ) ( u2 A )", "- n ( u1 Y )"))
    found = [str(m) for m in compare_connectivity(path, reference(library))]
    assert found == ["pin_on_different_net: u2/A: on net y, netlist net n"]
    (tmp_path / "x.def").write_text("VERSION 5.8 ;\n")
    with pytest.raises(DefError, match="x.def: no COMPONENTS section"):
        read_def_connectivity(tmp_path / "x.def")


def test_physical_only_cells_are_not_extra_instances(tmp_path, library):
    """Well taps (and fillers) are in the layout, not in the netlist: named as physical-only cells they
    are no mismatch; an instance of any other master still is."""
    path = tmp_path / "taps.def"
    path.write_text(DEF.format(u2="INV", y="- y ( u2 Y ) ( PIN y ) ;\n")
                    .replace("COMPONENTS 2 ;", "COMPONENTS 4 ;\n- TAP_0 TAPCELL + FIXED ( 0 0 ) N ;\n"
                             "- x9 INV + PLACED ( 0 0 ) N ;"))
    found = [str(m) for m in compare_connectivity(path, reference(library), physical_cells={"TAPCELL"})]
    assert found == ["extra_instance: x9: INV not in the netlist"]
    assert "extra_instance: TAP_0: TAPCELL not in the netlist" in \
        [str(m) for m in compare_connectivity(path, reference(library))]
