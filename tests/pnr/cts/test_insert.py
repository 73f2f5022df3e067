import numpy as np

from tapeout.netlist.yosys_json import netlist_from_json
from tapeout.pnr.cts.balanced_tree import ClockBuffer, ClockWire, build_clock_tree
from tapeout.pnr.cts.insert import insert_clock_buffers, sinks_by_net
from tapeout.pnr.floorplan.from_netlist import clock_pins
from tapeout.tech.library import default_library


def flops(n):
    cells = {f"ff{i}": {"type": "DFF_1", "connections": {"CLK": [2], "D": [3], "Q": [10 + i]}} for i in range(n)}
    return {"modules": {"top": {
        "attributes": {"top": 1},
        "ports": {"clk": {"direction": "input", "bits": [2]}, "d": {"direction": "input", "bits": [3]}},
        "cells": cells, "netnames": {"clk": {"bits": [2]}, "d": {"bits": [3]}}}}}


def test_buffers_drive_every_clock_pin_from_the_clock_net():
    library = default_library()
    data = flops(5)
    netlist = netlist_from_json(data, library)
    (net, sinks), = sinks_by_net(netlist, clock_pins(netlist))
    tree = build_clock_tree(np.arange(5) * 10.0, np.zeros(5), 0.002, ClockBuffer(0.002, 0.05, 1.0),
                            ClockWire(1e-4, 2e-4), max_fanout=2)
    out, inserted = insert_clock_buffers(data, "top", netlist, [(sinks, tree)], "CLKBUF_4", "A", "Y")
    assert "cts_buf_0_1_0" not in data["modules"]["top"]["cells"]  # the input is left alone
    assert len(inserted) == tree.buffer_count and tree.buffer_count >= 3
    buffered = netlist_from_json(out, library)
    assert buffered.num_cells == 5 + tree.buffer_count
    assert buffered.cell_names[:5] == netlist.cell_names  # cells keep their order
    drivers = buffered.net_driver()

    def driver_cell(pin):
        return buffered.cell_names[buffered.pin_cell[drivers[buffered.pin_net[pin]]]]

    for pin in clock_pins(buffered):
        node = [b for b in inserted if b.name == driver_cell(pin)][0].node
        assert buffered.type_names[buffered.cell_type[buffered.pin_cell[pin]]] == "DFF_1"
        assert tree.parent[list(sinks).index(pin)] == node  # each flop hangs from its tree buffer
    root = [b for b in inserted if tree.parent[b.node] < 0][0]
    root_cell = buffered.cell_names.index(root.name)
    root_in = [p for p in buffered.cell_pins(root_cell) if buffered.pin_names[p] == "A"][0]
    assert buffered.net_names[buffered.pin_net[root_in]] == "clk"
    assert len(buffered.net_pin_list(buffered.pin_net[root_in])) == 2  # the port and the root buffer
