import numpy as np
import pytest

from tapeout.pnr.place.legalize import legalize
from tapeout.pnr.place.placer import place
from tapeout.pnr.place.route_estimate import MAX_INFLATION, RouteEstimate, inflation, route_estimate
from tapeout.pnr.place.synthetic import synthetic_problem


@pytest.fixture(scope="module")
def problem():
    return synthetic_problem(3000, seed=3, n_macros=1, utilisation=0.6)


def test_a_spread_placement_routes_and_a_pile_does_not(problem):
    p = problem
    placed = place(p, method="eplace", routability=False, detailed_passes=0)
    spread = route_estimate(p, placed.x, placed.y, gcell_rows=8)
    assert spread.overflow == 0
    pile_x, pile_y = p.x.copy(), placed.y.copy()
    pile_x[p.movable] = 0.5 * p.core[2]  # every cell in one column of gcells: its vertical tracks overflow
    pile = route_estimate(p, pile_x, pile_y, gcell_rows=8)
    assert pile.overflow > spread.overflow and pile.max_ratio > 1.0 and pile.overflow_share > 0
    ny, nx = spread.ratio.shape
    assert spread.x_cuts.shape == (nx + 1,) and spread.y_cuts.shape == (ny + 1,)
    assert spread.x_cuts[0] <= p.core[0] and spread.x_cuts[-1] >= p.core[2]


def test_a_small_core_still_gets_a_grid():
    p = synthetic_problem(40, seed=1)
    estimate = route_estimate(p, *legalize(p, p.x, p.y))
    assert estimate.ratio.shape[0] >= 2 and estimate.ratio.shape[1] >= 2


def test_inflation_grows_cells_of_congested_gcells_only():
    estimate = RouteEstimate(3, np.array([[0.5, 1.5], [9.0, 1.0]]), np.array([0.0, 10.0, 20.0]),
                             np.array([0.0, 10.0, 20.0]))
    factor = inflation(estimate, np.array([5.0, 15.0, 5.0, 15.0]), np.array([5.0, 5.0, 15.0, 15.0]))
    assert factor[0] == 1.0 and factor[3] == 1.0
    assert factor[1] == pytest.approx(1.5 ** 2) and factor[2] == MAX_INFLATION


def test_a_lower_capacity_margin_finds_overflow_where_the_full_tracks_have_none(problem):
    p = problem
    placed = place(p, method="eplace", routability=False, detailed_passes=0)
    full = route_estimate(p, placed.x, placed.y, gcell_rows=8)
    tight = route_estimate(p, placed.x, placed.y, gcell_rows=8, capacity_margin=0.2)
    assert full.overflow == 0 and tight.overflow > 0 and tight.max_ratio > full.max_ratio


def test_the_placer_inflates_cells_only_below_its_routability_margin(problem):
    loose = place(problem, method="eplace", detailed_passes=0)
    tight = place(problem, method="eplace", detailed_passes=0, routability_margin=0.2)
    assert loose.inflated_cells == 0 and tight.inflated_cells > 0
    assert tight.congestion.overflow > 0  # the final estimate is taken at the same margin
