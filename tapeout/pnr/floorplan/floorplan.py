"""Floorplan: core size from cell area, utilisation and aspect ratio; rows; SRAM macros as fixed
blocks with halos; well taps fixed in the rows (`tapeout.pnr.floorplan.taps`); I/O pins spread over
the configured die sides, each bus kept together.

All lengths in um. The core is sized so that standard cells fill `utilization` of what the
macros (with their halos) leave free.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

from tapeout.pnr.errors import FloorplanError
from tapeout.pnr.floorplan.taps import TapCell


@dataclass(frozen=True)
class MacroBlock:
    """A fixed block: netlist cell index, lower-left (x, y) um, size, and DEF orientation
    ("N", or "FS" mirrored top to bottom so that pins on its bottom edge face up)."""

    cell: int
    name: str
    x: float
    y: float
    width: float
    height: float
    orient: str = "N"


@dataclass(frozen=True)
class PinSpot:
    """A top-level pin bit: netlist pin index, centre (x, y) um on the die edge, side and layer."""

    pin: int
    name: str
    x: float
    y: float
    side: str
    layer: str


@dataclass
class Floorplan:
    die: tuple[float, float, float, float]
    core: tuple[float, float, float, float]
    row_height: float
    site_width: float
    halo: float
    macros: list[MacroBlock] = field(default_factory=list)
    pins: list[PinSpot] = field(default_factory=list)
    cell_area_um2: float = 0.0
    taps: list[TapCell] = field(default_factory=list)
    tap_master: str = ""
    tap_width: float = 0.0

    @property
    def rows(self) -> int:
        return int(round((self.core[3] - self.core[1]) / self.row_height))

    @property
    def sites(self) -> int:
        return int(round((self.core[2] - self.core[0]) / self.site_width))

    @property
    def core_area_um2(self) -> float:
        return (self.core[2] - self.core[0]) * (self.core[3] - self.core[1])

    @property
    def utilization(self) -> float:
        """Standard-cell area over the core area the macros and halos leave free."""
        blocked = sum((m.width + 2 * self.halo) * (m.height + 2 * self.halo) for m in self.macros)
        return self.cell_area_um2 / (self.core_area_um2 - blocked)


def row_orientation(row: int) -> str:
    """DEF orientation of standard-cell row `row` (from the core's bottom) and of the cells in it: rows
    alternate N and FS (mirrored top to bottom) so that abutting rows share a power rail."""
    return "FS" if row % 2 else "N"


def _up(value: float, step: float) -> float:
    return math.ceil(value / step - 1e-9) * step


def plan_core(cell_area: float, macro_sizes: list[tuple[float, float]], utilization: float,
              aspect_ratio: float, halo: float, row_height: float, site: float,
              min_width: float = 0.0) -> tuple[float, float]:
    """Core width and height (um), on the site/row grid, for the area the cells and macros need;
    at least ``min_width`` wide (the widest standard cell: then lower, same area), one site and
    one row (a design without cells)."""
    if utilization > 1:
        raise FloorplanError(f"impossible floorplan: target_utilization {utilization:g} is over 1 "
                         "(cells cannot take more area than the core has)")
    blocked = sum((w + 2 * halo) * (h + 2 * halo) for w, h in macro_sizes)
    area = cell_area / utilization + blocked
    width = math.sqrt(area / aspect_ratio)
    height = width * aspect_ratio
    if width < min_width:
        width, height = min_width, area / min_width
    return _up(max(width, site), site), _up(max(height, row_height), row_height)


def pack_macros(names: list[str], sizes: list[tuple[float, float]], core: tuple, halo: float,
                row_height: float, site: float) -> list[tuple[float, float, str]]:
    """Place macros in columns along the core's left edge, pins facing the core.

    The macros' pins are on their bottom edge, so each column holds one macro at the top
    (orientation N, pins facing down) and, when it fits, one at the bottom mirrored (FS,
    pins facing up): both face the channel between them, which opens onto the standard
    cells. Positions snap to the site and row grid; a macro that cannot fit is a FloorplanError.
    Returns (x, y, orientation) per macro.
    """
    x0, y0, x1, y1 = core
    spots, column_x, k = [], x0, 0
    while k < len(sizes):
        top_w, top_h = sizes[k]
        pair = k + 1 < len(sizes) and top_h + sizes[k + 1][1] + 4 * halo <= y1 - y0
        width = max(top_w, sizes[k + 1][0]) if pair else top_w
        if column_x + width + 2 * halo > x1 + 1e-9 or top_h + 2 * halo > y1 - y0:
            w, h = sizes[k]
            raise FloorplanError(f"impossible floorplan: macro {names[k]} ({w:.1f} x {h:.1f} um plus a {halo:g} um "
                             f"halo) does not fit the {x1 - x0:.1f} x {y1 - y0:.1f} um core beside the other "
                             "macros; lower target_utilization or change aspect_ratio")
        mx = _up(column_x + halo - x0, site) + x0
        top_y = y0 + math.floor((y1 - halo - top_h - y0) / row_height + 1e-9) * row_height
        spots.append((mx, top_y, "N"))
        if pair:
            spots.append((mx, _up(halo, row_height) + y0, "FS"))
        column_x = mx + width + halo
        k += 2 if pair else 1
    return spots


def spread_pins(groups: list[list[tuple[int, str]]], sides: tuple[str, ...], die: tuple) -> list[PinSpot]:
    """Spread pin bits evenly along `sides` (walked in order), keeping each group (a bus) contiguous.

    Along left and right sides pins go bottom to top, along bottom and top left to right.
    """
    x0, y0, x1, y1 = die
    lengths = {"left": y1 - y0, "right": y1 - y0, "bottom": x1 - x0, "top": x1 - x0}
    bits = [bit for group in groups for bit in group]
    if not bits:
        return []
    pitch = sum(lengths[s] for s in sides) / len(bits)
    spots = []
    for k, (pin, name) in enumerate(bits):
        along = (k + 0.5) * pitch
        for side in sides:
            if along <= lengths[side] or side == sides[-1]:
                break
            along -= lengths[side]
        x, y = {"left": (x0, y0 + along), "right": (x1, y0 + along),
                "bottom": (x0 + along, y0), "top": (x0 + along, y1)}[side]
        spots.append(PinSpot(pin, name, x, y, side, "met3" if side in ("left", "right") else "met2"))
    return spots


def floorplan_to_json(plan: Floorplan) -> dict:
    return dataclasses.asdict(plan)


def floorplan_from_json(data: dict) -> Floorplan:
    macros = [MacroBlock(**m) for m in data.pop("macros")]
    pins = [PinSpot(**p) for p in data.pop("pins")]
    taps = [TapCell(**t) for t in data.pop("taps", [])]
    data["die"], data["core"] = tuple(data["die"]), tuple(data["core"])
    return Floorplan(macros=macros, pins=pins, taps=taps, **data)
