import numpy as np
import pytest

from tapeout.pnr.place.synthetic import synthetic_problem


def test_seeded_and_shaped():
    a = synthetic_problem(2000, seed=11, n_macros=1)
    b = synthetic_problem(2000, seed=11, n_macros=1)
    c = synthetic_problem(2000, seed=12, n_macros=1)
    assert np.array_equal(a.pin_cell, b.pin_cell) and np.array_equal(a.x, b.x)
    assert not np.array_equal(a.pin_cell, c.pin_cell)
    assert a.n_movable == 2000
    assert a.n_cells == 2000 + 1 + 22          # cells, one macro, sqrt(2000) / 2 I/O pins
    movable_pins = np.count_nonzero(a.movable[a.pin_cell])
    assert 3.2 < movable_pins / a.n_movable < 3.8
    assert a.net_ignored.sum() == 1            # the clock net, over the fanout threshold
    assert a.fanout[a.net_ignored][0] == 201   # 10 % of the cells plus its I/O pin
    assert np.all(a.fanout >= 2)
    io = (~a.movable) & (a.width == 0)
    x0, y0, x1, y1 = a.core
    on_edge = np.isclose(a.x[io], x0) | np.isclose(a.x[io], x1) | np.isclose(a.y[io], y0) \
        | np.isclose(a.y[io], y1)
    assert on_edge.all()
    area = np.sum(a.width[a.movable] * a.height[a.movable])
    macro = ~a.movable & (a.width > 0)
    free = (x1 - x0) * (y1 - y0) - np.sum(a.width[macro] * a.height[macro])
    assert 0.67 < area / free <= 0.7
    assert np.allclose(np.fmod(a.width[a.movable] / 0.46 + 1e-9, 1), 0, atol=1e-6)


@pytest.mark.parametrize("kwargs, message", [
    (dict(n_cells=1), "n_cells must be an integer of at least 2, not 1"),
    (dict(n_cells=10, utilisation=1.5), "utilisation must be a number in (0.0, 1.0], not 1.5"),
    (dict(n_cells=10, pins_per_cell=1), "pins_per_cell must be a number of at least 2, not 1"),
    (dict(n_cells=10, n_macros=-1), "n_macros must be an integer of at least 0, not -1"),
])
def test_bad_parameters(kwargs, message):
    with pytest.raises(ValueError) as info:
        synthetic_problem(**kwargs)
    assert str(info.value) == message
