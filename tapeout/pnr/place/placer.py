"""The placer: global placement by annealing (from random, or from an analytic start
for large designs), Abacus legalisation, detailed placement, a legality check.

``method="anneal"`` is the classic VPR flow: random slots, start temperature from
random moves, full adaptive anneal. ``method="analytic"`` starts from a quadratic
placement spread onto the slots (`tapeout.pnr.place.analytic`) and anneals at low
temperature with a small window, which is how large designs are placed in reasonable
time. ``method="auto"`` picks analytic from ``analytic_threshold`` movable cells on.
"""

import math
import time
from dataclasses import dataclass, field

import numpy as np

from tapeout.pnr.place.analytic import analytic_placement
from tapeout.pnr.place.anneal import SlotPlacement, anneal, measure_deltas
from tapeout.pnr.place.cost import hpwl, net_cost_weights, net_table
from tapeout.pnr.place.detailed import detailed_placement
from tapeout.pnr.place.legality import check_legality
from tapeout.pnr.place.legalize import check_fits, legalize
from tapeout.pnr.place.reorder import morton_order, renumber
from tapeout.pnr.place.schedule import AnnealSchedule, moves_per_temperature
from tapeout.pnr.place.slots import build_slot_grid, random_assignment
from tapeout.pnr.place.xorshift import new_state

__all__ = ["PlacementResult", "place", "METHODS"]

METHODS = ("auto", "anneal", "analytic")

INNER_NUM = 1.0            # VPR's inner_num at effort 1
ANALYTIC_THRESHOLD = 2000  # movable cells from which "auto" starts analytically
LOW_T_WINDOW_ROWS = 4      # start window of the low-temperature anneal, rows
LOW_T_FACTOR = 0.1         # its start temperature over the std of greedy move deltas
LOW_T_MOVES_PER_CELL = 20  # moves per temperature per movable cell of that anneal
ANALYTIC_FILL = 0.9        # slot fill of the analytic start: cell width per slot width


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
        Annealing moves tried.
    moves_per_s : float
        Moves per CPU second of the compiled annealing loop.
    runtime_s : float
        Wall time of the whole placement, s.
    temperatures : list of TemperatureStep
        The annealing trace.
    method : str
        "anneal" or "analytic".
    violations : int
        Legality violations of the result (0 unless something is wrong).
    seed : int
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

    def metrics(self):
        """OpenLane-style metrics for the flow's ``metrics.json``."""
        return {
            "place__hpwl__um": self.hpwl,
            "place__global_hpwl__um": self.hpwl_by_step.get("global", math.nan),
            "place__moves__count": self.moves,
            "place__moves_per_s__count": self.moves_per_s,
            "place__runtime__s": self.runtime_s,
            "place__temperatures__count": len(self.temperatures),
            "place__legality_violations__count": self.violations,
        }


def _sub_progress(progress, start, span):
    if progress is None:
        return None
    return lambda fraction, message: progress(start + span * fraction, message)


def place(problem, seed=1, effort=1.0, progress=None, debug=False, *, method="auto",
          criticality=None, timing_weight=0.0, analytic_threshold=ANALYTIC_THRESHOLD,
          detailed_passes=2):
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
    method : {"auto", "anneal", "analytic"}
        Global placement start (see module docstring).
    criticality : array of float in [0, 1], shape (n_nets,), or None
        Net criticality for the timing term (off when None).
    timing_weight : float
        Extra weight of a fully critical net.
    analytic_threshold : int
        With ``method="auto"``, movable cells from which the analytic start is used.
    detailed_passes : int
        Detailed-placement passes.

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
    started = time.perf_counter()
    check_fits(problem)
    weight = net_cost_weights(problem, criticality, timing_weight)
    movable_ids = np.flatnonzero(problem.movable)
    if method == "auto":
        method = "analytic" if movable_ids.shape[0] >= analytic_threshold else "anneal"
    rng = np.random.default_rng(seed)
    state = new_state(rng)
    # The analytic start packs clusters one cell per slot; slots wider than the mean
    # cell keep such regions at most ANALYTIC_FILL full, which the legaliser can pack
    # without pushing cells rows away.
    grid = build_slot_grid(problem, fill=ANALYTIC_FILL if method == "analytic" else 1.0)
    core_span = max(problem.core[2] - problem.core[0], problem.core[3] - problem.core[1])
    window_min = max(grid.width, grid.row_height)
    steps = {}

    if method == "analytic":
        initial = analytic_placement(problem, grid, weight, rng,
                                     progress=_sub_progress(progress, 0.0, 0.2))
        # From here on work on cells numbered along the placement, for cache locality.
        order = morton_order(problem, initial.x, initial.y)
        original = problem
        problem, net_order = renumber(problem, order)
        weight = weight[net_order]
        new_of_old = np.empty(problem.n_cells, dtype=np.int64)
        new_of_old[order] = np.arange(problem.n_cells)
        rows, cols = initial.rows, initial.cols
        movable_ids = new_of_old[movable_ids]
        grid.occupant[rows, cols] = movable_ids
    else:
        original, order = problem, None
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

    if progress is not None:
        progress(0.9, "legalising")
    x, y = legalize(problem, placement.x, placement.y)
    steps["legalised"] = hpwl(problem, x, y)
    if detailed_passes:
        if progress is not None:
            progress(0.95, "detailed placement")
        x, y = detailed_placement(problem, x, y, passes=detailed_passes, weight=weight)
    steps["detailed"] = hpwl(problem, x, y)
    if order is not None:
        x[order], y[order] = x.copy(), y.copy()
    violations = len(check_legality(original, x, y))
    if progress is not None:
        progress(1.0, f"placed: HPWL {steps['detailed']:.6g} um")
    return PlacementResult(
        x=x, y=y, hpwl=steps["detailed"], hpwl_by_step=steps, moves=outcome.moves,
        moves_per_s=outcome.moves / outcome.seconds if outcome.seconds > 0 else 0.0,
        runtime_s=time.perf_counter() - started, temperatures=outcome.trace, method=method,
        violations=violations, seed=int(seed))
