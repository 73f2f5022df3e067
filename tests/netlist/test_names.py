import pytest

from tapeout.netlist.names import (
    WrittenName,
    cell_pin_name,
    def_escape,
    def_unescape,
    net_written_names,
    spef_escape,
    spef_unescape,
    verilog_identifier,
    verilog_name,
    written,
)
from tapeout.netlist.yosys_json import netlist_from_json
from tapeout.tech.library import default_library


@pytest.mark.parametrize("name, spef, def_, verilog", [
    ("abc_1", "abc_1", "abc_1", "abc_1"),
    ("$abc$123", "\\$abc\\$123", "$abc$123", "\\$abc$123 "),
    ("$flatten\\array.$procdff$7", "\\$flatten\\\\array\\.\\$procdff\\$7", "$flatten\\\\array.$procdff$7",
     "\\$flatten\\array.$procdff$7 "),
    ("array.pe_0_0.acc[3]", "array\\.pe_0_0\\.acc\\[3\\]", "array.pe_0_0.acc\\[3\\]", "\\array.pe_0_0.acc[3] "),
    ("a/b", "a\\/b", "a\\/b", "\\a/b "),
])
def test_each_format_escapes_its_own_way(name, spef, def_, verilog):
    assert spef_escape(name) == spef and spef_unescape(spef) == name
    assert def_escape(name) == def_ and def_unescape(def_) == name
    assert verilog_identifier(name) == verilog


def test_bus_bits_keep_plain_brackets():
    bit = WrittenName("data.in", 3)
    assert written(bit, spef_escape) == "data\\.in[3]"
    assert written(bit, def_escape) == "data.in[3]"
    assert verilog_name(bit) == "\\data.in [3]" and bit.plain == "data.in[3]"
    assert cell_pin_name("RDATA[12]") == WrittenName("RDATA", 12) and cell_pin_name("CLK") == WrittenName("CLK")


def test_port_nets_take_the_port_name():
    # the net of output port y carries the internal name "inv_out"; the input bus a[1:0]
    data = {"modules": {"top": {
        "attributes": {"top": 1},
        "ports": {"a": {"direction": "input", "bits": [2, 3]}, "y": {"direction": "output", "bits": [4]}},
        "cells": {"u": {"type": "NAND2_1", "connections": {"A": [2], "B": [3], "Y": [5]}},
                  "v": {"type": "INV_1", "connections": {"A": [5], "Y": [4]}}},
        "netnames": {"a": {"bits": [2, 3]}, "inv_out": {"bits": [4]}, "$x": {"bits": [5], "hide_name": 1}}}}}
    netlist = netlist_from_json(data, default_library())
    names = {netlist.net_names[k]: n for k, n in enumerate(net_written_names(netlist))}
    assert names["inv_out"] == WrittenName("y")
    assert names["a[0]"] == WrittenName("a", 0) and names["a[1]"] == WrittenName("a", 1)
    assert names["$x"] == WrittenName("$x")
