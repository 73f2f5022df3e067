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


@dataclass
class Layout:
    """The content of a DEF file. `nets` maps a net name to its (component, pin) connections;
    a top-level pin appears as ("PIN", pin name)."""

    design: str
    die: tuple[float, float, float, float]
    rows: list[Row] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)
    pins: list[IoPin] = field(default_factory=list)
    nets: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    dbu: int = 1000
