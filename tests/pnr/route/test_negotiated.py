import numpy as np
import pytest

from tapeout.pnr.route.grid import Blockage, RoutingGrid
from tapeout.pnr.route.negotiated import RoutingProblem, global_route
from tapeout.tech.layers import RoutingLayer

STACK = (RoutingLayer("m1", "HORIZONTAL", 10.0, 1.0), RoutingLayer("m2", "VERTICAL", 10.0, 1.0))  # 2 tracks per 20 um edge


def _problem(pins, grid=None, skip=None):
    grid = grid or RoutingGrid((0, 0, 200, 200), 20, STACK)
    net_ptr = np.concatenate([[0], np.cumsum([len(p) for p in pins])])
    xy = np.array([xy for net in pins for xy in net], dtype=float)
    return RoutingProblem(grid, net_ptr, xy[:, 0], xy[:, 1], skip)


def _random_problem(seed, n_nets=150):
    rng = np.random.default_rng(seed)
    pins = []
    for _ in range(n_nets):
        cx, cy = rng.uniform(0, 200, 2)
        k = int(rng.integers(2, 6))
        pins.append(list(zip(np.clip(cx + rng.normal(0, 30, k), 0, 199), np.clip(cy + rng.normal(0, 30, k), 0, 199))))
    return _problem(pins, RoutingGrid((0, 0, 200, 200), 20, (RoutingLayer("m1", "HORIZONTAL", 2.0, 1.0),
                                                             RoutingLayer("m2", "VERTICAL", 2.0, 1.0))))


def test_two_pin_net_has_the_manhattan_length():
    result = global_route(_problem([[(15, 15), (135, 75)]]))
    assert result.wirelength_um == 120 + 60
    assert result.overflow_total == 0


def test_net_detours_around_a_full_stack_blockage():
    # the macro takes every track of the H edges from gcell column 2 to 4 in rows 0-8
    grid = RoutingGrid((0, 0, 200, 200), 20, STACK, [Blockage(50, 0, 90, 180, "m2")])
    result = global_route(_problem([[(10, 50), (150, 50)]], grid))
    assert result.overflow_total == 0
    assert result.overflow_history[0] > 0  # the straight pattern route crossed the macro
    # straight: 140 um; around the top of the macro: up 7 gcells to row 9 and back down
    assert result.wirelength_um == 140 + 2 * 140
    assert result.pin_node[1] >= 0


def test_negotiation_clears_a_hotspot_that_pattern_routing_overflows():
    # six parallel nets along one row: two tracks per edge, so straight routes overflow by 4
    pins = [[(5, 105), (195, 105)] for _ in range(6)]
    result = global_route(_problem(pins))
    assert result.overflow_history[0] == 4 * 9
    assert result.overflow_total == 0
    assert result.overflowed_edges == 0
    unrouted = global_route(_problem(pins), max_iterations=0)
    assert unrouted.overflow_total == 36 and unrouted.overflowed_edges == 9


def test_usage_accounting_and_wirelength_bounds_on_random_nets():
    problem = _random_problem(11)
    result = global_route(problem)
    assert np.array_equal(result.recompute_usage(), result.usage)
    assert np.array_equal(result.recompute_layer_usage(), result.layer_usage)
    assert np.all(result.pin_node >= 0)
    gx, gy = problem.grid.gcell_of(problem.pin_x, problem.pin_y)
    for net, wl in enumerate(result.net_wirelength_um):
        lo, hi = problem.net_ptr[net], problem.net_ptr[net + 1]
        hpwl_gcells = np.ptp(gx[lo:hi]) + np.ptp(gy[lo:hi])
        assert wl >= 20 * hpwl_gcells
    assert result.overflow_total <= result.overflow_history[0]


def test_deterministic():
    a, b = global_route(_random_problem(5)), global_route(_random_problem(5))
    assert np.array_equal(a.route_edges, b.route_edges)
    assert np.array_equal(a.node_layer, b.node_layer)
    assert a.overflow_history == b.overflow_history


def test_skipped_nets_and_progress():
    calls = []
    problem = _problem([[(5, 5), (95, 95)], [(5, 5), (195, 5)]], skip=np.array([True, False]))
    result = global_route(problem, progress=lambda fraction, message: calls.append((fraction, message)))
    assert result.net_wirelength_um[0] == 0 and result.net_wirelength_um[1] == 180
    assert list(result.pin_node[:2]) == [-1, -1]
    assert calls[-1][0] == 1.0 and calls[0][1] == "pattern routing: overflow 0"
    assert [f for f, _ in calls] == sorted(f for f, _ in calls)


def test_bad_problem_and_parameters():
    grid = RoutingGrid((0, 0, 100, 100), 20, STACK)
    with pytest.raises(ValueError, match=r"^net_ptr must rise from 0 to the pin count 2, not 0\.\.3$"):
        RoutingProblem(grid, np.array([0, 3]), np.zeros(2), np.zeros(2))
    with pytest.raises(ValueError, match=r"^pin_x and pin_y must be 1-D arrays of one length, not shapes \(2,\) and \(3,\)$"):
        RoutingProblem(grid, np.array([0, 2]), np.zeros(2), np.zeros(3))
    with pytest.raises(ValueError, match=r"^skip must be a boolean array of 1 nets, not \[1, 0\]$"):
        RoutingProblem(grid, np.array([0, 2]), np.zeros(2), np.zeros(2), [1, 0])
    with pytest.raises(TypeError, match=r"^grid must be a RoutingGrid, not None$"):
        RoutingProblem(None, np.array([0]), np.zeros(0), np.zeros(0))
    problem = RoutingProblem(grid, np.array([0, 2]), np.zeros(2), np.zeros(2))
    with pytest.raises(ValueError, match=r"^max_iterations must be a integer >= 0, not -1$"):
        global_route(problem, max_iterations=-1)
    with pytest.raises(ValueError, match=r"^present_growth must be a number >= 1, not 0.5$"):
        global_route(problem, present_growth=0.5)
