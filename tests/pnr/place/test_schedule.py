import pytest

from tapeout.pnr.place.schedule import AnnealSchedule, alpha, moves_per_temperature


def test_vpr_alpha_table():
    assert alpha(0.97, 10, 1) == 0.5
    assert alpha(0.85, 10, 1) == 0.9
    assert alpha(0.5, 1, 1) == 0.95
    assert alpha(0.1, 5, 1) == 0.95
    assert alpha(0.1, 1, 1) == 0.8


def test_window_steers_toward_44_percent_and_is_clamped():
    s = AnnealSchedule(temperature=100.0, window=50.0, window_min=2.0, window_max=80.0)
    s.update(0.2)
    assert s.temperature == 95.0 and s.window == pytest.approx(50.0 * 0.76)
    s.update(0.9)
    assert s.temperature == pytest.approx(95.0 * 0.9)
    assert s.window == pytest.approx(38.0 * 1.46)
    s.update(0.9)
    assert s.window == 80.0
    for _ in range(50):
        s.update(0.0)
    assert s.window == 2.0


def test_exit_rules():
    s = AnnealSchedule(temperature=0.01, window=2.0, window_min=2.0, window_max=80.0)
    assert s.frozen(cost=1000.0, n_nets=100, acceptance=0.5)      # T < 0.005 * 10
    s = AnnealSchedule(temperature=1.0, window=2.0, window_min=2.0, window_max=80.0)
    assert s.frozen(cost=1000.0, n_nets=100, acceptance=0.001)    # collapsed
    assert not s.frozen(cost=1000.0, n_nets=100, acceptance=0.2)


def test_moves_per_temperature_and_bad_values():
    assert moves_per_temperature(1000, 1.0) == 10000
    assert moves_per_temperature(1000, 0.5) == 5000
    with pytest.raises(ValueError, match=r"^inner_num must be positive, not 0$"):
        moves_per_temperature(10, 0)
    with pytest.raises(ValueError, match=r"^window_min must be positive and at most "
                                         r"window_max, not 0$"):
        AnnealSchedule(temperature=1.0, window=1.0, window_min=0, window_max=1.0)
