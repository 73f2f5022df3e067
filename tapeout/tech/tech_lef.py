"""Read a technology LEF (LEF/DEF 5.8 reference, Cadence/Si2): sites, routing and cut layers, vias.

Kept per routing layer: direction, pitch, offset, minimum width and spacing (``SPACING`` or the first
entry of ``SPACINGTABLE``), sheet resistance (``RESISTANCE RPERSQ``, ohm/square), area capacitance
(``CAPACITANCE CPERSQDIST``, pF/um2) and fringe capacitance (``EDGECAPACITANCE``, pF/um). Per cut
layer: width, spacing, resistance per cut (ohm). Per fixed via (``VIA name [DEFAULT]``): its layers and
rectangles. Lengths in um.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tapeout.errors import TapeoutError
from tapeout.tech.layers import CutLayer, RoutingLayer


class TechLefError(TapeoutError):
    """A technology LEF that cannot be read or lacks what the flow needs."""


@dataclass(frozen=True)
class Site:
    name: str
    width_um: float
    height_um: float


@dataclass(frozen=True)
class Via:
    """A fixed via: rectangles (x0, y0, x1, y1 um, centred on the via origin) per metal layer (its cut
    left out), bottom first."""

    name: str
    default: bool
    shapes: tuple[tuple[str, tuple[float, float, float, float]], ...]

    @property
    def layers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(layer for layer, _ in self.shapes))


@dataclass
class TechLef:
    sites: dict[str, Site] = field(default_factory=dict)
    routing: list[RoutingLayer] = field(default_factory=list)
    cuts: list[CutLayer] = field(default_factory=list)
    vias: dict[str, Via] = field(default_factory=dict)
    layer_order: list[str] = field(default_factory=list)  # every layer, bottom first
    dbu_per_um: int = 1000


_COMMENT = re.compile(r"#[^\n]*")


def _statements(body: str) -> list[list[str]]:
    return [s.split() for s in _COMMENT.sub("", body).split(";") if s.split()]


def _number(words: list[str], k: int, where: str) -> float:
    try:
        return float(words[k])
    except (IndexError, ValueError):
        raise TechLefError(f"{where}: expected a number in '{' '.join(words)}'") from None


def read_tech_lef(path: Path, usable_fraction: dict[str, float] | None = None) -> TechLef:
    """Parse a technology LEF; `usable_fraction` gives each routing layer's share of signal tracks."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TechLefError(f"{path}: cannot read technology LEF ({exc})") from None
    text = text.split("\nMACRO ", 1)[0]  # a library LEF (tap130's) has its cells after the technology
    lef = TechLef()
    units = re.search(r"DATABASE\s+MICRONS\s+(\d+)", text)
    if units:
        lef.dbu_per_um = int(units.group(1))
    for kind, name, body in re.findall(r"^\s*(SITE|LAYER|VIA)\s+(\S+)([^\n]*\n.*?)^\s*END\s+\2\b", text,
                                       re.MULTILINE | re.DOTALL):
        where = f"{path}: {kind} {name}"
        if kind == "SITE":
            size = re.search(r"SIZE\s+([\d.]+)\s+BY\s+([\d.]+)", body)
            if not size:
                raise TechLefError(f"{where}: no SIZE")
            lef.sites[name] = Site(name, float(size.group(1)), float(size.group(2)))
        elif kind == "LAYER":
            lef.layer_order.append(name)
            _layer(lef, name, body, where, (usable_fraction or {}).get(name, 1.0))
        else:
            lef.vias[name] = _via(name, body, {cut.name for cut in lef.cuts})
    if not lef.routing:
        raise TechLefError(f"{path}: no routing layer")
    return lef


def _layer(lef: TechLef, name: str, body: str, where: str, usable: float) -> None:
    values: dict[str, list[str]] = {}
    spacing_table = None
    for words in _statements(body):
        head = words[0]
        if head == "SPACINGTABLE":
            spacing_table = words
        elif head in ("TYPE", "DIRECTION", "PITCH", "OFFSET", "WIDTH", "SPACING", "EDGECAPACITANCE", "AREA"):
            values.setdefault(head, words)
        elif head == "RESISTANCE" and len(words) >= 2:
            values["RESISTANCE"] = words
        elif head == "CAPACITANCE" and len(words) >= 3 and words[1] == "CPERSQDIST":
            values["CAPACITANCE"] = words
    kind = values.get("TYPE", ["TYPE", ""])[1]
    if kind == "ROUTING":
        if "SPACING" in values:
            spacing = _number(values["SPACING"], 1, where)
        elif spacing_table and "WIDTH" in spacing_table:  # PARALLELRUNLENGTH 0 WIDTH 0 <min spacing> ...
            spacing = _number(spacing_table, spacing_table.index("WIDTH") + 2, where)
        else:
            spacing = 0.0
        resistance = values.get("RESISTANCE", ["RESISTANCE", "RPERSQ", "0"])
        lef.routing.append(RoutingLayer(
            name=name, direction=values.get("DIRECTION", ["", "HORIZONTAL"])[1],
            pitch_um=_number(values["PITCH"], 1, where), usable_fraction=usable,
            width_um=_number(values["WIDTH"], 1, where), spacing_um=spacing,
            offset_um=_number(values["OFFSET"], 1, where) if "OFFSET" in values else 0.0,
            r_ohm_per_sq=_number(resistance, 2 if resistance[1] == "RPERSQ" else 1, where),
            c_area_pf_per_um2=_number(values["CAPACITANCE"], 2, where) if "CAPACITANCE" in values else 0.0,
            c_edge_pf_per_um=_number(values["EDGECAPACITANCE"], 1, where) if "EDGECAPACITANCE" in values else 0.0,
            min_area_um2=_number(values["AREA"], 1, where) if "AREA" in values else 0.0))
    elif kind == "CUT":
        below = next((r.name for r in reversed(lef.routing)), "")
        lef.cuts.append(CutLayer(
            name=name, below=below, above="",
            width_um=_number(values["WIDTH"], 1, where) if "WIDTH" in values else 0.0,
            spacing_um=_number(values["SPACING"], 1, where) if "SPACING" in values else 0.0,
            r_ohm_per_cut=_number(values["RESISTANCE"], 1, where) if "RESISTANCE" in values else 0.0))


def _via(name: str, body: str, cuts: set[str]) -> Via:
    """The via's metal shapes (its `cuts` layers left out)."""
    first_line, rest = body.split("\n", 1)
    shapes, layer = [], None
    for words in _statements(rest):
        if words[0] == "LAYER":
            layer = words[1]
        elif words[0] == "RECT" and layer is not None and layer not in cuts:
            x0, y0, x1, y1 = (float(v) for v in words[1:5])
            shapes.append((layer, (x0, y0, x1, y1)))
    return Via(name, "DEFAULT" in first_line, tuple(shapes))


def link_cut_layers(lef: TechLef) -> list[CutLayer]:
    """Cut layers with the routing layers below and above them filled in (from the layer order)."""
    routing = {r.name for r in lef.routing}
    order = [n for n in lef.layer_order if n in routing or any(c.name == n for c in lef.cuts)]
    linked = []
    for cut in lef.cuts:
        k = order.index(cut.name)
        below = next((n for n in reversed(order[:k]) if n in routing), "")
        above = next((n for n in order[k + 1:] if n in routing), "")
        linked.append(CutLayer(cut.name, below, above, cut.width_um, cut.spacing_um, cut.r_ohm_per_cut))
    return linked
