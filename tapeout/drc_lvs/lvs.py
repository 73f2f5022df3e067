"""LVS: the nets extracted from the layout (`tapeout.drc_lvs.extract`) compared with the netlist by
terminal names (``instance/pin``, ``/port``).

- an **open**: a net of the netlist whose terminals lie on more than one extracted net;
- a **short**: an extracted net holding terminals of more than one net of the netlist (power and
  ground count as nets: a cell's power pin is a terminal of the supply net);
- a **missing terminal**: a pin of the netlist with no label in the layout;
- a **supply open**: the power (or ground) pins of the cells on more than one extracted net.

A layout where no net of the netlist with two or more terminals is joined at all has no signal wiring
(global routing only): then opens are not a finding, and the result is "no signal wiring", not a match.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

NO_WIRING = "no signal wiring in the layout (global routing only)"


@dataclass
class LvsReport:
    """The comparison: status ('match', 'mismatch' or `NO_WIRING`), findings by net name."""

    status: str
    nets: int
    joined: int
    opens: dict[str, list[list[str]]] = field(default_factory=dict)
    shorts: list[list[str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    supplies: dict[str, int] = field(default_factory=dict)

    @property
    def supply_opens(self) -> list[str]:
        """Supply nets whose pins lie on more than one extracted net."""
        return sorted(net for net, pieces in self.supplies.items() if pieces > 1)

    @property
    def mismatches(self) -> int:
        opens = 0 if self.status == NO_WIRING else len(self.opens)
        return opens + len(self.shorts) + len(self.missing) + len(self.supply_opens)

    def text(self) -> str:
        lines = [f"LVS: {self.status}", f"nets of the netlist with two or more terminals: {self.nets}, "
                 f"joined in the layout: {self.joined}",
                 f"opens: {len(self.opens)}{' (not counted: no signal wiring)' if self.status == NO_WIRING else ''}",
                 f"shorts: {len(self.shorts)}", f"terminals missing in the layout: {len(self.missing)}"]
        lines += [f"supply {net}: pins on {pieces} extracted net{'s' if pieces > 1 else ''}"
                  + (" (open)" if pieces > 1 else "") for net, pieces in sorted(self.supplies.items())]
        for nets in self.shorts[:50]:
            lines.append(f"short between nets {', '.join(nets)}")
        if self.status != NO_WIRING:
            for net, pieces in list(self.opens.items())[:50]:
                lines.append(f"open net {net}: {len(pieces)} pieces: "
                             + " | ".join(" ".join(piece[:6]) + (" ..." if len(piece) > 6 else "") for piece in pieces))
        lines += [f"missing terminal {t}" for t in self.missing[:50]]
        return "\n".join(lines) + "\n"

    def metrics(self) -> dict:
        metrics = {"lvs__layout_shorts__count": len(self.shorts), "lvs__layout_missing__count": len(self.missing),
                   "lvs__layout_joined_nets__count": self.joined,
                   "lvs__layout_supply_opens__count": len(self.supply_opens)}
        if self.status != NO_WIRING:
            metrics["lvs__layout_opens__count"] = len(self.opens)
            metrics["lvs__layout_mismatches__count"] = self.mismatches
        return metrics


def compare(reference: dict[str, set[str]], extracted: list[set[str]], supplies: dict[str, str]) -> LvsReport:
    """Compare the netlist's nets (`reference`: net name -> terminal names) with the `extracted` nets.
    `supplies` maps a pin name to its supply net ('VPWR' -> 'VPWR'): terminals of the layout with that
    pin name and not in the netlist belong to that net."""
    net_of = {t: net for net, terms in reference.items() for t in terms}
    piece_of = {}
    for k, terms in enumerate(extracted):
        for t in terms:
            piece_of[t] = k
    shorts, supply_pieces = [], defaultdict(int)
    for terms in extracted:
        nets = {net_of.get(t) or supplies.get(t.rsplit("/", 1)[-1]) for t in terms} - {None}
        if len(nets) > 1:
            shorts.append(sorted(nets))
        for net in nets & set(supplies.values()):
            supply_pieces[net] += 1
    opens, missing, joined, multi = {}, [], 0, 0
    for net, terms in sorted(reference.items()):
        missing += sorted(t for t in terms if t not in piece_of)
        pieces = defaultdict(list)
        for t in sorted(terms):
            if t in piece_of:
                pieces[piece_of[t]].append(t)
        if len(terms) < 2:
            continue
        multi += 1
        if len(pieces) > 1:
            opens[net] = sorted(pieces.values())
        if any(len(p) > 1 for p in pieces.values()):
            joined += 1
    if multi and not joined:
        status = NO_WIRING
    else:
        status = "match" if not (opens or shorts or missing) else "mismatch"
    report = LvsReport(status, multi, joined, opens, sorted(shorts), missing, dict(supply_pieces))
    if report.supply_opens and status == "match":
        report.status = "mismatch"
    return report
