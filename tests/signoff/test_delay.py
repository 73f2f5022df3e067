import numpy as np
import pytest

from tapeout.signoff.delay import TablePack
from tapeout.tech.nldm import Table, interpolate

T = Table(np.array([0.1, 0.3, 0.7]), np.array([0.01, 0.05]),
          np.array([[1.0, 2.0], [1.5, 2.9], [2.5, 4.1]]))
ONE_D = Table(np.array([0.0, 1.0]), np.zeros(0), np.array([2.0, 4.0]))


@pytest.fixture
def pack():
    p = TablePack()
    assert p.add(T) == 0 and p.add(ONE_D) == 1 and p.add(T) == 0
    return p.freeze()


def test_at_table_points(pack):
    for i, x in enumerate(T.index_1):
        for j, y in enumerate(T.index_2):
            assert pack(0, x, y) == pytest.approx(T.values[i, j], abs=1e-12)


def test_between_points_by_hand(pack):
    # x = 0.2 halfway between 0.1 and 0.3, y = 0.02 a quarter of 0.01..0.05
    v = 0.5 * 0.75 * 1.0 + 0.5 * 0.75 * 1.5 + 0.5 * 0.25 * 2.0 + 0.5 * 0.25 * 2.9
    assert pack(0, 0.2, 0.02) == pytest.approx(v, abs=1e-12)


def test_extrapolates_linearly_outside(pack):
    # below x: slope from (0.1, 0.3) at y = 0.01: (1.5 - 1.0) / 0.2 = 2.5 per ns
    assert pack(0, 0.0, 0.01) == pytest.approx(1.0 - 0.25, abs=1e-12)
    # above y: slope at x = 0.7: (4.1 - 2.5) / 0.04 = 40 per pF
    assert pack(0, 0.7, 0.1) == pytest.approx(4.1 + 40 * 0.05, abs=1e-12)


def test_matches_tech_interpolation_everywhere(pack):
    rng = np.random.default_rng(3)
    for x, y in rng.uniform(-0.2, 1.0, (50, 2)):
        assert pack(0, x, y) == pytest.approx(T(x, y), abs=1e-12)
        assert pack(1, x) == pytest.approx(interpolate(ONE_D.index_1, None, ONE_D.values, x))
