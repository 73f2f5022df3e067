"""A placed (and routed) design as DEF describes it: die, rows, components, pins, nets.

Lengths are in micrometres; DEF files store them as integer database units (`dbu` per um).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Row:
    """A standard-cell row: `count` sites of `site` starting at (x, y) um, `step` um apart."""

    name: str
    site: str
    x: float
    y: float
    orient: str
    count: int
    step: float


@dataclass(frozen=True)
class Component:
    """A cell or macro instance with its lower-left corner (um) and orientation."""

    name: str
    macro: str
    x: float
    y: float
    orient: str = "N"
    fixed: bool = False


@dataclass(frozen=True)
class IoPin:
    """A top-level pin on the die boundary: centre (x, y) um, a `w` x `h` um shape on `layer`."""

    name: str
    net: str
    direction: str
    layer: str
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Tracks:
    """Routing tracks of `layer`: `count` lines `step` um apart from `start` um; `axis` "X" for vertical
    lines at x positions (a vertical layer's tracks), "Y" for horizontal lines."""

    layer: str
    axis: str
    start: float
    count: int
    step: float


@dataclass(frozen=True)
class ViaDef:
    """A via written in the DEF VIAS section: rectangles (x0, y0, x1, y1 um, about the via origin) per
    layer, bottom layer first."""

    name: str
    rects: tuple[tuple[str, tuple[float, float, float, float]], ...]


@dataclass(frozen=True)
class Wire:
    """A special-net wire: a `width` um wide segment on `layer` from (x0, y0) to (x1, y1) um, and its
    DEF shape (FOLLOWPIN, STRIPE, ...)."""

    layer: str
    width: float
    x0: float
    y0: float
    x1: float
    y1: float
    shape: str


@dataclass
class SpecialNet:
    """A power or ground net: its wires and vias ((via name, x, y) um) and its use (POWER, GROUND)."""

    name: str
    use: str
    wires: list[Wire] = field(default_factory=list)
    vias: list[tuple[str, float, float]] = field(default_factory=list)


@dataclass
class Layout:
    """The content of a DEF file. `nets` maps a net name to its (component, pin) connections;
    a top-level pin appears as ("PIN", pin name); `routes` maps a net name to its wires and vias."""

    design: str
    die: tuple[float, float, float, float]
    rows: list[Row] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)
    pins: list[IoPin] = field(default_factory=list)
    nets: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    dbu: int = 1000
    tracks: list[Tracks] = field(default_factory=list)
    vias: list[ViaDef] = field(default_factory=list)
    special_nets: list[SpecialNet] = field(default_factory=list)
    routes: dict[str, list] = field(default_factory=dict)  # net -> RoutedWire / RoutedVia / RoutedRect (DEF + ROUTED)


@dataclass(frozen=True)
class RoutedWire:
    """A regular-net wire: a segment on `layer` from (x0, y0) to (x1, y1) um at the layer's default width."""

    layer: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class RoutedVia:
    """A regular-net via: the LEF via `via` placed at (x, y) um, `layer` its bottom routing layer."""

    layer: str
    via: str
    x: float
    y: float


@dataclass(frozen=True)
class RoutedRect:
    """A regular-net patch: a rectangle of metal on `layer` from (x0, y0) to (x1, y1) um (DEF `RECT`)."""

    layer: str
    x0: float
    y0: float
    x1: float
    y1: float
