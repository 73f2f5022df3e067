import numpy as np
import pytest

from tapeout.tech.nldm import Table, interpolate

I1 = np.array([0.0, 1.0, 3.0])
I2 = np.array([0.0, 2.0])
# v = 1 + 2x + 3y + xy on the grid: bilinear reproduces it exactly everywhere.
V = np.array([[1 + 2 * x + 3 * y + x * y for y in I2] for x in I1])


def exact(x, y):
    return 1 + 2 * x + 3 * y + x * y


def test_at_table_points():
    for i, x in enumerate(I1):
        for j, y in enumerate(I2):
            assert interpolate(I1, I2, V, x, y) == pytest.approx(V[i, j])


def test_between_points():
    assert interpolate(I1, I2, V, 0.5, 1.0) == pytest.approx(exact(0.5, 1.0))
    assert interpolate(I1, I2, V, 2.0, 0.5) == pytest.approx(exact(2.0, 0.5))


def test_extrapolates_linearly_outside():
    # Beyond the last point the last segment is extended (as STA tools do).
    assert interpolate(I1, I2, V, 5.0, 4.0) == pytest.approx(exact(5.0, 4.0))
    assert interpolate(I1, I2, V, -1.0, -2.0) == pytest.approx(exact(-1.0, -2.0))


def test_vectorised_broadcast():
    x = np.array([0.25, 1.5, 4.0])
    out = interpolate(I1, I2, V, x, 1.0)
    assert out.shape == (3,)
    assert np.allclose(out, exact(x, 1.0))


def test_nonlinear_table_between_points_is_bilinear():
    values = np.array([[0.0, 1.0], [1.0, 10.0]])
    # Centre of the cell: average of the four corners.
    assert interpolate([0, 1], [0, 1], values, 0.5, 0.5) == pytest.approx(3.0)


def test_one_dimensional_and_scalar_tables():
    t = Table(np.array([0.0, 1.0]), np.zeros(0), np.array([2.0, 4.0]))
    assert t(0.5) == pytest.approx(3.0)
    assert t(2.0) == pytest.approx(6.0)
    scalar = Table(np.zeros(1), np.zeros(0), np.array([7.5]))
    assert scalar(123.0) == pytest.approx(7.5)
