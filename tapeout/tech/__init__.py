"""Technology data of the ``tap130`` node: cell library, LEF, metal stack, SRAM macros.

* :func:`default_library` / :func:`load_library` -- the parsed Liberty library;
* :mod:`tapeout.tech.layers` -- the metal stack (pitch, R, C per layer);
* :func:`sram_macro` -- 1R1W SRAM macro models with Liberty, LEF and Verilog views;
* :mod:`tapeout.tech.generate` -- regenerates ``data/tap130.lib`` and ``data/tap130.lef``.
"""

from tapeout.tech.generate import LEF_PATH, LIBERTY_PATH
from tapeout.tech.layers import METAL_STACK, RoutingLayer, routing_layer
from tapeout.tech.library import LibertyError, Library, default_library, load_library, parse_library
from tapeout.tech.nldm import Table, interpolate
from tapeout.tech.sram import SramMacro, sram_macro

__all__ = [
    "LEF_PATH", "LIBERTY_PATH", "METAL_STACK", "RoutingLayer", "routing_layer", "Library",
    "LibertyError", "default_library", "load_library", "parse_library", "Table", "interpolate",
    "SramMacro", "sram_macro",
]
