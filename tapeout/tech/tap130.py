"""The built-in `tap130` technology: the project's own 130 nm-class library, shipped in the package.

Its cells tie their own wells, so it has no well-tap cell (`tap_cell` None) and its rows get no taps;
nor has it filler or decap cells. Its power grid is SKY130's as OpenLane 1 draws it (`POWER_GRID`):
follow-pin rails on met1 as wide as the cells' own 0.48 um rails, met4/met5 straps, on its supply pins
`VDD` and `VSS`.
"""

from __future__ import annotations

from functools import cache

from tapeout.tech.generate import LEF_PATH, LIBERTY_PATH, VERILOG_PATH
from tapeout.tech.layers import CUT_STACK, METAL_STACK
from tapeout.tech.lef_writer import RAIL_HALF_WIDTH_UM
from tapeout.tech.process import GROUND_PIN, POWER_PIN, ROW_HEIGHT_UM, SITE_NAME, SITE_WIDTH_UM, VDD_V
from tapeout.tech.sky130 import POWER_GRID as SKY130_GRID
from tapeout.tech.tech_lef import Site
from tapeout.tech.technology import PowerGridRules, Technology

POWER_GRID = PowerGridRules(power=POWER_PIN, ground=GROUND_PIN, rail_layer="met1",
                            rail_width_um=2 * RAIL_HALF_WIDTH_UM, straps=SKY130_GRID.straps)
"""Rails over the cells' own met1 rails; straps 1.6 um wide on met4 (pitch 153.6 um) and met5 (153.18 um)."""


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
        power_grid=POWER_GRID,
        verilog_models=(VERILOG_PATH,),
    )
