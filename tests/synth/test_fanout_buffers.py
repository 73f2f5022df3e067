"""Fanout buffer trees on a Yosys JSON module: every sink still reached, no buffer over the limit."""

import pytest

from tapeout.synth.fanout_buffers import buffer_module


def module_with_fanout(n_sinks, port="A"):
    cells = {"drv": {"type": "BUF_1", "port_directions": {"A": "input", "Y": "output"},
                     "connections": {"A": [2], "Y": [3]}}}
    for k in range(n_sinks):
        cells[f"s{k:03d}"] = {"type": "DFF_1", "port_directions": {port: "input", "CLK": "input", "Q": "output"},
                              "connections": {port: [3], "CLK": [4], "Q": [100 + k]}}
    return {"cells": cells, "netnames": {"n": {"bits": [3]}, "clk": {"bits": [4]}}}


def sources(module, cell, port):
    """Walk back through buffers to the original net; return the tree depth."""
    depth, bit = 0, module["cells"][cell]["connections"][port][0]
    drivers = {c["connections"]["Y"][0]: name for name, c in module["cells"].items() if c["type"] == "BUF_4"}
    while bit in drivers:
        depth += 1
        bit = module["cells"][drivers[bit]]["connections"]["A"][0]
    return bit, depth


def test_tree_reaches_every_sink_within_the_limit():
    module = module_with_fanout(300, port="D")
    summary = buffer_module(module, 16, "BUF_4")
    assert summary["buffers"] == 19 + 2  # 300 sinks -> 19 buffers -> 2 buffers -> the net
    load = {}
    for cell in module["cells"].values():
        for port, bits in cell["connections"].items():
            if cell["port_directions"][port] == "input":
                load[bits[0]] = load.get(bits[0], 0) + 1
    assert max(n for bit, n in load.items() if bit != 4) <= 16
    for k in range(300):
        assert sources(module, f"s{k:03d}", "D")[0] == 3
    assert summary["nets"] == [{"net": "n", "fanout": 300}]


def test_clock_nets_and_small_nets_are_left_alone():
    module = module_with_fanout(40, port="D")
    assert buffer_module(module, 64, "BUF_4")["buffers"] == 0
    assert all(c["connections"]["CLK"] == [4] for n, c in module["cells"].items() if n != "drv")
    assert buffer_module(module, 16, "BUF_4")["buffers"] == 3  # the data net; the 40-sink clock stays


def test_bad_limit():
    with pytest.raises(ValueError, match="max_fanout must be an integer of at least 2, not 1"):
        buffer_module(module_with_fanout(3), 1, "BUF_4")


def test_every_macro_data_input_gets_its_own_buffer():
    from tapeout.synth.fanout_buffers import isolate_macro_inputs

    module = {"cells": {
        "ff": {"type": "DFF_1", "port_directions": {"D": "input", "CLK": "input", "Q": "output"},
               "connections": {"D": [9], "CLK": [4], "Q": [5]}},
        "ram": {"type": "tap130_sram_16x8_1r1w_8",
                "port_directions": {"CLK": "input", "WADDR": "input", "RDATA": "output"},
                "connections": {"CLK": [4], "WADDR": [5, 5, "0", 6], "RDATA": [7]}}},
        "netnames": {}}
    assert isolate_macro_inputs(module, "tap130_sram_", "BUF_1") == 3
    ram = module["cells"]["ram"]["connections"]
    assert ram["CLK"] == [4] and ram["WADDR"][2] == "0"
    drivers = {c["connections"]["Y"][0]: c["connections"]["A"][0]
               for c in module["cells"].values() if c["type"] == "BUF_1"}
    assert [drivers[b] for b in (ram["WADDR"][0], ram["WADDR"][1], ram["WADDR"][3])] == [5, 5, 6]
    assert module["cells"]["ff"]["connections"]["Q"] == [5]


def test_macro_input_chains():
    from tapeout.synth.fanout_buffers import isolate_macro_inputs

    module = {"cells": {"ram": {"type": "tap130_sram_x", "port_directions": {"WE": "input"},
                                "connections": {"WE": [5]}}}, "netnames": {}}
    assert isolate_macro_inputs(module, "tap130_sram_", "BUF_1", stages=2) == 2
    first = next(c for c in module["cells"].values() if c["type"] == "BUF_1" and c["connections"]["A"] == [5])
    second = next(c for c in module["cells"].values()
                  if c["type"] == "BUF_1" and c["connections"]["A"] == first["connections"]["Y"])
    assert module["cells"]["ram"]["connections"]["WE"] == second["connections"]["Y"]
