import numpy as np
import pytest

from tapeout.pnr.route.steiner import decompose_nets, rectilinear_mst, rectilinear_steiner_tree


def test_cross_gets_its_centre_steiner_point():
    x, y = np.array([0, 2, 1, 1]), np.array([1, 1, 0, 2])
    parent, length = rectilinear_mst(x, y)
    assert length == 6 and parent[0] == -1
    nx, ny, sparent, slength = rectilinear_steiner_tree(x, y)
    assert slength == 4
    assert (nx[4], ny[4]) == (1, 1) and len(nx) == 5
    assert list(nx[:4]) == [0, 2, 1, 1]  # pins first, in input order


def test_three_pins_route_through_the_median():
    x, y = np.array([0, 4, 2]), np.array([0, 0, 3])
    assert rectilinear_mst(x, y)[1] == 9
    assert rectilinear_steiner_tree(x, y)[3] == 7


def test_steiner_between_hpwl_and_mst_on_random_nets():
    rng = np.random.default_rng(7)
    for _ in range(50):
        n = int(rng.integers(2, 9))
        x, y = rng.integers(0, 20, n), rng.integers(0, 20, n)
        keep = np.unique(y * 100 + x, return_index=True)[1]
        x, y = x[np.sort(keep)], y[np.sort(keep)]
        hpwl = np.ptp(x) + np.ptp(y)
        mst = rectilinear_mst(x, y)[1]
        steiner = rectilinear_steiner_tree(x, y)[3]
        assert hpwl <= steiner <= mst
        # a Steiner tree is at least 2/3 of the MST (Hwang 1976)
        assert 3 * steiner >= 2 * mst


def test_decompose_nets_merges_pins_and_skips():
    net_ptr = np.array([0, 2, 5, 7, 9])
    gx = np.array([0, 5, 0, 9, 4, 3, 3, 1, 7])
    gy = np.array([0, 3, 0, 0, 6, 3, 3, 1, 1])
    skip = np.array([False, False, False, True])
    seg_ptr, x1, y1, x2, y2 = decompose_nets(net_ptr, gx, gy, skip)
    assert list(seg_ptr) == [0, 1, 4, 4, 4]  # net 2 sits in one gcell, net 3 skipped
    assert (x1[0], y1[0], x2[0], y2[0]) == (0, 0, 5, 3)
    lengths = np.abs(x2 - x1) + np.abs(y2 - y1)
    assert lengths[1:4].sum() == 15  # Steiner point (4, 0): 9 + 6
    _, _, _, _, mst_only = decompose_nets(net_ptr, gx, gy, skip, max_steiner_pins=2)
    assert len(mst_only) == 3


def test_big_net_deduplicates_by_sorting():
    rng = np.random.default_rng(3)
    gx, gy = rng.integers(0, 10, 500), rng.integers(0, 10, 500)
    seg_ptr, *_ = decompose_nets(np.array([0, 500]), gx, gy)
    assert seg_ptr[-1] == len(np.unique(gy * 10 + gx)) - 1


def test_bad_inputs():
    with pytest.raises(TypeError, match=r"^x and y must be integer arrays, not float64 and int64$"):
        rectilinear_mst(np.array([0.5]), np.array([1]))
    with pytest.raises(ValueError, match=r"^max_steiner_pins must be a non-negative integer, not -1$"):
        decompose_nets(np.array([0, 1]), np.array([0]), np.array([0]), max_steiner_pins=-1)
