import numpy as np
import pytest

from tapeout.pnr.place.nesterov import Nesterov


def test_minimises_an_ill_conditioned_quadratic_within_bounds():
    scale = np.array([1.0, 5.0, 20.0, 100.0])
    target = np.array([3.0, -2.0, 0.5, 8.0])
    upper = np.array([10.0, 10.0, 10.0, 5.0])  # the last optimum is outside: it stops at the bound
    optimizer = Nesterov(np.zeros(4), lambda v: scale * (v - target), np.full(4, -10.0), upper, first_step=0.1)
    for _ in range(300):
        optimizer.step()
    assert np.allclose(optimizer.v, [3.0, -2.0, 0.5, 5.0], atol=1e-3)
    assert optimizer.evaluations >= 302


def test_backtracks_when_the_step_is_too_long():
    calls = []

    def gradient(v):
        calls.append(v.copy())
        return 100.0 * v  # a steep bowl: a first probe of 1 overshoots
    optimizer = Nesterov(np.array([1.0]), gradient, np.array([-5.0]), np.array([5.0]), first_step=1.0)
    optimizer.alpha = 1.0  # far above 1 / Lipschitz = 0.01
    assert optimizer.step() >= 1
    assert optimizer.alpha == pytest.approx(0.01)


def test_bad_first_step():
    with pytest.raises(ValueError, match="first_step must be a positive number, not 0"):
        Nesterov(np.zeros(1), lambda v: v, np.zeros(1), np.ones(1), first_step=0)
