"""The built-in `tap130` technology: the project's own 130 nm-class library, shipped in the package.

Its cells tie their own wells, so it has no well-tap cell (`tap_cell` None) and its rows get no taps;
nor has it filler or decap cells, or a power grid.
"""

from __future__ import annotations

from functools import cache

from tapeout.tech.generate import LEF_PATH, LIBERTY_PATH, VERILOG_PATH
from tapeout.tech.layers import CUT_STACK, METAL_STACK
from tapeout.tech.process import ROW_HEIGHT_UM, SITE_NAME, SITE_WIDTH_UM, VDD_V
from tapeout.tech.tech_lef import Site
from tapeout.tech.technology import Technology


@cache
def tap130() -> Technology:
    return Technology(
        name="tap130",
        corners={"tt": LIBERTY_PATH},
        typical="tt", setup_corner="tt", hold_corner="tt",
        site=Site(SITE_NAME, SITE_WIDTH_UM, ROW_HEIGHT_UM),
        metal_stack=METAL_STACK, cut_stack=CUT_STACK,
        lef_files=(LEF_PATH,),
        vdd_v=VDD_V,
        dont_use=(),
        clock_buffer="CLKBUF_4",
        fanout_buffer="BUF_4",
        delay_buffer="BUF_1",
        macro_factory="tapeout.tech.sram:sram_macro",
        verilog_models=(VERILOG_PATH,),
    )
