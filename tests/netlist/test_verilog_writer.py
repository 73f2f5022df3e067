"""Structural Verilog out: identifiers, buses, constants, and the Yosys round trip."""

from pathlib import Path

import pytest

from tapeout.netlist import netlist_from_json, read_yosys_json, validate, verilog_text, write_verilog
from tapeout.netlist.verilog_writer import identifier
from tapeout.synth import synthesize
from tapeout.synth.yosys_process import run_yosys_steps
from tapeout.tech.generate import LIBERTY_PATH
from tapeout.tech.library import load_library

from ..synth.conftest import MINI_LIB, assert_equivalent
from .conftest import DATA, json_module


def signature(netlist):
    """Connectivity independent of net names and order: cells with types, nets as endpoint sets."""
    def endpoint(pin):
        cell = int(netlist.pin_cell[pin])
        return ("port", netlist.pin_names[pin]) if cell < 0 else (netlist.cell_names[cell], netlist.pin_names[pin])

    cells = {(name, netlist.type_names[t]) for name, t in zip(netlist.cell_names, netlist.cell_type)}
    nets = set()
    for net in range(netlist.num_nets):
        pins = frozenset(endpoint(int(p)) for p in netlist.net_pin_list(net))
        nets.add((int(netlist.net_const[net]), pins))
    return cells, nets


def read_back(path: Path, top: str, liberty_files, work: Path):
    """Yosys reads the written Verilog and writes JSON again."""
    out = work / "roundtrip.json"
    steps = [f"read_liberty -lib {lib}" for lib in liberty_files]
    steps += [f"read_verilog {path}", f"hierarchy -top {top}", f"write_json {out}"]
    run_yosys_steps(steps, work / "rt_script.json", work / "rt.log")
    return out


def test_identifier_escapes_only_when_needed():
    assert identifier("abc_1$x") == "abc_1$x"
    assert identifier("$abc$12") == "\\$abc$12 "
    assert identifier("u_mul.p[3]") == "\\u_mul.p[3] "
    assert identifier("wire") == "\\wire "


def test_bus_pins_written_msb_first(library):
    data = json_module({"u1": ("INV_1", {"A": [2], "Y": [3]})}, {"a": ("input", [2]), "y": ("output", [3])})
    assert verilog_text(netlist_from_json(data, library)) == (
        "module t (a, y);\n  input a;\n  output y;\n  INV_1 u1 (\n    .A(a),\n    .Y(y)\n  );\nendmodule\n")


@pytest.mark.parametrize("design", ["mac", "counter"])
def test_round_trip_through_yosys_keeps_the_circuit(synthesized, library, design, tmp_path):
    netlist = read_yosys_json(synthesized(design).netlist_json, library)
    written = write_verilog(netlist, tmp_path / f"{design}.v")
    again = read_yosys_json(read_back(written, design, [LIBERTY_PATH], tmp_path), library)
    validate(again)
    assert signature(again) == signature(netlist)


def test_round_trip_with_a_macro(synthesized, library, tmp_path):
    result = synthesized("mem1r1w")
    netlist = read_yosys_json(result.netlist_json, library, result.macro_models)
    written = write_verilog(netlist, tmp_path / "mem1r1w.v")
    assert ".WADDR({waddr[5], waddr[4], waddr[3], waddr[2], waddr[1], waddr[0]})" in written.read_text()
    libs = [LIBERTY_PATH, *result.macro_liberty.values()]
    again = read_yosys_json(read_back(written, "mem1r1w", libs, tmp_path), library, result.macro_models)
    assert signature(again) == signature(netlist)


def test_written_netlist_equivalent_to_rtl(synthesized, library, tmp_path):
    netlist = read_yosys_json(synthesized("mac").netlist_json, library)
    written = write_verilog(netlist, tmp_path / "mac_written.v")
    assert_equivalent(DATA / "mac.v", "mac", written, tmp_path)


def test_constants_and_feedthroughs_without_tie_cells(tmp_path):
    design = tmp_path / "consts.v"
    design.write_text("module consts(input [1:0] a, output [1:0] y, output [1:0] k, output z);\n"
                      "  assign y = ~a; assign k = 2'b10; assign z = a[0]; endmodule\n")
    result = synthesize([design], "consts", MINI_LIB, 5.0, tmp_path / "out")
    library = load_library(MINI_LIB, use_cache=False)
    netlist = read_yosys_json(result.netlist_json, library)
    validate(netlist)
    text = write_verilog(netlist, tmp_path / "w.v").read_text()
    assert "assign k[0] = 1'b0;" in text and "assign k[1] = 1'b1;" in text and "assign z = a[0];" in text
    again = read_yosys_json(read_back(tmp_path / "w.v", "consts", [MINI_LIB], tmp_path), library)
    assert signature(again) == signature(netlist)
