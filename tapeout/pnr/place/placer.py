"""The placer: global placement, legalisation (multi-row cells, then Abacus), detailed
placement, a legality check.

``method="eplace"`` is electrostatic global placement (`tapeout.pnr.place.eplace`) from a
quadratic start (spectral when no fixed pin anchors the netlist), to ``target_density``
(default: `default_target_density`), then a routing estimate by the global
router (`tapeout.pnr.place.route_estimate`) and, while it overflows, more rounds with the cells
of congested gcells inflated. ``method="anneal"`` is the classic VPR flow: random
slots, start temperature from random moves, full adaptive anneal. ``method="analytic"`` starts
from a quadratic placement spread onto the slots (`tapeout.pnr.place.analytic`) and anneals at
low temperature with a small window. ``method="auto"`` anneals designs of fewer than
``eplace_threshold`` movable cells and places larger ones with eplace.
"""

import math
import time
from dataclasses import dataclass, field

import numpy as np

from tapeout.pnr.floorplan.rows import row_segments
from tapeout.pnr.place.analytic import analytic_placement, quadratic_placement
from tapeout.pnr.place.anneal import SlotPlacement, anneal, measure_deltas
from tapeout.pnr.place.cost import hpwl, net_cost_weights, net_table
from tapeout.pnr.place.density import density_map
from tapeout.pnr.place.detailed import detailed_placement
from tapeout.pnr.place.eplace import global_place
from tapeout.pnr.place.legality import check_legality
from tapeout.pnr.place.legalize import check_fits, displacement, legalize
from tapeout.pnr.place.reorder import morton_order, renumber
from tapeout.pnr.place.route_estimate import CAPACITY_MARGIN, MAX_INFLATION, inflation, route_estimate
from tapeout.pnr.place.schedule import AnnealSchedule, moves_per_temperature
from tapeout.pnr.place.slots import build_slot_grid, random_assignment
from tapeout.pnr.place.spectral import anchored, spectral_placement
from tapeout.pnr.place.timing_weights import MAX_NET_WEIGHT, net_criticality
from tapeout.pnr.place.xorshift import new_state
from tapeout.tech.layers import METAL_STACK

__all__ = ["PlacementResult", "place", "METHODS"]

METHODS = ("auto", "anneal", "analytic", "eplace")

INNER_NUM = 1.0            # VPR's inner_num at effort 1
EPLACE_THRESHOLD = 100     # movable cells from which "auto" uses eplace (better HPWL from 100 cells: README)
DENSITY_MARGIN = 0.3       # default target density over the utilisation
MAX_AUTO_DENSITY = 0.9     # but at most this (1.0 left legalisation 1.31x of the optimum at 10K cells, 20 %
MIN_DENSITY_MARGIN = 0.05  # whitespace; 0.9 1.30x: README) and at least the utilisation plus this
MAX_FILL = 0.95            # inflated cells may take at most this share of the free area
NEXT_ROUND_WEIGHT = 0.1    # a routability round's starting density weight over the last round's final one
ROUTABILITY_ROUNDS = 2     # inflation rounds at most
QUADRATIC_ITERATIONS = 2   # B2B re-linearisations of eplace's start (more changed nothing measurable)
LOW_T_WINDOW_ROWS = 4      # start window of the low-temperature anneal, rows
LOW_T_FACTOR = 0.1         # its start temperature over the std of greedy move deltas
LOW_T_MOVES_PER_CELL = 20  # moves per temperature per movable cell of that anneal
ANALYTIC_FILL = 0.9        # slot fill of the analytic start: cell width per slot width
TIMING_OVERFLOWS = (0.79, 0.64, 0.49, 0.29, 0.21, 0.15)  # timing-driven reweighting (OpenROAD gpl's)


