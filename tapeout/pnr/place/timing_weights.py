"""Timing-driven net weights for global placement, as the timing-driven mode of RePlAce /
OpenROAD's ``gpl`` computes them.

At a few density-overflow checkpoints of global placement (`tapeout.pnr.place.eplace`), the
flow's own timer (`tapeout.signoff.sta`) times the current placement: wires are estimated as
rectilinear minimum spanning trees over the pins (`tapeout.signoff.parasitics.estimate_parasitics`)
and clocks are ideal, as before clock-tree synthesis. Each net gets the slack of the worst setup
path through it (the timer traces the worst path into every endpoint; the clock net that
launches a path is not on it). The ``fraction`` of
nets with the worst slacks are weighted linearly from 1 at the slack of the last of them to
``max_weight`` at the worst slack; every other net keeps weight 1. That is OpenROAD gpl's
``TimingBase::executeTimingDriven`` (worst 10 % of the nets, largest weight 1.9 by default,
reweighting at overflows 0.79, 0.64, 0.49, 0.29, 0.21, 0.15); Cheng, Kahng, Kang and Wang,
"RePlAce: Advancing solution quality and routability validation in global placement", TCAD 2019.

Slacks in ns, positions in um.
"""

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["NetTiming", "PlacementTimer", "net_criticality"]

WORST_NET_FRACTION = 0.1  # share of the nets that are reweighted (OpenROAD gpl: 10 %)
MAX_NET_WEIGHT = 1.9      # weight of the worst net (OpenROAD gpl default)


@dataclass(frozen=True)
class NetTiming:
    """Timing of one placement.

    slack_ns : array of float, shape (n_nets,)
        Slack of the worst checked setup path through each net (inf where none passes).
    wns_ns : float
        Worst setup slack (nan without a checked path).
    """

    slack_ns: np.ndarray
    wns_ns: float


def net_criticality(slack_ns, fraction=WORST_NET_FRACTION):
    """Criticality in [0, 1] of each net from its slack: 1 at the worst slack, falling linearly
    to 0 at the slack of the ``ceil(fraction * nets with a slack)``-th worst net, 0 beyond.

    When those worst slacks are all equal, the nets at the worst slack get 1 and the others 0;
    without any slack, all get 0.
    """
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be a number in (0, 1], not {fraction!r}")
    slack = np.asarray(slack_ns, dtype=np.float64)
    timed = np.sort(slack[np.isfinite(slack)])
    criticality = np.zeros(slack.shape)
    if timed.size == 0:
        return criticality
    worst = timed[0]
    last = timed[min(timed.size, math.ceil(fraction * timed.size)) - 1]
    if last <= worst:
        criticality[slack <= worst] = 1.0
        return criticality
    hit = np.isfinite(slack) & (slack < last)
    criticality[hit] = (last - slack[hit]) / (last - worst)
    return np.clip(criticality, 0.0, 1.0)


class PlacementTimer:
    """Times placements of one netlist.

    Parameters
    ----------
    graph : TimingGraph
        The netlist's timing graph (pins and nets in the netlist's, and so the placement
        problem's, order).
    constraints : Constraints
        Clocks and I/O delays; propagated clocks are timed as ideal (there is no clock tree yet).
    pin_position : callable(x, y) -> (pin_x, pin_y)
        Pin positions (um) of every pin of the graph for cell lower-left corners ``x``, ``y``.
    layer : RoutingLayer or None
        The layer whose R and C per um the estimated wires get (default met2).
    """

    def __init__(self, graph, constraints, pin_position, layer=None):
        from tapeout.signoff.constraints import Constraints

        self.graph = graph
        self.constraints = Constraints(clocks=list(constraints.clocks), input_delays=list(constraints.input_delays),
                                       output_delays=list(constraints.output_delays),
                                       input_transitions=list(constraints.input_transitions),
                                       exceptions=list(constraints.exceptions), propagated=set())
        self.pin_position = pin_position
        self.layer = layer
        self._pin_index = {label: k for k, label in enumerate(graph.pin_labels())}

    def __call__(self, x, y):
        """`NetTiming` of the placement with lower-left corners ``x``, ``y`` (um)."""
        from tapeout.signoff.parasitics import estimate_parasitics
        from tapeout.signoff.sta import run_sta

        graph = self.graph
        pin_x, pin_y = self.pin_position(x, y)
        parasitics = estimate_parasitics(graph, pin_x, pin_y, self.layer)
        report = run_sta(graph, self.constraints, parasitics, n_paths=graph.n_pins)
        slack = np.full(graph.n_nets, np.inf)
        for path in report.paths:
            if path.kind != "setup":
                continue
            pins = np.fromiter((self._pin_index[p.pin] for p in path.points), dtype=np.int64)
            if pins.size and graph.pin_cell[pins[0]] >= 0:
                pins = pins[1:]  # a flop's clock pin starts the path: the clock net is no data net
            nets = graph.pin_net[pins]
            nets = nets[nets >= 0]
            slack[nets] = np.minimum(slack[nets], path.slack_ns)
        return NetTiming(slack, report.wns_ns)
