"""Static timing analysis: clocks, sources, exceptions, setup/hold checks, Fmax.

:func:`run_sta` times a :class:`~tapeout.signoff.graph.TimingGraph` under
:class:`~tapeout.signoff.constraints.Constraints`:

* delays and slews come first, for the whole graph, from
  :mod:`tapeout.signoff.delay_calc` (effective capacitance into each net's pi model,
  wire delays on its RC tree);
* the clock network is traced from each clock's port through nets and
  combinational cells (clock buffers) to the flop clock pins. A propagated clock
  (``set_propagated_clock``) arrives at each clock pin through that network, with
  the slew it gets there; an ideal clock arrives at ``clock_latency_ns`` (else 0)
  with the clock's transition. Clock pins not reached are unclocked (neither
  launched nor checked);
* input ports with an input delay launch at that delay; ports without one are
  unconstrained, as in OpenSTA;
* setup: ``slack = T + latency_capture - setup(data slew, clock slew) - arrival_max``,
  hold: ``slack = arrival_min - latency_capture - hold(...)``; output ports:
  ``T - output_delay - arrival_max`` and ``arrival_min + output_delay``; ``T`` is the
  capture clock's period (paths between clocks take the capture period);
* false paths remove the matching start/end pairs (one extra propagation per set
  of excluded startpoints); ``set_max_delay`` checks ``arrival_max <= delay`` for the
  matching pairs instead of the clock check;
* Fmax is ``1 / max(T - slack)`` over the clocked setup checks.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from .constraints import match_names
from .delay import lookup
from .delay_calc import all_edges, calculate_delays
from .graph import ARC_COMBINATIONAL, CHECK_SETUP
from .parasitics import wire_timing
from .paths import TimingPath, trace_path
from .pi_model import reduce_to_pi
from .propagate import EdgeSet, build_edges, propagate

__all__ = ["TimingReport", "run_sta"]


@dataclass
class TimingReport:
    """Results of :func:`run_sta` (times in ns).

    Attributes
    ----------
    wns_ns, tns_ns : float
        Worst setup slack over all endpoints (positive when met) and the sum of the
        negative ones.
    hold_ws_ns, hold_tns_ns : float
        Worst hold slack and the sum of negative hold slacks.
    fmax_mhz : float
        Highest clock frequency meeting every clocked setup check (nan if none).
    endpoints : list of str
        Endpoint pin names, aligned with ``setup_slack_ns``/``hold_slack_ns``
        (nan where an endpoint has no such check).
    paths : list of TimingPath
        The worst setup paths (one per endpoint, worst first), then the worst hold paths.
    pin_slew_ns, pin_load_pf : ndarray
        Worst (max) slew per pin and load per driver pin, for DRC and power.
    clock_arrival_ns : dict
        Propagated clock arrival (rise, ns) at every clock pin of a flop or macro, by pin label.
    """

    wns_ns: float
    tns_ns: float
    hold_ws_ns: float
    hold_tns_ns: float
    fmax_mhz: float
    endpoints: list
    setup_slack_ns: np.ndarray
    hold_slack_ns: np.ndarray
    paths: list = field(default_factory=list)
    pin_slew_ns: np.ndarray = None
    pin_load_pf: np.ndarray = None
    clock_arrival_ns: dict = field(default_factory=dict)

    @property
    def clock_latency_ns(self):
        """Largest clock arrival at a clock pin (0 without propagated clocks)."""
        return max(self.clock_arrival_ns.values(), default=0.0)

    @property
    def clock_skew_ns(self):
        """Largest minus smallest clock arrival at the clock pins."""
        values = self.clock_arrival_ns.values()
        return max(values) - min(values) if values else 0.0

    @property
    def setup_violations(self):
        return int(np.sum(self.setup_slack_ns < 0))

    @property
    def hold_violations(self):
        return int(np.sum(self.hold_slack_ns < 0))

    def metrics(self):
        """The metrics the flow publishes (OpenLane/ORFS names)."""
        def clean(v):
            return None if v is None or not math.isfinite(v) else round(float(v), 6)
        return {"timing__setup_ws__ns": clean(self.wns_ns),
                "timing__setup_tns__ns": clean(self.tns_ns),
                "timing__hold_ws__ns": clean(self.hold_ws_ns),
                "timing__hold_tns__ns": clean(self.hold_tns_ns),
                "timing__fmax__mhz": clean(self.fmax_mhz),
                "timing__setup_violations__count": self.setup_violations,
                "timing__hold_violations__count": self.hold_violations}


class _Endpoint:
    """One check: pin, kind, capture clock, required-time pieces."""

    def __init__(self, pin, kind, clock, capture_ns, check_row=-1, port_delay=0.0, clock_slew=0.0):
        self.pin, self.kind, self.clock = pin, kind, clock
        self.capture_ns, self.check_row, self.port_delay = capture_ns, check_row, port_delay
        self.clock_slew = clock_slew


def trace_clocks(graph, constraints):
    """Clock-network mask and the clock index of each pin (-1 where none)."""
    pin_clock = np.full(graph.n_pins, -1, dtype=np.int64)
    network = np.zeros(graph.n_pins, dtype=bool)
    ports = graph.port_pins
    port_names = [graph.pin_names[p] for p in ports]
    arcs_from = {}
    for a in np.flatnonzero(graph.arc_kind == 0):
        arcs_from.setdefault(int(graph.arc_from[a]), []).append(int(graph.arc_to[a]))
    for k, clock in enumerate(constraints.clocks):
        if clock.port is None:
            continue
        roots = [int(ports[i]) for i in match_names([clock.port], port_names)]
        if not roots:
            raise ValueError(f"clock {clock.name!r}: no port named {clock.port!r}")
        stack = roots
        while stack:
            p = stack.pop()
            if network[p]:
                continue
            network[p] = True
            pin_clock[p] = k
            if graph.pin_is_clock[p] and graph.pin_cell[p] >= 0 and not graph.pin_is_driver[p] \
                    and p not in arcs_from:
                continue
            if graph.pin_is_driver[p] and graph.pin_net[p] >= 0:
                net = graph.pin_net[p]
                stack.extend(int(q) for q in graph.net_pins[graph.net_ptr[net]:graph.net_ptr[net + 1]]
                             if q != p)
            else:
                stack.extend(arcs_from.get(p, ()))
    return network, pin_clock


def _clock_arrivals(graph, constraints, network, pin_clock, early_delays, late_delays):
    """Early and late arrival (n_pins, 2) of each clock through its network, from its port edge at 0
    (rise) and half a period (fall)."""
    n = graph.n_pins
    in_net = network[graph.net_pins]
    slots = np.repeat(np.arange(graph.n_nets), np.diff(graph.net_ptr))
    driver = graph.net_driver[slots]
    keep = in_net & (driver >= 0) & (graph.net_pins != driver) & network[np.maximum(driver, 0)] \
        & ~graph.pin_is_driver[graph.net_pins]
    comb = np.flatnonzero((graph.arc_kind == ARC_COMBINATIONAL) & network[graph.arc_from]
                          & network[graph.arc_to])
    edges = EdgeSet(n, np.concatenate([driver[keep], graph.arc_from[comb]]).astype(np.int64),
                    np.concatenate([graph.net_pins[keep], graph.arc_to[comb]]).astype(np.int64),
                    np.concatenate([np.zeros(int(keep.sum())), np.ones(len(comb))]).astype(np.int64),
                    np.concatenate([np.full(int(keep.sum()), -1), comb]).astype(np.int64))
    result = []
    for is_max in (False, True):
        arrival = np.full((n, 2), -np.inf if is_max else np.inf)
        for k, clock in enumerate(constraints.clocks):
            roots = np.flatnonzero(network & (pin_clock == k) & (graph.pin_cell < 0))
            arrival[roots] = (0.0, 0.5 * clock.period_ns)
        result.append(propagate(graph, edges, late_delays if is_max else early_delays, arrival, is_max).arrival)
    return result


def _select(graph, refs, *, for_start, sources, endpoint_pins, pin_clock, clock_names):
    """Pins matched by SDC object references: startpoints or endpoints."""
    chosen = set()
    cell_of = graph.pin_cell
    for ref in refs:
        if ref.kind == "port":
            ports = graph.port_pins
            names = [graph.pin_names[p] for p in ports]
            chosen.update(int(ports[i]) for i in match_names(ref.patterns, names))
        elif ref.kind == "cell":
            cells = set(match_names(ref.patterns, graph.cell_names))
            pool = np.flatnonzero(sources) if for_start else np.array(sorted(endpoint_pins))
            chosen.update(int(p) for p in pool if cell_of[p] in cells)
        elif ref.kind == "pin":
            labels = graph.pin_labels()
            hits = match_names(ref.patterns, labels)
            for p in hits:
                if for_start and not sources[p] and cell_of[p] >= 0:
                    chosen.update(int(q) for q in np.flatnonzero(sources & (cell_of == cell_of[p])))
                else:
                    chosen.add(int(p))
        else:
            ks = set(match_names(ref.patterns, clock_names))
            pool = np.flatnonzero(sources) if for_start else np.array(sorted(endpoint_pins))
            chosen.update(int(p) for p in pool if pin_clock[p] in ks)
    return chosen


def run_sta(graph, constraints, parasitics=None, clock_latency_ns=None, n_paths=10):
    """Time ``graph`` under ``constraints``.

    Parameters
    ----------
    graph : TimingGraph
    constraints : Constraints
    parasitics : Parasitics, optional
        Wire RC trees (None: no wires, pin loads only).
    clock_latency_ns : mapping of str to float or array of float, optional
        Clock arrival at each flop (by instance name, or per instance), e.g. from the
        clock tree; default 0 (ideal clock).
    n_paths : int
        Number of setup and of hold paths kept in the report.

    Returns
    -------
    TimingReport
    """
    if not (isinstance(n_paths, int) and n_paths >= 0):
        raise ValueError(f"n_paths must be a non-negative integer, not {n_paths!r}")
    wires = wire_timing(parasitics, graph)
    pin_load = np.where(graph.pin_net >= 0, wires.net_load_pf[np.maximum(graph.pin_net, 0)], 0.0)
    network, pin_clock = trace_clocks(graph, constraints)
    clocks = constraints.clocks
    clock_names = [c.name for c in clocks]
    latency = np.zeros(graph.n_cells)
    if isinstance(clock_latency_ns, dict):
        index = {name: k for k, name in enumerate(graph.cell_names)}
        for name, value in clock_latency_ns.items():
            if name not in index:
                raise ValueError(f"clock_latency_ns names an unknown instance {name!r}")
            latency[index[name]] = value
    elif clock_latency_ns is not None:
        latency = np.asarray(clock_latency_ns, dtype=float)
        if latency.shape != (graph.n_cells,):
            raise ValueError(f"clock_latency_ns must have {graph.n_cells} entries, "
                             f"not shape {latency.shape}")

    n = graph.n_pins
    ports = graph.port_pins
    port_names = [graph.pin_names[p] for p in ports]
    port_slew = np.zeros(n)
    for ref, value in constraints.input_transitions:
        for i in match_names(ref.patterns, port_names):
            port_slew[ports[i]] = value
    propagated = np.array([c.name in constraints.propagated for c in clocks], dtype=bool)
    ideal_slew = np.full(n, np.nan)
    for p in np.flatnonzero(network & (pin_clock >= 0)):
        if not propagated[pin_clock[p]]:
            ideal_slew[p] = clocks[pin_clock[p]].transition_ns
    every_edge = all_edges(graph)
    pi = (reduce_to_pi(parasitics, graph, 0), reduce_to_pi(parasitics, graph, 1))
    late_delays, early_delays = (calculate_delays(graph, every_edge, pi, port_slew, ideal_slew, is_max)
                                 for is_max in (True, False))
    clock_early, clock_late = _clock_arrivals(graph, constraints, network, pin_clock, early_delays, late_delays)

    def clock_at(pin, late):
        """Arrival (rise, fall) of the pin's clock at a clock pin, and the clock slew there."""
        k = pin_clock[pin]
        if propagated[k]:
            arrival = (clock_late if late else clock_early)[pin]
            return arrival, float((late_delays if late else early_delays).slew[pin, 0])
        t = latency[graph.pin_cell[pin]]
        return (t, t + 0.5 * clocks[k].period_ns), clocks[k].transition_ns

    # sources: clocked flop clock pins and delayed input ports
    launch_pins = np.unique(graph.arc_from[graph.arc_kind != 0])
    launch_pins = launch_pins[pin_clock[launch_pins] >= 0]
    src_max = np.full((n, 2), -np.inf)
    src_min = np.full((n, 2), np.inf)
    sources = np.zeros(n, dtype=bool)
    start_clock = np.full(n, -1, dtype=np.int64)
    for p in launch_pins:
        src_max[p] = clock_at(p, late=True)[0]
        src_min[p] = clock_at(p, late=False)[0]
        sources[p] = True
        start_clock[p] = pin_clock[p]
    for d in constraints.input_delays:
        k = clock_names.index(d.clock)
        for i in match_names(d.ports.patterns, port_names):
            p = ports[i]
            if network[p]:
                continue
            sources[p] = True
            start_clock[p] = k
            if d.corner in ("max", "both"):
                src_max[p] = d.delay_ns
            if d.corner in ("min", "both"):
                src_min[p] = d.delay_ns
    src_max[sources & ~np.isfinite(src_max[:, 0])] = -np.inf
    src_min[sources & ~np.isfinite(src_min[:, 0])] = np.inf

    # endpoints
    endpoints = []
    for row in range(len(graph.check_pin)):
        clock_pin = graph.check_clock_pin[row]
        k = pin_clock[clock_pin]
        if k < 0 or not network[clock_pin]:
            continue
        kind = "setup" if graph.check_kind[row] == CHECK_SETUP else "hold"
        (cap, _), clock_slew = clock_at(clock_pin, late=kind == "hold")
        endpoints.append(_Endpoint(int(graph.check_pin[row]), kind, int(k),
                                   cap + (clocks[k].period_ns if kind == "setup" else 0.0), row,
                                   clock_slew=clock_slew))
    for d in constraints.output_delays:
        k = clock_names.index(d.clock)
        for i in match_names(d.ports.patterns, port_names):
            p = int(ports[i])
            if d.corner in ("max", "both"):
                endpoints.append(_Endpoint(p, "setup", k, clocks[k].period_ns, port_delay=d.delay_ns))
            if d.corner in ("min", "both"):
                endpoints.append(_Endpoint(p, "hold", k, 0.0, port_delay=d.delay_ns))
    endpoint_pins = {e.pin for e in endpoints}

    # exceptions: per endpoint, startpoints excluded from its clock checks
    select = dict(sources=sources, endpoint_pins=endpoint_pins, pin_clock=pin_clock,
                  clock_names=clock_names)
    all_starts = frozenset(int(p) for p in np.flatnonzero(sources))
    excluded = {("setup", p): frozenset() for p in endpoint_pins}
    excluded.update({("hold", p): frozenset() for p in endpoint_pins})
    max_delay_checks = []
    for exc in constraints.exceptions:
        starts = frozenset(_select(graph, exc.from_, for_start=True, **select)) \
            if exc.from_ else all_starts
        ends = _select(graph, exc.to, for_start=False, **select) if exc.to else endpoint_pins
        kinds = ("setup", "hold") if exc.max_delay_ns is None else ("setup",)
        for p in ends & endpoint_pins:
            for kind in kinds:
                excluded[(kind, p)] = excluded[(kind, p)] | starts
        if exc.max_delay_ns is not None:
            max_delay_checks.append((exc.max_delay_ns, starts, sorted(ends)))

    edges = build_edges(graph, network, sources)
    cache = {}

    def run(launch, is_max):
        key = (launch, is_max)
        if key not in cache:
            mask = np.zeros(n, dtype=bool)
            mask[list(launch)] = True
            base = src_max if is_max else src_min
            arr = np.where(mask[:, None], base, -np.inf if is_max else np.inf)
            cache[key] = propagate(graph, edges, late_delays if is_max else early_delays, arr, is_max)
        return cache[key]

    labels = graph.pin_labels()
    pin_of_label = {}  # filled on the first traced path (a list search per path was quadratic)
    results = []  # (endpoint or None, slack, required, arrival, edge, propagation, check_ns, capture)
    for ep in endpoints:
        launch = all_starts - excluded[(ep.kind, ep.pin)]
        if not launch:
            continue
        prop = run(launch, ep.kind == "setup")
        best = None
        for edge in (0, 1):
            arrival = prop.arrival[ep.pin, edge]
            if not math.isfinite(arrival):
                continue
            check = 0.0
            if ep.check_row >= 0:
                table = graph.check_tables[ep.check_row, edge]
                if table < 0:
                    continue
                check = float(lookup(table, prop.slew[ep.pin, edge], ep.clock_slew,
                                     *graph.tables.arrays))
            if ep.kind == "setup":
                required = ep.capture_ns - check - ep.port_delay
                slack = required - arrival
            else:
                required = ep.capture_ns + check - ep.port_delay
                slack = arrival - required
            if best is None or slack < best[0]:
                best = (slack, required, arrival, edge, check)
        if best is not None:
            results.append((ep, *best, prop))
    for delay, starts, ends in max_delay_checks:
        prop = run(starts, True)
        for p in ends:
            edge = int(np.argmax(prop.arrival[p]))
            arrival = prop.arrival[p, edge]
            if math.isfinite(arrival):
                ep = _Endpoint(p, "max_delay", -1, delay)
                results.append((ep, delay - arrival, delay, arrival, edge, 0.0, prop))

    names = sorted({labels[e.pin] for e in endpoints} | {labels[r[0].pin] for r in results})
    index = {name: k for k, name in enumerate(names)}
    setup = np.full(len(names), np.nan)
    hold = np.full(len(names), np.nan)
    for ep, slack, *_ in results:
        target = hold if ep.kind == "hold" else setup
        k = index[labels[ep.pin]]
        target[k] = slack if np.isnan(target[k]) else min(target[k], slack)
    setup_slacks = setup[~np.isnan(setup)]
    hold_slacks = hold[~np.isnan(hold)]
    periods = [clocks[ep.clock].period_ns - slack for ep, slack, *_ in results
               if ep.kind == "setup"]
    fmax = 1000.0 / max(periods) if periods and max(periods) > 0 else math.nan

    def path_of(result):
        ep, slack, required, arrival, edge, check, prop = result
        points = trace_path(graph, prop, ep.pin, edge, labels)
        start = points[0].pin if points else labels[ep.pin]
        if points and not pin_of_label:
            for k, label in enumerate(labels):
                pin_of_label.setdefault(label, k)  # the first pin of a label, as list.index gave
        start_pin = pin_of_label[start] if points else ep.pin
        sclock = start_clock[start_pin]
        return TimingPath(ep.kind, start, labels[ep.pin],
                          clock_names[sclock] if sclock >= 0 else "",
                          clock_names[ep.clock] if ep.clock >= 0 else "", float(slack),
                          float(arrival), float(required), float(ep.capture_ns),
                          float(check), points)

    paths = []
    for kind in ("setup", "hold"):
        chosen = sorted((r for r in results if (r[0].kind == "hold") == (kind == "hold")),
                        key=lambda r: r[1])
        seen = set()
        for r in chosen:
            if len(seen) >= n_paths:
                break
            if r[0].pin in seen:
                continue
            seen.add(r[0].pin)
            paths.append(path_of(r))
    slew_max = late_delays.slew.max(axis=1)
    return TimingReport(
        wns_ns=float(setup_slacks.min()) if len(setup_slacks) else math.nan,
        tns_ns=float(np.minimum(setup_slacks, 0).sum()),
        hold_ws_ns=float(hold_slacks.min()) if len(hold_slacks) else math.nan,
        hold_tns_ns=float(np.minimum(hold_slacks, 0).sum()),
        fmax_mhz=fmax, endpoints=names, setup_slack_ns=setup, hold_slack_ns=hold,
        paths=paths, pin_slew_ns=slew_max, pin_load_pf=pin_load,
        clock_arrival_ns={labels[p]: float(clock_late[p, 0]) for p in np.unique(graph.check_clock_pin)
                          if pin_clock[p] >= 0 and propagated[pin_clock[p]]
                          and np.isfinite(clock_late[p, 0])})
