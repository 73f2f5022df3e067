import numpy as np
import pytest

from tapeout.pnr.place.anneal import SlotPlacement, anneal, check_incremental_cost, measure_deltas
from tapeout.pnr.place.cost import COST, net_cost_weights, net_table
from tapeout.pnr.place.schedule import AnnealSchedule, moves_per_temperature
from tapeout.pnr.place.slots import build_slot_grid, random_assignment
from tapeout.pnr.place.synthetic import synthetic_problem
from tapeout.pnr.place.xorshift import new_state


def _random_start(problem, seed):
    rng = np.random.default_rng(seed)
    grid = build_slot_grid(problem)
    ids = np.flatnonzero(problem.movable)
    row = np.zeros(problem.n_cells, np.int64)
    col = np.zeros(problem.n_cells, np.int64)
    row[ids], col[ids] = random_assignment(grid, ids, rng)
    placement = SlotPlacement(grid, row, col, ids, problem.width,
                              np.stack([problem.x, problem.y], axis=1),
                              net_table(problem, net_cost_weights(problem)))
    return placement, new_state(rng)


def _run(problem, seed, debug=True):
    placement, state = _random_start(problem, seed)
    span = max(problem.core[2], problem.core[3])
    sigma = measure_deltas(placement, problem.n_movable, span, state)
    schedule = AnnealSchedule(AnnealSchedule.starting_temperature(sigma), span,
                              max(placement.grid.width, placement.grid.row_height), span)
    outcome = anneal(placement, schedule, moves_per_temperature(problem.n_movable, 0.5),
                     state, debug=debug)
    return placement, outcome


@pytest.fixture(scope="module")
def problem():
    return synthetic_problem(300, seed=9, n_macros=1)


@pytest.fixture(scope="module")
def annealed(problem):
    return _run(problem, seed=2)


def test_anneal_lowers_hpwl_well_below_random(problem, annealed):
    placement, outcome = annealed
    random_cost = _random_start(problem, 2)[0].cost
    assert outcome.cost < 0.35 * random_cost
    assert outcome.cost == placement.cost
    assert outcome.moves == sum(step.moves for step in outcome.trace)


def test_acceptance_falls_and_window_shrinks(annealed):
    trace = annealed[1].trace
    first, last = trace[:5], trace[-6:-1]
    assert np.mean([s.acceptance for s in first]) > 0.8
    assert np.mean([s.acceptance for s in last]) < 0.1
    assert trace[0].window > 10 * trace[-2].window
    temperatures = [s.temperature for s in trace[:-1]]
    assert all(b < a for a, b in zip(temperatures, temperatures[1:]))
    assert trace[-1].temperature == 0.0      # the final quench


def test_same_seed_same_positions(problem, annealed):
    again, _ = _run(problem, seed=2, debug=False)
    other, _ = _run(problem, seed=3, debug=False)
    assert np.array_equal(again.xy, annealed[0].xy)
    assert not np.array_equal(other.xy, annealed[0].xy)


def test_debug_check_catches_a_corrupted_cache(problem):
    placement, _ = _random_start(problem, 4)
    check_incremental_cost(placement, "at the start")
    placement.nets.net[5, COST] += 1.0
    with pytest.raises(AssertionError, match=r"^cached box of net 5 differs from the full "
                                             r"recompute here$"):
        check_incremental_cost(placement, "here")
    placement.cost += 1.0
    with pytest.raises(AssertionError, match=r"^incremental cost .* differs from the full "
                                             r"recompute .* there$"):
        check_incremental_cost(placement, "there")