@dataclass
class PlacementResult:
    """A finished placement.

    Attributes
    ----------
    x, y : array of float, shape (n_cells,)
        Legal lower-left corners of every cell, um (fixed cells unchanged).
    hpwl : float
        Final half-perimeter wirelength over all nets, um.
    hpwl_by_step : dict
        HPWL (um) after each step: "initial", "global", "legalised", "detailed".
    moves : int
        Annealing moves tried (0 for eplace).
    moves_per_s : float
        Moves per CPU second of the compiled annealing loop.
    runtime_s : float
        Wall time of the whole placement, s.
    temperatures : list of TemperatureStep
        The annealing trace.
    method : str
        "anneal", "analytic" or "eplace".
    violations : int
        Legality violations of the result (0 unless something is wrong).
    seed : int
    global_x, global_y : array of float or None
        The global placement before legalisation (lower-left corners, um).
    target_density : float or None
        Target density of eplace.
    global_iterations : list of int
        Nesterov iterations of each eplace round.
    overflow : float
        Density overflow at the end of global placement (eplace).
    displacement_rows : tuple of float
        Mean and largest legalisation displacement, row heights.
    congestion : RouteEstimate or None
        Routing estimate of the final placement (eplace with routability).
    inflated_cells : int
        Cells inflated for routability rounds.
    max_bin_density : float
        Largest cell area over free area of the global placement, in bins of
        `tapeout.pnr.place.density.DENSITY_BIN_ROWS` rows.
    timing_wns_ns : list of float
        Worst setup slack (ns) of each timing of a timing-driven eplace, in order.
    timing_s : float
        Wall time of those timings, s.
    """

    x: np.ndarray
    y: np.ndarray
    hpwl: float
    hpwl_by_step: dict = field(default_factory=dict)
    moves: int = 0
    moves_per_s: float = 0.0
    runtime_s: float = 0.0
    temperatures: list = field(default_factory=list)
    method: str = "anneal"
    violations: int = 0
    seed: int = 1
    global_x: np.ndarray | None = None
    global_y: np.ndarray | None = None
    target_density: float | None = None
    global_iterations: list = field(default_factory=list)
    overflow: float = math.nan
    displacement_rows: tuple = (0.0, 0.0)
    congestion: object = None
    inflated_cells: int = 0
    max_bin_density: float = math.nan
    timing_wns_ns: list = field(default_factory=list)
    timing_s: float = 0.0

    def metrics(self):
        """OpenLane-style metrics for the flow's ``metrics.json``."""
        metrics = {
            "place__hpwl__um": self.hpwl,
            "place__global_hpwl__um": self.hpwl_by_step.get("global", math.nan),
            "place__moves__count": self.moves,
            "place__moves_per_s__count": self.moves_per_s,
            "place__runtime__s": self.runtime_s,
            "place__temperatures__count": len(self.temperatures),
            "place__legality_violations__count": self.violations,
            "place__displacement_mean__rows": round(self.displacement_rows[0], 3),
            "place__displacement_max__rows": round(self.displacement_rows[1], 3),
        }
        if self.method == "eplace":
            metrics.update({
                "place__target_density__ratio": round(self.target_density, 4),
                "place__global_iterations__count": int(sum(self.global_iterations)),
                "place__overflow__ratio": round(self.overflow, 4),
                "place__inflated_cells__count": self.inflated_cells,
            })
        if self.timing_wns_ns:
            metrics["place__timing_reweights__count"] = len(self.timing_wns_ns)
            metrics["place__estimated_setup_ws__ns"] = round(self.timing_wns_ns[-1], 4)
            metrics["place__timing_runtime__s"] = round(self.timing_s, 3)
        if not math.isnan(self.max_bin_density):
            metrics["place__max_bin_density__ratio"] = round(self.max_bin_density, 4)
        if self.congestion is not None:
            metrics["place__congestion_max__ratio"] = round(self.congestion.max_ratio, 4)
            metrics["place__congestion_overflow__ratio"] = round(self.congestion.overflow_share, 4)
            metrics["place__route_estimate_overflow__count"] = self.congestion.overflow
        return metrics


