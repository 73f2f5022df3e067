"""Simulated annealing of cells on the slot grid (VPR / nextpnr ``placer1`` tradition).

`anneal_moves` is the compiled inner loop: propose a move, apply it, compute the cost
delta of the touched nets, accept by the Metropolis rule (commit the new net boxes) or
undo it. `anneal` drives it one temperature at a time with an `AnnealSchedule`,
resynchronises the running cost with a full recompute after each temperature and, in
debug mode, checks that the incremental cost and every cached net box equal a full
recompute.
"""

import math
import time
from dataclasses import dataclass, field

import numpy as np
from numba import njit

from tapeout.pnr.place.cost import (
    COST,
    WEIGHT,
    XMAX,
    XMIN,
    YMAX,
    YMIN,
    commit,
    fill_boxes,
    full_cost,
    move_delta,
    sync_pins,
)
from tapeout.pnr.place.moves import apply_move, propose_move
from tapeout.pnr.place.slots import slot_positions
from tapeout.pnr.place.xorshift import uniform

__all__ = ["SlotPlacement", "TemperatureStep", "AnnealOutcome", "anneal_moves", "anneal",
           "measure_deltas", "check_incremental_cost"]


@dataclass(eq=False)
class SlotPlacement:
    """Cells on the slot grid, their positions (um) and the wirelength cost cache.

    Parameters
    ----------
    grid : SlotGrid
        Slot occupancy (updated in place).
    cell_row, cell_col : array of int64, shape (n_cells,)
        Slot of each movable cell (unused for fixed cells).
    movable_ids : array of int64
        Cells the moves pick from.
    width : array of float
        Cell widths, um.
    xy : array of float, shape (n_cells, 2)
        Lower-left corners, um (fixed cells stay put); ``x`` and ``y`` are views.
    nets : NetTable
        Connectivity, cost weights and the per-net box cache (see `tapeout.pnr.place.cost`).
    sweep : bool
        Take the moved cells in turn from ``movable_ids`` rather than at random (see
        `tapeout.pnr.place.moves`).
    """

    grid: object
    cell_row: np.ndarray
    cell_col: np.ndarray
    movable_ids: np.ndarray
    width: np.ndarray
    xy: np.ndarray
    nets: object
    sweep: bool = True
    cost: float = field(init=False)
    cursor: np.ndarray = field(init=False)

    def __post_init__(self):
        self.cursor = np.array([0 if self.sweep else -1], dtype=np.int64)
        ids = self.movable_ids
        self.xy[ids, 0], self.xy[ids, 1] = slot_positions(
            self.grid, self.width[ids], self.cell_row[ids], self.cell_col[ids])
        self.cost = fill_boxes(self.nets, self.xy)

    @property
    def x(self):
        """Lower-left x of every cell, um (a view)."""
        return self.xy[:, 0]

    @property
    def y(self):
        """Lower-left y of every cell, um (a view)."""
        return self.xy[:, 1]


@dataclass
class TemperatureStep:
    """One temperature of an anneal: temperature (cost units), fraction of moves
    accepted, window (um), cost after it (um), moves tried."""

    temperature: float
    acceptance: float
    window: float
    cost: float
    moves: int


@dataclass
class AnnealOutcome:
    """Result of `anneal`: the per-temperature trace, moves tried, CPU seconds spent
    in the compiled loop (process time: meaningful on a shared machine), and the final
    cost (um)."""

    trace: list
    moves: int
    seconds: float
    cost: float


@njit(cache=True)
def anneal_moves(grid, cell_row, cell_col, movable_ids, width, xy, nets,
                 n_moves, temperature, reach_rows, reach_cols, state, cursor):
    """Try ``n_moves`` moves at ``temperature`` (0: greedy, inf: accept all).

    Returns ``(accepted, evaluated, sum_delta, sum_delta_sq, cost_change)``; the
    delta sums cover every evaluated move, accepted or not.
    """
    accepted = 0
    evaluated = 0
    sum_delta = 0.0
    sum_delta_sq = 0.0
    cost_change = 0.0
    for _ in range(n_moves):
        a, b, row, col = propose_move(grid, cell_row, cell_col, movable_ids,
                                      reach_rows, reach_cols, state, cursor)
        if a < 0:
            continue
        old_row = cell_row[a]
        old_col = cell_col[a]
        apply_move(grid, cell_row, cell_col, width, xy, a, b, row, col)
        delta = move_delta(nets, xy, a, b)
        evaluated += 1
        sum_delta += delta
        sum_delta_sq += delta * delta
        if delta <= 0.0 or (temperature > 0.0
                            and uniform(state) < np.exp(-delta / temperature)):
            commit(nets)
            accepted += 1
            cost_change += delta
        else:
            apply_move(grid, cell_row, cell_col, width, xy, a, b, old_row, old_col)
            sync_pins(nets, xy, a)
            if b >= 0:
                sync_pins(nets, xy, b)
    return accepted, evaluated, sum_delta, sum_delta_sq, cost_change


