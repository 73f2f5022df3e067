"""Interposer types and the row layout of dies and HBM stacks on them.

Layout: the dies sit side by side in one row; the HBM stacks are split between
the left and right ends of the row (left gets the odd one), each side in
columns of equal height. The number of columns per side is the one that gives
the smallest interposer (one tall column for H100's 3 + 2 stacks, two columns
of two for B200's 4 + 4).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .die import RETICLE_AREA_MM2
from .errors import InterposerOverflowError

EDGE_MARGIN_MM = 1.0
"""Keep-out from the components to the interposer edge (mm; engineering assumption)."""

COMPONENT_GAP_MM = 0.5
"""Spacing between neighbouring dies / stacks (mm; engineering assumption)."""

_SEED = "seed: ../shared/seed/000_ecfe29b84823e440.txt, section 'CoWoS Packaging Variants'"


@dataclass(frozen=True)
class InterposerType:
    """One package technology.

    Parameters
    ----------
    name : str
        "monolithic", "cowos-s", "cowos-r" or "cowos-l".
    has_interposer : bool
        False for a die directly on an organic substrate (no HBM possible).
    max_area_mm2 : float
        Largest interposer (mm2); ``inf`` without an interposer.
    wafer_cost_usd : float
        Cost of one 300 mm interposer wafer (USD).
    d0_per_cm2 : float
        Killer-defect density of the interposer (defects/cm2).
    source : str
        Where the figures come from and how they were read.
    """

    name: str
    has_interposer: bool
    max_area_mm2: float
    wafer_cost_usd: float
    d0_per_cm2: float
    source: str

    @property
    def reticles(self) -> float:
        """Area limit in reticles (858 mm2)."""
        return self.max_area_mm2 / RETICLE_AREA_MM2


INTERPOSERS: dict[str, InterposerType] = {
    "monolithic": InterposerType(
        "monolithic", False, math.inf, 0.0, 0.0,
        "one die flip-chip on an organic substrate; no interposer, no HBM"),
    "cowos-s": InterposerType(
        "cowos-s", True, 3.3 * RETICLE_AREA_MM2, 1937.0, 0.005,
        "reading of the seed (" + _SEED + "): its CoWoS-S 'Max Area 858 mm2' is the largest "
        "die it carries (one reticle: H100's 814 mm2 die alone plus five 121 mm2 HBM stacks "
        "already exceed 858 mm2), while the silicon interposer itself is stitched up to 3.3x "
        "reticle (TSMC 2023 Technology Symposium, CoWoS-S); wafer cost: 65 nm-class BEOL wafer, "
        "CSET 'AI Chips' 65 nm price; D0: engineering assumption for a passive interposer"),
    "cowos-r": InterposerType(
        "cowos-r", True, 4 * RETICLE_AREA_MM2, 0.5 * 1937.0, 0.005,
        "seed (" + _SEED + ") gives 'Large' for the RDL organic interposer; read as the same "
        "~4x reticle wafer-level limit as CoWoS-L (assumption); wafer cost: assumed half a "
        "silicon interposer wafer; D0: engineering assumption"),
    "cowos-l": InterposerType(
        "cowos-l", True, 4 * RETICLE_AREA_MM2, 1937.0, 0.005,
        "seed (" + _SEED + "): CoWoS-L 3400 mm2+, 'Rubin (R100) targets 4x reticle = ~3,400 mm2'"
        "; limit taken as 4 x 858 mm2; wafer cost: assumed equal to a CoWoS-S silicon interposer "
        "wafer (RDL plus embedded LSI bridges); D0: engineering assumption"),
}
"""Name -> :class:`InterposerType`."""


def interposer_type(name: str) -> InterposerType:
    """Look an interposer type up by name (case-insensitive, "CoWoS-L" works)."""
    if not isinstance(name, str):
        raise TypeError(f"interposer must be a string, not {name!r}")
    key = name.strip().lower()
    if key not in INTERPOSERS:
        raise ValueError(f"interposer must be one of {', '.join(INTERPOSERS)}, not {name!r}")
    return INTERPOSERS[key]


@dataclass(frozen=True)
class Placement:
    """One component on the interposer: lower-left corner and size (mm)."""

    kind: str
    index: int
    x_mm: float
    y_mm: float
    width_mm: float
    height_mm: float


@dataclass(frozen=True)
class PackageLayout:
    """Dies and HBM stacks placed on an interposer.

    Attributes
    ----------
    interposer : InterposerType
    placements : tuple of Placement
        Dies first ("die"), then stacks ("hbm").
    width_mm, height_mm : float
        Interposer outline (mm); the die outline for a monolithic package.
    hbm_columns_per_side : int
        Columns of HBM stacks at each end of the die row.
    """

    interposer: InterposerType
    placements: tuple[Placement, ...]
    width_mm: float
    height_mm: float
    hbm_columns_per_side: int

    @property
    def area_mm2(self) -> float:
        """Interposer area (mm2); 0 without an interposer."""
        return self.width_mm * self.height_mm if self.interposer.has_interposer else 0.0

    @property
    def fits(self) -> bool:
        """True when the interposer is within its type's area limit."""
        return self.area_mm2 <= self.interposer.max_area_mm2 + 1e-9


