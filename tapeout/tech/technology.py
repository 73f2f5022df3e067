"""A technology: the data a flow needs about a process and its standard-cell library, in one object.

`technology_of(config)` returns the design's: the built-in `tap130` (files shipped in the package) or
a PDK-backed library such as `sky130_fd_sc_hd` (files under a PDK root, `tapeout.tech.pdk`).
Lengths in um, voltages in V.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tapeout.errors import ConfigError
from tapeout.tech.layers import CutLayer, RoutingLayer
from tapeout.tech.tech_lef import Site

LIBRARIES = ("tap130", "sky130_fd_sc_hd")


@dataclass(frozen=True)
class Strap:
    """Power straps on one layer: `width` um wide, a power and a ground strap every `pitch` um (half a
    pitch apart), the first `offset` um from the core's edge."""

    layer: str
    width_um: float
    pitch_um: float
    offset_um: float


@dataclass(frozen=True)
class PowerGridRules:
    """The power grid of a standard-cell library: supply and ground net names (the cells' power pins),
    follow-pin rails along every row boundary, and straps above them (lowest layer first)."""

    power: str
    ground: str
    rail_layer: str
    rail_width_um: float
    straps: tuple[Strap, ...]


@dataclass(frozen=True)
class Technology:
    """A process and standard-cell library.

    name           library name (`[technology] library`)
    corners        Liberty file per corner name ('tt', 'ss', 'ff')
    typical, setup_corner, hold_corner
                   the corner for headline figures, for setup checks, for hold checks
    site           placement site; rows are one site tall
    metal_stack    routing layers bottom-up, with R/C and the share of tracks left to signals
    cut_stack      via layers bottom-up
    lef_files      technology LEF then cell LEF (what DEF readers need)
    gds            cell layouts (None when the library has none)
    layer_map      KLayout technology file mapping LEF/DEF layers to GDS numbers (or None)
    vdd_v          nominal supply of the typical corner
    dont_use       glob patterns of cells synthesis must not use
    clock_buffer   the clock-tree buffer cell
    fanout_buffer  the buffer of synthesis' fanout trees
    delay_buffer   the small buffer synthesis puts in front of SRAM data inputs (hold margin)
    macro_input_stages   how many of them in series: the SRAM's hold time must be met at the hold corner
    tap_cell, tap_pitch_um   well-tap cell (None: the cells tie their own wells) and the largest distance
                   from any point of a row to the centre of a tap in that row (um)
    fillers, decaps          filler and decap cells, largest first
    power_grid     follow-pin rails and straps (None: the library defines none)
    macro_factory  "module:function" building SRAM macro models (words, bits, write granularity)
    verilog_models functional Verilog models of the cells (gate-level simulation, equivalence)
    files          every file of the technology the flow reads (hashed by the stages that read them)
    """

    name: str
    corners: dict[str, Path]
    typical: str
    setup_corner: str
    hold_corner: str
    site: Site
    metal_stack: tuple[RoutingLayer, ...]
    cut_stack: tuple[CutLayer, ...]
    lef_files: tuple[Path, ...]
    vdd_v: float
    dont_use: tuple[str, ...]
    clock_buffer: str
    fanout_buffer: str
    delay_buffer: str
    macro_factory: str
    macro_input_stages: int = 2
    gds: Path | None = None
    layer_map: Path | None = None
    tap_cell: str | None = None
    tap_pitch_um: float | None = None
    fillers: tuple[str, ...] = ()
    decaps: tuple[str, ...] = ()
    power_grid: PowerGridRules | None = None
    verilog_models: tuple[Path, ...] = ()
    extra_files: tuple[Path, ...] = field(default=())

    @property
    def files(self) -> tuple[Path, ...]:
        paths = [*self.corners.values(), *self.lef_files, *self.extra_files]
        paths += [p for p in (self.gds, self.layer_map) if p is not None]
        return tuple(dict.fromkeys(paths))

    def liberty(self, corner: str | None = None) -> Path:
        """The Liberty file of `corner` (default: the typical corner)."""
        corner = corner or self.typical
        if corner not in self.corners:
            raise ConfigError(f"technology {self.name} has no corner {corner!r}; corners: "
                              f"{', '.join(self.corners)}")
        return self.corners[corner]

    def library(self, corner: str | None = None):
        """The parsed Liberty library of `corner` (parsed once per process; cached on disk as JSON)."""
        return _load(self.liberty(corner))

    def is_dont_use(self, cell: str) -> bool:
        return any(fnmatch.fnmatchcase(cell, pattern) for pattern in self.dont_use)


@cache
def _load(path: Path):
    from tapeout.tech.library import load_library

    return load_library(path)


def technology_of(config) -> Technology:
    """The technology of a design config (`[technology] library`, `pdk_root` relative to the design file)."""
    return technology_named(config.technology.library, config.technology.pdk_root, config.path.parent)


def technology_named(name: str, pdk_root: str = "", base: Path | None = None) -> Technology:
    """The technology called `name`; PDK-backed ones read their files from the PDK root."""
    if name == "tap130":
        from tapeout.tech.tap130 import tap130

        return tap130()
    if name == "sky130_fd_sc_hd":
        from tapeout.tech.pdk import pdk_root as find_root
        from tapeout.tech.sky130 import sky130_fd_sc_hd

        return sky130_fd_sc_hd(str(find_root(pdk_root, base)))
    raise ConfigError(f"unknown technology library {name!r}; known: {', '.join(LIBRARIES)}")


def technology_files(config) -> tuple[Path, ...]:
    """The files of the design's technology that lie outside this package (a PDK's), for a stage's
    input hash; the built-in library's files are package data, hashed with the code."""
    from tapeout.resources import package_path

    technology = technology_of(config)
    package = package_path("tapeout", "").resolve()
    return tuple(p for p in technology.files if not p.resolve().is_relative_to(package))


def cells_used_but_dont_use(technology: Technology, cell_types) -> list[str]:
    """Cells of a netlist that the technology marks dont_use (sorted)."""
    return sorted({c for c in cell_types if technology.is_dont_use(c)})
