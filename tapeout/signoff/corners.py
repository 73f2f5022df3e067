"""Multi-corner static timing: the same netlist, constraints and parasitics timed with the Liberty of
each corner the technology signs off at (setup at its slow corner, hold at its fast corner, the
headline Fmax at its typical corner). A one-corner technology (tap130) is timed once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class CornerTiming:
    """Timing reports by corner name, and which corner each check is signed off at."""

    reports: dict
    typical: str
    setup_corner: str
    hold_corner: str

    @property
    def typical_report(self):
        return self.reports[self.typical]

    @property
    def setup_report(self):
        return self.reports[self.setup_corner]

    @property
    def hold_report(self):
        return self.reports[self.hold_corner]

    def metrics(self) -> dict:
        """Setup figures from the setup corner, hold figures from the hold corner, Fmax at the typical
        corner; with several corners also every corner's own worst slacks and Fmax
        (`timing__<corner>_setup_ws__ns`, ...)."""
        setup, hold = self.setup_report.metrics(), self.hold_report.metrics()
        metrics = {**self.typical_report.metrics()}
        for key in ("timing__setup_ws__ns", "timing__setup_tns__ns", "timing__setup_violations__count"):
            metrics[key] = setup[key]
        for key in ("timing__hold_ws__ns", "timing__hold_tns__ns", "timing__hold_violations__count"):
            metrics[key] = hold[key]
        if len(self.reports) > 1:
            for corner, report in self.reports.items():
                m = report.metrics()
                metrics[f"timing__{corner}_setup_ws__ns"] = m["timing__setup_ws__ns"]
                metrics[f"timing__{corner}_hold_ws__ns"] = m["timing__hold_ws__ns"]
                metrics[f"timing__{corner}_fmax__mhz"] = m["timing__fmax__mhz"]
        return metrics

    def summary(self) -> str:
        """One line per corner: what it is used for and its worst slacks."""
        lines = []
        for corner, r in self.reports.items():
            uses = [use for use, c in (("typical", self.typical), ("setup", self.setup_corner),
                                       ("hold", self.hold_corner)) if c == corner]
            lines.append(f"corner {corner} ({', '.join(uses)}): setup WNS {r.wns_ns:.3f} ns, hold WS "
                         f"{r.hold_ws_ns:.3f} ns, Fmax {r.fmax_mhz:.1f} MHz")
        return "\n".join(lines)


def time_corners(technology, typical_graph, graph_of_corner, constraints, parasitics, n_paths: int = 10):
    """Run STA at every corner the technology signs off at. `typical_graph` is the timing graph linked to
    the typical corner; `graph_of_corner(corner)` builds the graph linked to another corner's library
    (same netlist, so the parasitics apply unchanged)."""
    from tapeout.signoff.sta import run_sta

    corners = dict.fromkeys((technology.typical, technology.setup_corner, technology.hold_corner))
    reports = {}
    for corner in corners:
        graph = typical_graph if corner == technology.typical else graph_of_corner(corner)
        reports[corner] = run_sta(graph, constraints, parasitics, n_paths=n_paths)
    return CornerTiming(reports, technology.typical, technology.setup_corner, technology.hold_corner)
