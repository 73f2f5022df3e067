import numpy as np

from tapeout.pnr.route.grid import RoutingGrid, h_edge, v_edge
from tapeout.pnr.route.pattern import pattern_route
from tapeout.tech.layers import RoutingLayer

STACK = (RoutingLayer("m1", "HORIZONTAL", 1.0, 1.0), RoutingLayer("m2", "VERTICAL", 1.0, 1.0))


def _grid(n=10):
    return RoutingGrid((0, 0, 4.0 * n, 4.0 * n), 4.0, STACK)  # 4 tracks per edge


def _route(grid, segments, pins, usage=None, capacity=None):
    x1, y1, x2, y2 = (np.array(v) for v in zip(*segments))
    seg_ptr = np.array([0, len(segments)])
    gx, gy = (np.array(v) for v in zip(*pins))
    usage = np.zeros(grid.n_edges, np.int32) if usage is None else usage
    capacity = grid.capacity if capacity is None else capacity
    routes = pattern_route([0], seg_ptr, x1, y1, x2, y2, np.array([0, len(pins)]), gx, gy,
                           grid.nx, grid.ny, usage, capacity)
    return routes[0], usage


def test_straight_segment_takes_exactly_the_manhattan_edges():
    grid = _grid()
    edges, usage = _route(grid, [(1, 4, 7, 4)], [(1, 4), (7, 4)])
    assert sorted(edges) == [h_edge(x, 4, grid.nx) for x in range(1, 7)]
    assert usage.sum() == 6


def test_l_shape_prefers_horizontal_first_and_avoids_congestion():
    grid = _grid()
    edges, _ = _route(grid, [(1, 1, 5, 4)], [(1, 1), (5, 4)])
    assert len(edges) == 7
    assert h_edge(1, 1, grid.nx) in edges and v_edge(5, 1, grid.nx, grid.n_h_edges) in edges
    full = np.zeros(grid.n_edges, np.int32)
    full[h_edge(3, 1, grid.nx)] = 4  # the H-first L would overflow here
    edges, usage = _route(grid, [(1, 1, 5, 4)], [(1, 1), (5, 4)], usage=full)
    assert len(edges) == 7 and h_edge(3, 1, grid.nx) not in edges
    assert v_edge(1, 1, grid.nx, grid.n_h_edges) in edges  # vertical first


def test_z_shape_when_both_ls_are_blocked():
    grid = _grid()
    usage = np.zeros(grid.n_edges, np.int32)
    usage[h_edge(2, 1, grid.nx)] = 4
    usage[h_edge(2, 5, grid.nx)] = 4
    edges, _ = _route(grid, [(1, 1, 5, 5)], [(1, 1), (5, 5)], usage=usage)
    assert len(edges) == 8
    assert max(usage[e] for e in edges) == 1  # no full edge used: a Z through column 3, 4 or 5
    assert h_edge(2, 1, grid.nx) not in edges and h_edge(2, 5, grid.nx) not in edges


def test_overlapping_segments_count_once_and_form_a_tree():
    grid = _grid()
    # two segments from one driver sharing their first three edges, and a dangling detour-free tree
    edges, usage = _route(grid, [(0, 0, 6, 0), (0, 0, 3, 0), (3, 0, 3, 4)], [(0, 0), (6, 0), (3, 4)])
    assert len(edges) == len(set(edges)) == 10
    assert usage.sum() == 10
    assert np.array_equal(np.bincount(edges, minlength=grid.n_edges), usage)


def test_segments_forming_a_cycle_are_cut_and_pinless_branches_pruned():
    grid = _grid()
    # a loop around the 2x2 box plus a spur to a gcell with no pin
    segs = [(0, 0, 2, 0), (2, 0, 2, 2), (0, 0, 0, 2), (0, 2, 2, 2), (2, 2, 4, 2)]
    edges, usage = _route(grid, segs, [(0, 0), (2, 2)])
    assert len(edges) == 4  # one L-shaped path from (0, 0) to (2, 2)
    assert usage.sum() == 4
