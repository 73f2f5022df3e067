"""Derived views of the netlist arrays: drivers, areas, labels."""

import numpy as np
import pytest

from tapeout.netlist import netlist_from_json

from .conftest import json_module


@pytest.fixture
def chain(library):
    """a -> INV u1 -> NAND2 u2 (with b) -> y; DFF u3 clocked by clk samples y."""
    return netlist_from_json(json_module(
        {"u1": ("INV_1", {"A": [2], "Y": [5]}),
         "u2": ("NAND2_1", {"A": [5], "B": [3], "Y": [6]}),
         "u3": ("DFF_1", {"CLK": [4], "D": [6], "Q": [7]})},
        {"a": ("input", [2]), "b": ("input", [3]), "clk": ("input", [4]),
         "y": ("output", [6]), "q": ("output", [7])}), library)


def test_counts(chain):
    assert (chain.num_cells, chain.num_pins, chain.num_nets, chain.num_ports) == (3, 13, 6, 5)
    assert chain.first_port_pin == 8


def test_net_driver_is_the_output_or_input_port(chain):
    drivers = chain.net_driver()
    labels = {chain.net_names[n]: chain.pin_label(int(d)) for n, d in enumerate(drivers)}
    assert labels == {"a": "port `a`", "$n5": "cell `u1` pin Y", "b": "port `b`",
                      "y": "cell `u2` pin Y", "clk": "port `clk`", "q": "cell `u3` pin Q"}


def test_area_and_flags_come_from_the_library(chain, library):
    expected = sum(library[t].area_um2 for t in ("INV_1", "NAND2_1", "DFF_1"))
    assert chain.area_um2 == pytest.approx(expected)
    assert chain.cell_is_sequential.tolist() == [False, False, True]
    assert chain.cell_is_macro.tolist() == [False, False, False]
    assert chain.cell_width_sites.tolist() == [library[t].width_sites for t in ("INV_1", "NAND2_1", "DFF_1")]


def test_net_pins_and_cell_pins(chain):
    y = chain.net_names.index("y")
    assert sorted(chain.pin_label(int(p)) for p in chain.net_pin_list(y)) == \
        ["cell `u2` pin Y", "cell `u3` pin D", "port `y`"]
    assert [chain.pin_names[p] for p in chain.cell_pins(1)] == ["A", "B", "Y"]
    assert np.all(chain.pin_is_driver[list(chain.port_pins(0))])
