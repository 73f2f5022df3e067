"""Design rules as data: one `Rule` per rule name, and the rule table of each technology.

A rule is one geometric check on GDS layers (layer/datatype numbers). Kinds:

- ``width``     every polygon of `layer` at least `value` um wide (KLayout ``width_check``)
- ``space``     polygons of `layer` at least `value` um apart, notches inside one polygon included
                (KLayout ``space_check``, which checks space and notch)
- ``size``      every cut of `layer` a `value` x `value` um square (the cut rules' exact size)
- ``enclosure`` every cut of `layer` covered by `outer` with at least `value` um on each side
- ``area``      every polygon of `layer` at least `value` um2
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("width", "space", "size", "enclosure", "area")


@dataclass(frozen=True)
class Layer:
    """A GDS layer/datatype with the name the reports use (``met1``); `also` lists more layer/datatypes
    whose shapes count as this layer (a layout of LEF abstracts has its metal on the pin datatype)."""

    name: str
    gds: tuple[int, int]
    also: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Rule:
    """One design rule: `name` as the rule deck cites it (``m1.2``), what it checks, its value (um or
    um2 for area), and where the value comes from."""

    name: str
    kind: str
    layer: Layer
    value: float
    source: str
    outer: Layer | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        if not (self.value > 0 or (self.kind == "enclosure" and self.value == 0)):
            raise ValueError(f"rule {self.name}: value must be positive (an enclosure may be 0), not {self.value!r}")
        if (self.kind == "enclosure") != (self.outer is not None):
            raise ValueError(f"rule {self.name}: an enclosure rule names an outer layer, other kinds do not")

    @property
    def unit(self) -> str:
        return "um2" if self.kind == "area" else "um"

    def describe(self) -> str:
        """One line: ``m1.2 space met1 >= 0.14 um``."""
        what = f"{self.layer.name} in {self.outer.name}" if self.outer else self.layer.name
        relation = "==" if self.kind == "size" else ">="
        return f"{self.name} {self.kind} {what} {relation} {self.value:g} {self.unit}"


def rules_of(technology) -> tuple[Rule, ...]:
    """The routing-layer rule table of a technology (`tapeout.tech.technology.Technology`)."""
    if technology.name == "sky130_fd_sc_hd":
        from tapeout.drc_lvs.sky130_rules import SKY130_RULES

        return SKY130_RULES
    from tapeout.drc_lvs.stack_rules import rules_from_stack

    return rules_from_stack(technology.metal_stack, technology.cut_stack, f"{technology.name} metal stack")
