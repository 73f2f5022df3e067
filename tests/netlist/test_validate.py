"""Connectivity rules: one driver per net, no floating inputs."""

import pytest

from tapeout.netlist import NetlistError, netlist_from_json, netlist_problems, validate

from .conftest import json_module


def test_two_drivers_on_one_net(library):
    data = json_module({"u1": ("INV_1", {"A": [2], "Y": [4]}), "u2": ("INV_1", {"A": [3], "Y": [4]})},
                       {"a": ("input", [2]), "b": ("input", [3]), "y": ("output", [4])})
    with pytest.raises(NetlistError) as info:
        validate(netlist_from_json(data, library))
    assert str(info.value) == "netlist `t`: net `y` has 2 drivers: cell `u1` pin Y, cell `u2` pin Y"


def test_input_port_driving_a_driven_net(library):
    data = json_module({"u1": ("INV_1", {"A": [2], "Y": [3]})}, {"a": ("input", [2]), "b": ("input", [3])})
    assert netlist_problems(netlist_from_json(data, library)) == [
        "net `b` has 2 drivers: cell `u1` pin Y, port `b`"]


def test_undriven_net(library):
    data = json_module({"u1": ("INV_1", {"A": [5], "Y": [3]})}, {"y": ("output", [3])})
    assert netlist_problems(netlist_from_json(data, library)) == [
        "net `$n5` has no driver (read by cell `u1` pin A)"]


def test_undefined_bit_on_an_input_is_floating(library):
    data = json_module({"u1": ("INV_1", {"A": ["x"], "Y": [3]})}, {"y": ("output", [3])})
    assert netlist_problems(netlist_from_json(data, library)) == [
        "net `x$0` has no driver (read by cell `u1` pin A)"]


def test_unconnected_input_pin(library):
    data = json_module({"u1": ("NAND2_1", {"A": [2], "Y": [3]})}, {"a": ("input", [2]), "y": ("output", [3])})
    with pytest.raises(NetlistError) as info:
        validate(netlist_from_json(data, library))
    assert str(info.value) == "netlist `t`: cell `u1` (NAND2_1) input pin B is not connected"


def test_several_problems_are_counted(library):
    data = json_module({"u1": ("NAND2_1", {"A": [5], "Y": [3]})}, {"y": ("output", [3])})
    with pytest.raises(NetlistError) as info:
        validate(netlist_from_json(data, library))
    assert str(info.value) == "netlist `t`: net `$n5` has no driver (read by cell `u1` pin A) (and 1 more problems)"


def test_dangling_output_is_allowed(library):
    data = json_module({"u1": ("INV_1", {"A": [2], "Y": [3]})}, {"a": ("input", [2])})
    assert netlist_problems(netlist_from_json(data, library)) == []
