"""Reading Yosys JSON into the flat-array netlist: invariants, library links, errors."""

import json

import numpy as np
import pytest

from tapeout.netlist import PIN_INPUT, PIN_OUTPUT, NetlistError, netlist_from_json, read_yosys_json, validate
from tapeout.tech.library import parse_library

from .conftest import json_module


def test_csr_invariants_on_a_synthesized_design(synthesized, library):
    result = synthesized("mac")
    netlist = read_yosys_json(result.netlist_json, library)
    data = json.loads(result.netlist_json.read_text())["modules"]["mac"]
    assert netlist.num_cells == len(data["cells"]) == result.area.cells
    assert netlist.num_pins == sum(len(b) for c in data["cells"].values() for b in c["connections"].values()) \
        + sum(len(p["bits"]) for p in data["ports"].values())
    assert sorted(netlist.net_pins.tolist()) == list(range(netlist.num_pins))
    for net in range(netlist.num_nets):
        assert np.all(netlist.pin_net[netlist.net_pin_list(net)] == net)
    assert np.all(np.diff(netlist.cell_pin_ptr) > 0)
    assert np.all(np.repeat(np.arange(netlist.num_cells), np.diff(netlist.cell_pin_ptr))
                  == netlist.pin_cell[:netlist.first_port_pin])
    assert np.all(netlist.pin_cell[netlist.first_port_pin:] == -1)
    assert netlist.area_um2 == pytest.approx(result.area.area_um2)
    validate(netlist)


def test_library_figures_linked_per_pin_and_type(synthesized, library):
    netlist = read_yosys_json(synthesized("counter").netlist_json, library)
    for kind, name in enumerate(netlist.type_names):
        assert netlist.type_area_um2[kind] == library[name].area_um2
        assert netlist.type_width_sites[kind] == library[name].width_sites
        assert netlist.type_is_sequential[kind] == library[name].is_sequential
    for pin in range(netlist.first_port_pin):
        lib_pin = library[netlist.type_names[netlist.cell_type[netlist.pin_cell[pin]]]].pins[netlist.pin_names[pin]]
        expected = lib_pin.capacitance if lib_pin.direction == "input" else 0.0
        assert netlist.pin_cap_pf[pin] == expected
    assert int(netlist.cell_is_sequential.sum()) == 8


def test_ports_are_pins_driving_or_reading_nets(synthesized, library):
    netlist = read_yosys_json(synthesized("counter").netlist_json, library)
    assert netlist.port_names == ["clk", "rst", "en", "q"]
    q = netlist.port_names.index("q")
    assert [netlist.pin_names[p] for p in netlist.port_pins(q)] == [f"q[{i}]" for i in range(8)]
    assert netlist.port_dir.tolist() == [PIN_INPUT, PIN_INPUT, PIN_INPUT, PIN_OUTPUT]
    clk_pin = netlist.port_pins(0)[0]
    assert netlist.pin_is_driver[clk_pin]
    assert netlist.net_driver()[netlist.pin_net[clk_pin]] == clk_pin
    assert not netlist.pin_is_driver[netlist.port_pins(q)[0]]


def test_macro_linked_to_its_sram_model(synthesized, library):
    result = synthesized("mem1r1w")
    netlist = read_yosys_json(result.netlist_json, library, result.macro_models)
    (name,) = netlist.type_names
    assert netlist.type_is_macro.tolist() == [True]
    assert netlist.macros[name].words == 64 and netlist.macros[name].bits == 16
    pins = [netlist.pin_names[p] for p in netlist.cell_pins(0)]
    assert set(pins) == set(parse_library(result.macro_models[name].liberty_text())[name].pins)
    assert netlist.pin_cap_pf[netlist.cell_pins(0)[pins.index("WADDR[3]")]] == pytest.approx(0.00689)
    validate(netlist)


def test_constants_become_constant_nets(library):
    data = json_module({"u1": ("NAND2_1", {"A": [2], "B": ["1"], "Y": [3]}),
                        "u2": ("INV_1", {"A": ["0"], "Y": [4]})},
                       {"a": ("input", [2]), "y": ("output", [3, 4])})
    netlist = netlist_from_json(data, library)
    consts = {netlist.net_names[n]: int(netlist.net_const[n]) for n in np.flatnonzero(netlist.net_const >= 0)}
    assert consts == {"1'b1": 1, "1'b0": 0}
    validate(netlist)


def test_unknown_cell_type_is_rejected(library):
    data = json_module({"u1": ("FOO", {"A": [2]})}, {"a": ("input", [2])})
    with pytest.raises(NetlistError) as info:
        netlist_from_json(data, library)
    assert str(info.value) == "cell `u1` has type `FOO`, which is neither in library tap130 nor a known macro"


def test_unknown_pin_is_rejected(library):
    data = json_module({"u1": ("INV_1", {"Z": [2]})}, {"a": ("input", [2])})
    with pytest.raises(NetlistError) as info:
        netlist_from_json(data, library, source="x.json")
    assert str(info.value) == "x.json: cell `u1` (INV_1) has no pin Z"


def test_missing_top_module(library):
    with pytest.raises(NetlistError) as info:
        netlist_from_json(json_module({}, {}), library, top="other", source="x.json")
    assert str(info.value) == "x.json: no module `other` (modules: t)"


def test_not_json(tmp_path, library):
    path = tmp_path / "bad.json"
    path.write_text("{\n  oops")
    with pytest.raises(NetlistError) as info:
        read_yosys_json(path, library)
    assert str(info.value) == f"{path}:2: not a Yosys JSON netlist: Expecting property name enclosed in double quotes"