def _sub_progress(progress, start, span):
    if progress is None:
        return None
    return lambda fraction, message: progress(start + span * fraction, message)


def place(problem, seed=1, effort=1.0, progress=None, debug=False, *, method="auto",
          criticality=None, timing_weight=0.0, eplace_threshold=EPLACE_THRESHOLD,
          detailed_passes=2, target_density=None, routability=True, routing_layers=METAL_STACK,
          routability_margin=CAPACITY_MARGIN, timer=None, timer_weight=MAX_NET_WEIGHT - 1.0,
          timer_overflows=TIMING_OVERFLOWS):
    """Place ``problem``'s movable cells legally, minimising wirelength.

    Parameters
    ----------
    problem : PlacementProblem
    seed : int
        Same seed, same placement.
    effort : float
        Scales the moves per temperature (VPR's inner_num); 1 is the default.
    progress : callable(fraction, message) or None
        Called as the placement goes, fraction in [0, 1].
    debug : bool
        Check the incremental cost against a full recompute after every temperature.
    method : {"auto", "anneal", "analytic", "eplace"}
        Global placement (see module docstring).
    criticality : array of float in [0, 1], shape (n_nets,), or None
        Net criticality for the timing term (off when None).
    timing_weight : float
        Extra weight of a fully critical net.
    eplace_threshold : int
        With ``method="auto"``, movable cells from which eplace is used.
    detailed_passes : int
        Detailed-placement passes.
    target_density : float in (0, 1] or None
        Eplace's target density; default `default_target_density`.
    routability : bool
        Eplace: route the global placement (`tapeout.pnr.place.route_estimate`); while that
        leaves overflow, inflate the cells of congested gcells and place again (at most
        ``ROUTABILITY_ROUNDS`` rounds). The final placement's estimate is kept as ``congestion``.
    routing_layers : sequence of RoutingLayer
        The technology's metal stack for that estimate (default: tap130's).
    routability_margin : float in (0, 1]
        Share of each layer's usable tracks the estimate may fill (overflow beyond it inflates).
    timer : callable(x, y) -> NetTiming, or None
        Eplace: timing-driven global placement (`tapeout.pnr.place.timing_weights`). When the
        density overflow first falls to each of ``timer_overflows``, the placement (lower-left
        corners of every cell) is timed and each net's weight becomes its base weight times
        ``1 + timer_weight * criticality``; detailed placement keeps the last weights. The worst
        slack of each timing is kept in ``timing_wns_ns``.

    Returns
    -------
    PlacementResult

    Raises
    ------
    PlacementError
        When the movable cells cannot fit the core.
    """
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise TypeError(f"seed must be an integer, not {seed!r}")
    if not isinstance(effort, (int, float)) or not effort > 0:
        raise ValueError(f"effort must be a positive number, not {effort!r}")
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if target_density is not None and not (isinstance(target_density, (int, float)) and 0 < target_density <= 1):
        raise ValueError(f"target_density must be a number in (0, 1], not {target_density!r}")
    started = time.perf_counter()
    check_fits(problem)
    if problem.n_movable == 0:  # nothing to place: the fixed cells as they are
        length = hpwl(problem, problem.x, problem.y)
        return PlacementResult(x=problem.x.copy(), y=problem.y.copy(), hpwl=length, method="none",
                               global_x=problem.x.copy(), global_y=problem.y.copy(),
                               hpwl_by_step={"initial": length, "detailed": length}, seed=int(seed),
                               runtime_s=time.perf_counter() - started)
    weight = net_cost_weights(problem, criticality, timing_weight)
    method = resolved_method(problem, method, eplace_threshold)
    if method == "eplace":
        timing = None if timer is None else TimingReweight(timer, timer_weight, timer_overflows)
        work, work_weight, order, result = _place_eplace(problem, weight, seed, progress, target_density,
                                                         routability, routing_layers, timing, routability_margin)
        if timing is not None:
            result.timing_wns_ns, result.timing_s = timing.wns_ns, timing.seconds
    else:
        work, work_weight, order, result = _place_on_slots(problem, weight, seed, effort, progress, debug, method)
    x, y = result.x, result.y
    steps = result.hpwl_by_step
    if detailed_passes:
        if progress is not None:
            progress(0.95, "detailed placement")
        x, y = detailed_placement(work, x, y, passes=detailed_passes, weight=work_weight)
    steps["detailed"] = hpwl(work, x, y)
    x, y = _in_original_order(order, x), _in_original_order(order, y)
    result.global_x = _in_original_order(order, result.global_x)
    result.global_y = _in_original_order(order, result.global_y)
    result.x, result.y, result.hpwl = x, y, steps["detailed"]
    if method == "eplace" and routability:
        result.congestion = route_estimate(problem, x, y, layers=routing_layers, capacity_margin=routability_margin)
    result.violations = len(check_legality(problem, x, y))
    result.runtime_s = time.perf_counter() - started
    result.seed = int(seed)
    if problem.n_movable:
        result.max_bin_density = float(np.nanmax(density_map(problem, result.global_x, result.global_y)[1],
                                                  initial=0.0))
    if progress is not None:
        progress(1.0, f"placed: HPWL {steps['detailed']:.6g} um")
    return result