def _reach(placement, window):
    grid = placement.grid
    return max(1, int(window / grid.row_height)), max(1, int(window / grid.width))


def _run(placement, n_moves, temperature, window, state):
    reach_rows, reach_cols = _reach(placement, window)
    p = placement
    return anneal_moves(p.grid, p.cell_row, p.cell_col, p.movable_ids, p.width, p.xy,
                        p.nets, n_moves, temperature, reach_rows, reach_cols, state,
                        p.cursor)


def measure_deltas(placement, n_moves, window, state, temperature=math.inf):
    """Run ``n_moves`` moves at ``temperature`` and return the std of their cost
    deltas (um); with the default every move is accepted, as VPR does to find T0."""
    accepted, evaluated, total, total_sq, change = _run(placement, n_moves, temperature,
                                                        window, state)
    placement.cost = full_cost(placement.nets, placement.xy)
    if evaluated < 2:
        return 0.0
    mean = total / evaluated
    return math.sqrt(max(total_sq / evaluated - mean * mean, 0.0))


def check_incremental_cost(placement, where):
    """Raise AssertionError unless the running cost and every cached net box equal a
    full recompute (``where`` names the check in the message)."""
    cached = placement.nets.net[:, [XMIN, XMAX, YMIN, YMAX, COST]].copy()
    total = fill_boxes(placement.nets, placement.xy)
    if not math.isclose(placement.cost, total, rel_tol=1e-9, abs_tol=1e-6):
        raise AssertionError(f"incremental cost {placement.cost!r} differs from the full "
                             f"recompute {total!r} {where}")
    fresh = placement.nets.net[:, [XMIN, XMAX, YMIN, YMAX, COST]]
    used = placement.nets.net[:, WEIGHT] > 0
    mismatch = np.flatnonzero(np.any(fresh[used] != cached[used], axis=1))
    if mismatch.size:
        net = int(np.flatnonzero(used)[mismatch[0]])
        raise AssertionError(f"cached box of net {net} differs from the full recompute "
                             f"{where}")


def anneal(placement, schedule, moves_per_temperature, state, debug=False, progress=None,
           max_temperatures=2000, quench=True):
    """Anneal ``placement`` in place until ``schedule`` says frozen.

    Parameters
    ----------
    placement : SlotPlacement
    schedule : AnnealSchedule
        Start temperature and window; updated as the anneal goes.
    moves_per_temperature : int
        Moves tried at each temperature.
    state : array of uint64, shape (1,)
        xorshift state (see `tapeout.pnr.place.xorshift.new_state`).
    debug : bool
        Check the incremental cost against a full recompute after every temperature.
    progress : callable(fraction, message) or None
        Called after every temperature.
    max_temperatures : int
        Hard stop on the number of temperatures.
    quench : bool
        Finish with one greedy pass (T = 0) at the minimum window, as VPR does.
    """
    n_nets = int(np.count_nonzero(placement.nets.net[:, WEIGHT] > 0))
    trace = []
    moves = 0
    seconds = 0.0
    start_temperature = max(schedule.temperature, 1e-300)
    for step in range(max_temperatures):
        started = time.process_time()
        accepted, _, _, _, change = _run(placement, moves_per_temperature,
                                         schedule.temperature, schedule.window, state)
        seconds += time.process_time() - started
        moves += moves_per_temperature
        placement.cost += change
        if debug:
            check_incremental_cost(placement, f"after temperature step {step}")
        placement.cost = full_cost(placement.nets, placement.xy)
        acceptance = accepted / moves_per_temperature
        trace.append(TemperatureStep(schedule.temperature, acceptance, schedule.window,
                                     placement.cost, moves_per_temperature))
        if progress is not None:
            end_temperature = max(schedule.epsilon * placement.cost / max(n_nets, 1), 1e-300)
            span = math.log(start_temperature / end_temperature)
            done = math.log(start_temperature / max(schedule.temperature, 1e-300))
            fraction = min(max(done / span if span > 0 else 1.0, 0.0), 1.0)
            progress(fraction, f"T={schedule.temperature:.4g} accept={acceptance:.2f} "
                               f"HPWL={placement.cost:.6g} um")
        if schedule.frozen(placement.cost, n_nets, acceptance):
            break
        schedule.update(acceptance)
    if quench:
        started = time.process_time()
        accepted, _, _, _, change = _run(placement, moves_per_temperature, 0.0,
                                         schedule.window_min, state)
        seconds += time.process_time() - started
        moves += moves_per_temperature
        placement.cost += change
        if debug:
            check_incremental_cost(placement, "after the quench")
        placement.cost = full_cost(placement.nets, placement.xy)
        trace.append(TemperatureStep(0.0, accepted / moves_per_temperature,
                                     schedule.window_min, placement.cost,
                                     moves_per_temperature))
    return AnnealOutcome(trace, moves, seconds, placement.cost)
