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
