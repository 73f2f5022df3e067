"""The netlist data model shared by placement, routing and signoff (flat numpy arrays)."""

from tapeout.netlist.errors import NetlistError
from tapeout.netlist.netlist import PIN_INOUT, PIN_INPUT, PIN_OUTPUT, Netlist
from tapeout.netlist.validate import netlist_problems, validate
from tapeout.netlist.verilog_writer import verilog_text, write_verilog
from tapeout.netlist.yosys_json import netlist_from_json, read_yosys_json

__all__ = ["Netlist", "NetlistError", "PIN_INPUT", "PIN_OUTPUT", "PIN_INOUT", "read_yosys_json",
           "netlist_from_json", "validate", "netlist_problems", "write_verilog", "verilog_text"]