def resolved_method(problem, method, eplace_threshold=EPLACE_THRESHOLD):
    """The method ``place`` uses: ``method``, or for "auto" eplace from ``eplace_threshold`` movable
    cells on and anneal below."""
    if method != "auto":
        return method
    return "eplace" if problem.n_movable >= eplace_threshold else "anneal"


def _in_original_order(order, values):
    """Values of a renumbered problem's cells (`tapeout.pnr.place.reorder`) in the original numbering."""
    if order is None:
        return values
    out = np.empty_like(values)
    out[order] = values
    return out


def default_target_density(problem):
    """The utilisation (movable area over free row area) plus ``DENSITY_MARGIN``, at most
    ``MAX_AUTO_DENSITY`` unless that leaves less than ``MIN_DENSITY_MARGIN`` over the utilisation;
    at most 1."""
    free = row_segments(problem).capacity * problem.row_height
    used = float(np.sum(problem.width[problem.movable] * problem.height[problem.movable]))
    if free <= 0:
        return 1.0
    utilisation = used / free
    return min(1.0, max(utilisation + MIN_DENSITY_MARGIN, min(utilisation + DENSITY_MARGIN, MAX_AUTO_DENSITY)))


class TimingReweight:
    """Net weights from a placement timer (see `place`), for `global_place`'s ``reweight`` on a
    renumbered problem (``order``: cells, ``net_order``: nets, as `tapeout.pnr.place.reorder.renumber`)."""

    def __init__(self, timer, weight, overflows):
        if not (isinstance(weight, (int, float)) and weight >= 0):
            raise ValueError(f"timer_weight must be a non-negative number, not {weight!r}")
        self.timer, self.weight, self.overflows = timer, float(weight), tuple(overflows)
        self.base = self.order = self.net_order = None
        self.wns_ns = []
        self.seconds = 0.0  # wall time spent timing

    def __call__(self, x, y):
        started = time.perf_counter()
        timing = self.timer(_in_original_order(self.order, x), _in_original_order(self.order, y))
        self.seconds += time.perf_counter() - started
        self.wns_ns.append(timing.wns_ns)
        criticality = net_criticality(timing.slack_ns)[self.net_order]
        return self.base * (1.0 + self.weight * criticality)


