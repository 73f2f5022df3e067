import numpy as np
from numba import njit

from tapeout.pnr.place.xorshift import below, new_state, uniform


@njit
def _draw(state, n, count):
    out = np.empty(count, np.int64)
    unit = np.empty(count)
    for i in range(count):
        out[i] = below(state, n)
        unit[i] = uniform(state)
    return out, unit


def test_same_seed_same_stream_and_ranges():
    a, ua = _draw(new_state(np.random.default_rng(5)), 7, 20000)
    b, ub = _draw(new_state(np.random.default_rng(5)), 7, 20000)
    c, _ = _draw(new_state(np.random.default_rng(6)), 7, 20000)
    assert np.array_equal(a, b) and np.array_equal(ua, ub)
    assert not np.array_equal(a, c)
    assert a.min() == 0 and a.max() == 6
    counts = np.bincount(a, minlength=7)
    assert np.all(np.abs(counts - 20000 / 7) < 5 * np.sqrt(20000 / 7))
    assert 0.0 <= ua.min() and ua.max() < 1.0
    assert abs(ua.mean() - 0.5) < 0.01
