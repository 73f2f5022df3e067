import numpy as np
import pytest

from tapeout.pnr.place.problem import PlacementProblem


def _arrays(**changes):
    base = dict(width=[1.0, 2.0, 0.0], height=[2.0, 2.0, 0.0], movable=[True, True, False],
                x=[0.0, 0.0, 5.0], y=[0.0, 0.0, 0.0], net_ptr=[0, 2, 5],
                net_pins=[0, 1, 2, 3, 4], pin_cell=[0, 1, 0, 1, 2],
                pin_dx=[0.5, 1.0, 0.5, 1.0, 0.0], pin_dy=[1.0] * 4 + [0.0],
                net_weight=[1.0, 2.0], net_ignored=[False, False], core=(0, 0, 10, 4),
                row_height=2.0, site_width=0.5, cell_names=["a", "b", "pin"],
                net_names=["n0", "n1"])
    base.update(changes)
    return base


def test_builds_and_derives():
    p = PlacementProblem(**_arrays())
    assert (p.n_cells, p.n_nets, p.n_pins, p.n_movable, p.n_rows) == (3, 2, 5, 2, 2)
    assert p.fanout.tolist() == [2, 3]
    assert p.pin_net.tolist() == [0, 0, 1, 1, 1]
    ptr, nets = p.cell_nets(np.array([True, True]))
    assert ptr.tolist() == [0, 2, 4, 5]
    assert nets.tolist() == [0, 1, 0, 1, 1]
    ptr, nets = p.cell_nets(np.array([False, True]))
    assert nets.tolist() == [1, 1, 1]


def test_ignoring_nets():
    p = PlacementProblem(**_arrays())
    assert p.ignoring_nets(fanout_threshold=2).net_ignored.tolist() == [False, True]
    assert p.ignoring_nets(names=["n0"]).net_ignored.tolist() == [True, False]
    assert p.net_ignored.tolist() == [False, False]
    with pytest.raises(ValueError, match=r"^names lists nets that do not exist: zz$"):
        p.ignoring_nets(names=["zz"])
    with pytest.raises(ValueError, match=r"^fanout_threshold must be an integer of at least 2, "
                                         r"not 1$"):
        p.ignoring_nets(fanout_threshold=1)


@pytest.mark.parametrize("changes, message", [
    (dict(row_height=0), "row_height must be a positive number, not 0"),
    (dict(site_width=-1.0), "site_width must be a positive number, not -1.0"),
    (dict(height=[1.0]), "height must be a 1-D array of n_cells values, not an array of "
                         "shape (1,)"),
    (dict(core=(0, 0, 0, 4)), "core must have x1 > x0 and y1 > y0, not (0.0, 0.0, 0.0, 4.0)"),
    (dict(pin_cell=[0, 1, 0, 1, 3]), "pin_cell must index cells 0 to 2"),
    (dict(net_ptr=[0, 3, 2]), "net_ptr must start at 0 and never decrease"),
    (dict(cell_names=["a"]), "cell_names must have 3 names, not 1"),
    (dict(net_weight=[1.0, -1.0]), "net_weight must be non-negative"),
    (dict(halo=-1), "halo must be a non-negative number, not -1"),
])
def test_bad_parameters(changes, message):
    with pytest.raises(ValueError) as info:
        PlacementProblem(**_arrays(**changes))
    assert str(info.value) == message