def _place_eplace(problem, weight, seed, progress, target_density, routability, routing_layers, timing=None,
                  margin=CAPACITY_MARGIN):
    """Eplace from a quadratic or spectral start, routability rounds, legalisation; returns like
    `_place_on_slots` (the problem is renumbered along the start). ``timing``: a `TimingReweight`
    or None."""
    rng = np.random.default_rng(seed)
    density = target_density or default_target_density(problem)
    if anchored(problem, weight):
        if progress is not None:
            progress(0.0, "quadratic start")
        start = quadratic_placement(problem, weight, rng, iterations=QUADRATIC_ITERATIONS)
    else:
        if progress is not None:
            progress(0.0, "spectral start (no fixed pin anchors the netlist)")
        start = spectral_placement(problem, weight, density)
    steps = {"initial": hpwl(problem, *start)}
    # From here on work on cells numbered along the start placement, for cache locality.
    order = morton_order(problem, *start)
    problem, net_order = renumber(problem, order)
    weight = weight[net_order]
    start = (start[0][order], start[1][order])
    reweight = {}
    if timing is not None:
        timing.base, timing.order, timing.net_order = weight, order, net_order
        reweight = {"reweight": timing, "reweight_overflows": timing.overflows}
    gp = global_place(problem, weight, target_density=density, seed=seed, start=start,
                      progress=_sub_progress(progress, 0.05, 0.6), **reweight)
    weight = gp.state["weight"]
    iterations = [gp.iterations]
    factor = np.ones(problem.n_cells)
    rounds = 0
    while routability and rounds < ROUTABILITY_ROUNDS:
        if progress is not None:
            progress(0.65 + 0.1 * rounds, "routing estimate")
        estimate = route_estimate(problem, gp.x, gp.y, layers=routing_layers, capacity_margin=margin)
        if estimate.overflow == 0:
            break
        factor = _inflation(problem, gp, estimate, factor)
        area = problem.width * problem.height * factor
        free = row_segments(problem).capacity * problem.row_height
        round_density = min(1.0, max(density, float(area[problem.movable].sum()) / free + 0.02))
        gp = global_place(problem, weight, target_density=round_density, seed=seed + rounds + 1,
                          start=(gp.x, gp.y), inflation=factor,
                          density_weight=gp.state["lambda"] * NEXT_ROUND_WEIGHT, fillers=gp.state["fillers"],
                          progress=_sub_progress(progress, 0.7 + 0.1 * rounds, 0.1))
        iterations.append(gp.iterations)
        rounds += 1
    steps["global"] = hpwl(problem, gp.x, gp.y)
    if progress is not None:
        progress(0.9, "legalising")
    x, y = legalize(problem, gp.x, gp.y)
    steps["legalised"] = hpwl(problem, x, y)
    return problem, weight, order, PlacementResult(
        x=x, y=y, hpwl=steps["legalised"], hpwl_by_step=steps, method="eplace", global_x=gp.x, global_y=gp.y,
        target_density=density, global_iterations=iterations, overflow=gp.overflow,
        displacement_rows=displacement(problem, gp.x, gp.y, x, y), inflated_cells=int(np.count_nonzero(factor > 1.0)))


def _inflation(problem, gp, estimate, factor):
    """The area factors grown by the congestion of each cell's gcell, scaled back so that the
    inflated cells take at most ``MAX_FILL`` of the free area."""
    factor = factor.copy()
    ids = np.flatnonzero(problem.movable)
    factor[ids] *= inflation(estimate, gp.x[ids] + 0.5 * problem.width[ids], gp.y[ids] + 0.5 * problem.height[ids])
    factor[ids] = np.minimum(factor[ids], MAX_INFLATION)
    area = problem.width[ids] * problem.height[ids]
    free = row_segments(problem).capacity * problem.row_height
    extra = float(np.sum(area * (factor[ids] - 1.0)))
    room = MAX_FILL * free - float(area.sum())
    if extra > room > 0:
        factor[ids] = 1.0 + (factor[ids] - 1.0) * room / extra
    elif room <= 0:
        factor[ids] = 1.0
    return factor


