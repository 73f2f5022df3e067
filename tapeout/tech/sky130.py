"""The SkyWater SKY130 high-density library `sky130_fd_sc_hd`, read from a PDK root (`sky130A`).

Files (open_pdks layout, `$PDK_ROOT/sky130A/`): Liberty per corner in
`libs.ref/sky130_fd_sc_hd/lib/` (tt_025C_1v80 typical, ss_100C_1v60 for setup, ff_100C_1v95 for hold,
the corners OpenLane signs off with), the technology LEF with wire R/C (`techlef/..._nom.tlef`), the
cell LEF and GDS, and KLayout's layer map (`libs.tech/klayout/sky130A.lyt`).

Cells kept out of synthesis: the two lists OpenLane's sky130_fd_sc_hd configuration reads from the
PDK, `libs.tech/openlane/sky130_fd_sc_hd/no_synth.cells` (NO_SYNTH_CELL_LIST: clock buffers and
inverters, delay cells, latches, scan flops, the drive-1 variants) and `drc_exclude.cells`
(DRC_EXCLUDE_CELL_LIST: the `_0` variants, `lpflow_*`, `probe*`, `xor3`/`xnor3`, `buf_16`, ...).
Cell roles as OpenLane's config names them: tap `tapvpwrvgnd_1` (FP_WELLTAP_CELL) with every point of a
row within 14 um of one (FP_TAPCELL_DIST; the latch-up limit is 15 um, `tapeout.pnr.floorplan.taps`),
fillers `fill_*` and decaps `decap_*` (FILL_CELL, DECAP_CELL), the power grid of OpenLane's defaults
(`POWER_GRID`), clock buffer
`clkbuf_4` (from CTS_CLK_BUFFER_LIST), tie `conb_1`. Three `buf_2` in front of each SRAM input (the
flow has no hold repair yet): at the ff corner two left tc4x4_sky130 at 0.000 ns hold slack against the
SRAM model's 0.45 ns hold time at 10 ns; at 20 ns (2026-12-02, with well taps) its worst hold slack at ff
is +0.069 ns.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from tapeout.tech.pdk import pdk_file
from tapeout.tech.tech_lef import link_cut_layers, read_tech_lef
from tapeout.tech.technology import PowerGridRules, Strap, Technology

LIB = "sky130_fd_sc_hd"
REF = f"sky130A/libs.ref/{LIB}"
CORNERS = {"tt": "tt_025C_1v80", "ss": "ss_100C_1v60", "ff": "ff_100C_1v95"}
POWER_GRID = PowerGridRules(
    power="VPWR", ground="VGND", rail_layer="met1", rail_width_um=0.48,
    straps=(Strap("met4", 1.6, 153.6, 16.32), Strap("met5", 1.6, 153.18, 16.65)))
"""OpenLane 1's sky130 power grid defaults (FP_PDN_VWIDTH/HWIDTH 1.6, FP_PDN_VPITCH 153.6,
FP_PDN_HPITCH 153.18, FP_PDN_VOFFSET 16.32, FP_PDN_HOFFSET 16.65; rails 0.48 um, the cells' own
met1 VPWR/VGND rail width in the sky130_fd_sc_hd LEF)."""
USABLE_FRACTION = {"li1": 0.0, "met1": 0.3, "met2": 0.7, "met3": 0.7, "met4": 0.6, "met5": 0.5}
"""Share of each layer's tracks left to signal routing (this project's assumption, as for tap130)."""


def cell(name: str) -> str:
    return f"{LIB}__{name}"


@cache
def sky130_fd_sc_hd(root: str) -> Technology:
    """The library under PDK root `root` (an existing directory)."""
    root = Path(root)
    corners = {c: pdk_file(root, f"{REF}/lib/{LIB}__{suffix}.lib") for c, suffix in CORNERS.items()}
    tech_lef_path = pdk_file(root, f"{REF}/techlef/{LIB}__nom.tlef")
    cell_lef = pdk_file(root, f"{REF}/lef/{LIB}.lef")
    lists = [pdk_file(root, f"sky130A/libs.tech/openlane/{LIB}/{name}") for name in ("no_synth.cells",
                                                                                     "drc_exclude.cells")]
    tech_lef = read_tech_lef(tech_lef_path, USABLE_FRACTION)
    dont_use = tuple(dict.fromkeys(line.strip() for path in lists for line in path.read_text().splitlines()
                                   if line.strip() and not line.startswith("#")))
    return Technology(
        name=LIB, corners=corners, typical="tt", setup_corner="ss", hold_corner="ff",
        site=tech_lef.sites["unithd"], metal_stack=tuple(tech_lef.routing),
        cut_stack=tuple(c for c in link_cut_layers(tech_lef) if c.below),
        lef_files=(tech_lef_path, cell_lef), vdd_v=_nominal_voltage(corners["tt"]),
        dont_use=dont_use, clock_buffer=cell("clkbuf_4"), fanout_buffer=cell("buf_4"),
        delay_buffer=cell("buf_2"), macro_input_stages=3,
        macro_factory="tapeout.tech.sram:sram_macro",
        gds=pdk_file(root, f"{REF}/gds/{LIB}.gds"), layer_map=pdk_file(root, "sky130A/libs.tech/klayout/sky130A.lyt"),
        tap_cell=cell("tapvpwrvgnd_1"), tap_pitch_um=14.0,
        fillers=tuple(cell(f"fill_{n}") for n in (8, 4, 2, 1)),
        decaps=tuple(cell(f"decap_{n}") for n in (12, 8, 6, 4, 3)),
        power_grid=POWER_GRID,
        verilog_models=tuple(root / REF / "verilog" / name for name in ("primitives.v", f"{LIB}.v")),
        extra_files=tuple(lists))


def _nominal_voltage(liberty: Path) -> float:
    """`nom_voltage` of a Liberty file (V), read from its header."""
    with liberty.open(encoding="utf-8", errors="replace") as fh:
        head = fh.read(20000)
    match = re.search(r"nom_voltage\s*:\s*([\d.]+)", head) or re.search(r"voltage\s*:\s*([\d.]+)", head)
    return float(match.group(1)) if match else 1.8
