import numpy as np
import pytest

from tapeout.pnr.route.grid import RoutingGrid, edge_ends, v_edge
from tapeout.pnr.route.maze import MazeRouter
from tapeout.tech.layers import RoutingLayer

STACK = (RoutingLayer("m1", "HORIZONTAL", 1.0, 1.0), RoutingLayer("m2", "VERTICAL", 1.0, 1.0))


def _setup(n=10):
    grid = RoutingGrid((0, 0, 4.0 * n, 4.0 * n), 4.0, STACK)
    return grid, MazeRouter(grid.nx, grid.ny), np.zeros(grid.n_edges, np.int32), np.zeros(grid.n_edges)


def _is_tree(edges, pins, grid):
    nodes = {g for e in edges for g in edge_ends(e, grid.nx, grid.n_h_edges)} | set(pins)
    return len(nodes) == len(edges) + 1 and set(pins) <= nodes


def test_two_pin_net_routes_with_the_manhattan_length():
    grid, maze, usage, history = _setup()
    pins = np.array([1 * 10 + 2, 8 * 10 + 7])
    edges = maze.route(pins, usage, grid.capacity, history, 1.0, 2)
    assert len(edges) == 5 + 7
    assert _is_tree(edges, pins, grid)


def test_net_goes_around_a_wall_through_its_gap():
    grid, maze, usage, history = _setup()
    capacity = grid.capacity.copy()
    for x in range(0, 9):  # wall under row 5 except at column 9
        capacity[v_edge(x, 4, grid.nx, grid.n_h_edges)] = 0
    pins = np.array([0 * 10 + 2, 9 * 10 + 2])  # (2, 0) -> (2, 9)
    edges = maze.route(pins, usage, capacity, history, 100.0, 10)  # crossing costs 101 > detour 14
    assert len(edges) == 9 + 2 * 7  # up 9, over to column 9 and back
    assert v_edge(9, 4, grid.nx, grid.n_h_edges) in edges
    assert all(capacity[e] > 0 for e in edges)


def test_multi_pin_net_is_a_tree_and_steiner_like():
    grid, maze, usage, history = _setup()
    pins = np.array([5 * 10 + 0, 5 * 10 + 9, 0 * 10 + 5, 9 * 10 + 5])  # a cross
    edges = maze.route(pins, usage, grid.capacity, history, 1.0, 0)
    assert _is_tree(edges, pins, grid)
    assert len(edges) == 18  # the optimal Steiner tree of the cross


def test_same_gcell_and_repeated_pins():
    grid, maze, usage, history = _setup()
    assert len(maze.route(np.array([33, 33]), usage, grid.capacity, history, 1.0, 1)) == 0
    assert len(maze.route(np.array([], dtype=np.int64), usage, grid.capacity, history, 1.0, 1)) == 0


def test_bad_size():
    with pytest.raises(ValueError, match=r"^nx must be a positive integer, not 0$"):
        MazeRouter(0, 3)