def _place_on_slots(problem, weight, seed, effort, progress, debug, method):
    """Annealing on the slot grid, from random slots or a spread quadratic start; legalised.

    Returns the problem worked on (renumbered for the analytic start), its net weights, the cell
    order (None when not renumbered) and the result in the worked-on numbering."""
    movable_ids = np.flatnonzero(problem.movable)
    rng = np.random.default_rng(seed)
    state = new_state(rng)
    # The analytic start packs clusters one cell per slot; slots wider than the mean
    # cell keep such regions at most ANALYTIC_FILL full, which the legaliser can pack
    # without pushing cells rows away.
    grid = build_slot_grid(problem, fill=ANALYTIC_FILL if method == "analytic" else 1.0)
    core_span = max(problem.core[2] - problem.core[0], problem.core[3] - problem.core[1])
    window_min = min(max(grid.width, grid.row_height), core_span)  # a core of one or two cells
    steps = {}

    if method == "analytic":
        initial = analytic_placement(problem, grid, weight, rng,
                                     progress=_sub_progress(progress, 0.0, 0.2))
        # From here on work on cells numbered along the placement, for cache locality.
        order = morton_order(problem, initial.x, initial.y)
        problem, net_order = renumber(problem, order)
        weight = weight[net_order]
        new_of_old = np.empty(problem.n_cells, dtype=np.int64)
        new_of_old[order] = np.arange(problem.n_cells)
        rows, cols = initial.rows, initial.cols
        movable_ids = new_of_old[movable_ids]
        grid.occupant[rows, cols] = movable_ids
    else:
        order = None
        rows, cols = random_assignment(grid, movable_ids, rng)
    cell_row = np.zeros(problem.n_cells, dtype=np.int64)
    cell_col = np.zeros(problem.n_cells, dtype=np.int64)
    cell_row[movable_ids], cell_col[movable_ids] = rows, cols
    xy = np.stack([problem.x, problem.y], axis=1)
    placement = SlotPlacement(grid, cell_row, cell_col, movable_ids, problem.width, xy,
                              net_table(problem, weight))
    steps["initial"] = hpwl(problem, placement.x, placement.y)
    if method == "analytic":
        # A local anneal: VPR's N ** (4/3) budget is for a whole-chip window; here each
        # cell gets a fixed number of tries per temperature.
        n_moves = max(1, int(round(LOW_T_MOVES_PER_CELL * effort * movable_ids.shape[0])))
        window = LOW_T_WINDOW_ROWS * grid.row_height
        spread = measure_deltas(placement, movable_ids.shape[0], window, state,
                                temperature=0.0)
        schedule = AnnealSchedule(LOW_T_FACTOR * spread, window, window_min, core_span)
    else:
        n_moves = moves_per_temperature(movable_ids.shape[0], INNER_NUM * effort)
        spread = measure_deltas(placement, movable_ids.shape[0], core_span, state)
        schedule = AnnealSchedule(AnnealSchedule.starting_temperature(spread), core_span,
                                  window_min, core_span)
    start = 0.2 if method == "analytic" else 0.0
    outcome = anneal(placement, schedule, n_moves, state, debug=debug,
                     progress=_sub_progress(progress, start, 0.9 - start))
    steps["global"] = hpwl(problem, placement.x, placement.y)
    global_x, global_y = placement.x.copy(), placement.y.copy()

    if progress is not None:
        progress(0.9, "legalising")
    x, y = legalize(problem, placement.x, placement.y)
    steps["legalised"] = hpwl(problem, x, y)
    moved = displacement(problem, global_x, global_y, x, y)
    return problem, weight, order, PlacementResult(
        x=x, y=y, hpwl=steps["legalised"], hpwl_by_step=steps, moves=outcome.moves,
        moves_per_s=outcome.moves / outcome.seconds if outcome.seconds > 0 else 0.0,
        temperatures=outcome.trace, method=method, global_x=global_x, global_y=global_y,
        displacement_rows=moved)