def _extent(dies: int, die_w: float, die_h: float, left: int, right: int, rows: int,
            hbm_w: float, hbm_h: float) -> tuple[float, float]:
    gap = COMPONENT_GAP_MM
    width = dies * die_w + (dies - 1) * gap
    height = die_h
    for count in (left, right):
        if count:
            columns = math.ceil(count / rows)
            width += gap + columns * hbm_w + (columns - 1) * gap
            height = max(height, rows * hbm_h + (rows - 1) * gap)
    return width + 2 * EDGE_MARGIN_MM, height + 2 * EDGE_MARGIN_MM


def _column(kind: str, first: int, count: int, rows: int, x0: float, centre_y: float,
            w: float, h: float) -> tuple[list[Placement], float]:
    gap = COMPONENT_GAP_MM
    placements = []
    columns = math.ceil(count / rows)
    for c in range(columns):
        in_column = min(rows, count - c * rows)
        stack_h = in_column * h + (in_column - 1) * gap
        y = centre_y - stack_h / 2
        for r in range(in_column):
            placements.append(Placement(kind, first + len(placements), x0 + c * (w + gap),
                                        y + r * (h + gap), w, h))
    return placements, x0 + columns * w + (columns - 1) * gap


def layout_package(interposer: InterposerType, dies: int, die_width_mm: float,
                   die_height_mm: float, hbm_stacks: int = 0,
                   hbm_footprint_mm: tuple[float, float] = (11.0, 11.0)) -> PackageLayout:
    """Place ``dies`` dies in a row and ``hbm_stacks`` stacks at both ends.

    Parameters
    ----------
    interposer : InterposerType
    dies : int
        Number of dies (1 for a monolithic package).
    die_width_mm, die_height_mm : float
        Die outline (mm).
    hbm_stacks : int
        Number of HBM stacks (0 for a monolithic package).
    hbm_footprint_mm : tuple of float
        (width, height) of one stack (mm).
    """
    if isinstance(dies, bool) or not isinstance(dies, int) or dies < 1:
        raise ValueError(f"dies must be a positive integer, not {dies!r}")
    if isinstance(hbm_stacks, bool) or not isinstance(hbm_stacks, int) or hbm_stacks < 0:
        raise ValueError(f"hbm_stacks must be a non-negative integer, not {hbm_stacks!r}")
    if not interposer.has_interposer:
        if dies != 1:
            raise ValueError(f"a monolithic package holds one die, not {dies}; choose cowos-s, "
                             "cowos-r or cowos-l for several dies")
        if hbm_stacks:
            raise ValueError(f"a monolithic package cannot hold HBM stacks, not {hbm_stacks}; "
                             "choose cowos-s, cowos-r or cowos-l")
        die = Placement("die", 0, 0.0, 0.0, die_width_mm, die_height_mm)
        return PackageLayout(interposer, (die,), die_width_mm, die_height_mm, 0)
    hbm_w, hbm_h = hbm_footprint_mm
    left, right = (hbm_stacks + 1) // 2, hbm_stacks // 2
    best = None
    for columns in range(1, max(left, 1) + 1):
        rows = max(1, math.ceil(left / columns))
        width, height = _extent(dies, die_width_mm, die_height_mm, left, right, rows, hbm_w, hbm_h)
        if best is None or width * height < best[0] - 1e-9:
            best = (width * height, columns, rows, width, height)
    _, columns, rows, width, height = best
    centre_y = height / 2
    gap = COMPONENT_GAP_MM
    hbm_left, x = _column("hbm", 0, left, rows, EDGE_MARGIN_MM, centre_y, hbm_w, hbm_h)
    if left:
        x += gap
    die_placements = []
    for i in range(dies):
        die_placements.append(Placement("die", i, x, centre_y - die_height_mm / 2,
                                        die_width_mm, die_height_mm))
        x += die_width_mm + gap
    hbm_right, _ = _column("hbm", left, right, rows, x, centre_y, hbm_w, hbm_h)
    placements = tuple(die_placements + hbm_left + hbm_right)
    return PackageLayout(interposer, placements, width, height, columns if hbm_stacks else 0)


def check_interposer(layout: PackageLayout) -> None:
    """Raise :class:`InterposerOverflowError` when the interposer exceeds its type's limit.

    The message names the overflow and a larger interposer type that would hold
    the layout, if there is one.
    """
    if layout.fits:
        return
    kind = layout.interposer
    excess = layout.area_mm2 - kind.max_area_mm2
    larger = [t for t in INTERPOSERS.values()
              if t.has_interposer and t.max_area_mm2 >= layout.area_mm2]
    if larger:
        names = " or ".join(t.name for t in larger)
        remedy = (f"use {names} (up to {min(t.max_area_mm2 for t in larger):.0f} mm2), "
                  "or fewer HBM stacks or smaller dies")
    else:
        remedy = "use fewer HBM stacks or smaller dies, or split the system over several packages"
    raise InterposerOverflowError(
        f"interposer {layout.width_mm:.1f} x {layout.height_mm:.1f} mm = {layout.area_mm2:.1f} mm2 "
        f"exceeds the {kind.name} limit of {kind.max_area_mm2:.0f} mm2 "
        f"({kind.reticles:.1f} x reticle) by {excess:.1f} mm2; {remedy}")
