import dataclasses

import numpy as np
import pytest

from tapeout.pnr.errors import PlacementError
from tapeout.pnr.place.cost import hpwl
from tapeout.pnr.place.placer import (
    DENSITY_MARGIN,
    MAX_AUTO_DENSITY,
    MIN_DENSITY_MARGIN,
    default_target_density,
    place,
    resolved_method,
)
from tapeout.pnr.place.synthetic import synthetic_problem


@pytest.fixture(scope="module")
def problem():
    return synthetic_problem(400, seed=13, n_macros=1, halo=0.5)


@pytest.mark.parametrize("method", ["anneal", "analytic"])
def test_place_is_legal_deterministic_and_beats_random(problem, method):
    calls = []
    result = place(problem, seed=5, effort=0.5, method=method, debug=True,
                   progress=lambda f, m: calls.append((f, m)))
    assert result.method == method and result.violations == 0
    assert np.array_equal(result.x[~problem.movable], problem.x[~problem.movable])
    assert result.hpwl == pytest.approx(hpwl(problem, result.x, result.y))
    rng = np.random.default_rng(0)
    x, y = problem.x.copy(), problem.y.copy()
    x[problem.movable] = rng.uniform(0, problem.core[2], problem.n_movable)
    y[problem.movable] = rng.uniform(0, problem.core[3], problem.n_movable)
    assert result.hpwl < 0.3 * hpwl(problem, x, y)
    steps = result.hpwl_by_step
    assert steps["detailed"] <= steps["legalised"] + 1e-9
    assert steps["global"] < steps["initial"]
    assert result.moves > 0 and result.moves_per_s > 0 and result.temperatures
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    again = place(problem, seed=5, effort=0.5, method=method)
    assert np.array_equal(again.x, result.x) and np.array_equal(again.y, result.y)
    other = place(problem, seed=6, effort=0.5, method=method)
    assert not np.array_equal(other.x, result.x)
    metrics = result.metrics()
    assert metrics["place__hpwl__um"] == result.hpwl
    assert metrics["place__legality_violations__count"] == 0


def test_resolved_method_is_what_place_uses(problem):
    assert resolved_method(problem, "auto") == "eplace" == resolved_method(problem, "auto", problem.n_movable)
    assert resolved_method(problem, "auto", problem.n_movable + 1) == "anneal"
    assert resolved_method(problem, "analytic") == "analytic"


def test_auto_picks_by_size(problem):
    assert place(problem, effort=0.2, eplace_threshold=401).method == "anneal"
    assert place(problem, effort=0.2, eplace_threshold=400).method == "eplace"


def test_too_full_core_is_refused_before_any_work(problem):
    squeezed = dataclasses.replace(problem, core=(0.0, 0.0, problem.core[2] * 0.6,
                                                  problem.core[3]))
    with pytest.raises(PlacementError, match=r"^the movable cells need .* um of row length but "
                                         r"the core rows offer only .* um \(utilisation "
                                         r"1\.\d+ > 1\): enlarge the core or lower the "
                                         r"utilisation$"):
        place(squeezed)


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(seed=1.5), TypeError, "seed must be an integer, not 1.5"),
    (dict(effort=0), ValueError, "effort must be a positive number, not 0"),
    (dict(method="fast"), ValueError, "method must be one of auto, anneal, analytic, eplace, "
                                      "not 'fast'"),
    (dict(target_density=1.5), ValueError, "target_density must be a number in (0, 1], not 1.5"),
])
def test_bad_parameters(problem, kwargs, error, message):
    with pytest.raises(error) as info:
        place(problem, **kwargs)
    assert str(info.value) == message


def test_eplace_spreads_to_its_target_density_legally_and_deterministically(problem):
    calls = []
    result = place(problem, seed=5, method="eplace", progress=lambda f, m: calls.append((f, m)))
    assert result.method == "eplace" and result.violations == 0
    assert np.array_equal(result.x[~problem.movable], problem.x[~problem.movable])
    assert result.target_density == default_target_density(problem)
    assert result.overflow <= 0.1 and result.global_iterations[0] > 0
    assert result.max_bin_density <= result.target_density + 0.1
    steps = result.hpwl_by_step
    assert steps["initial"] < steps["global"] <= steps["legalised"] * 1.05
    assert steps["detailed"] <= steps["legalised"] + 1e-9
    rng = np.random.default_rng(0)
    x, y = problem.x.copy(), problem.y.copy()
    x[problem.movable] = rng.uniform(0, problem.core[2], problem.n_movable)
    y[problem.movable] = rng.uniform(0, problem.core[3], problem.n_movable)
    assert result.hpwl < 0.3 * hpwl(problem, x, y)
    mean, worst = result.displacement_rows
    assert 0 < mean < worst
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    again = place(problem, seed=5, method="eplace")
    assert np.array_equal(again.x, result.x) and np.array_equal(again.y, result.y)
    assert not np.array_equal(place(problem, seed=6, method="eplace").x, result.x)
    metrics = result.metrics()
    for key in ("place__max_bin_density__ratio", "place__congestion_max__ratio", "place__overflow__ratio",
                "place__target_density__ratio", "place__displacement_max__rows"):
        assert np.isfinite(metrics[key])


def test_no_movable_cell_is_no_work(problem):
    fixed = dataclasses.replace(problem, movable=np.zeros(problem.n_cells, dtype=bool))
    result = place(fixed)
    assert result.method == "none" and result.violations == 0 and result.moves == 0
    assert np.array_equal(result.x, problem.x) and result.hpwl == pytest.approx(hpwl(problem, problem.x, problem.y))


def test_default_target_density_is_the_utilisation_plus_a_margin():
    p = synthetic_problem(300, seed=2, utilisation=0.5)
    free = p.n_rows * p.core[2]
    used = float(np.sum(p.width[p.movable] * p.height[p.movable])) / p.row_height
    assert default_target_density(p) == pytest.approx(min(1.0, used / free + DENSITY_MARGIN), abs=0.01)
    assert used / free + DENSITY_MARGIN < MAX_AUTO_DENSITY
    # fuller cores: at most MAX_AUTO_DENSITY while that leaves MIN_DENSITY_MARGIN, then up to 1
    assert default_target_density(synthetic_problem(300, seed=2, utilisation=0.75)) == MAX_AUTO_DENSITY
    full = synthetic_problem(300, seed=2, utilisation=0.9)
    used = float(np.sum(full.width[full.movable] * full.height[full.movable])) / full.row_height
    assert default_target_density(full) == pytest.approx(min(1.0, used / (full.n_rows * full.core[2])
                                                             + MIN_DENSITY_MARGIN))


def test_timing_driven_eplace_shortens_the_critical_nets(problem):
    from tapeout.pnr.place.timing_weights import NetTiming

    critical = np.flatnonzero(problem.fanout >= 2)[::20]  # under 10 % of the nets
    calls = []

    def timer(x, y):
        """Critical nets: slack -1 ns; the others 0 to 5 ns; fixed cells as given (original numbering)."""
        assert np.array_equal(x[~problem.movable], problem.x[~problem.movable])
        calls.append(1)
        slack = np.linspace(0.0, 5.0, problem.n_nets)
        slack[critical] = -1.0
        return NetTiming(slack, -1.0 - 0.01 * len(calls))

    def span(result):
        px, py = result.x[problem.pin_cell] + problem.pin_dx, result.y[problem.pin_cell] + problem.pin_dy
        return sum(np.ptp(px[problem.net_pins[problem.net_ptr[n]:problem.net_ptr[n + 1]]])
                   + np.ptp(py[problem.net_pins[problem.net_ptr[n]:problem.net_ptr[n + 1]]]) for n in critical)
    plain = place(problem, seed=5, method="eplace")
    timed = place(problem, seed=5, method="eplace", timer=timer, timer_weight=3.0)
    assert timed.violations == 0 and 1 <= len(calls) <= 6
    assert timed.timing_wns_ns == pytest.approx([-1.0 - 0.01 * k for k in range(1, len(calls) + 1)])
    assert span(timed) < 0.9 * span(plain)
    metrics = timed.metrics()
    assert metrics["place__timing_reweights__count"] == len(calls)
    assert metrics["place__estimated_setup_ws__ns"] == pytest.approx(timed.timing_wns_ns[-1])
    assert 0 < timed.timing_s < timed.runtime_s  # the metric is rounded to 1 ms: a fast timer shows 0.0
    assert metrics["place__timing_runtime__s"] == round(timed.timing_s, 3)
    assert "place__timing_reweights__count" not in plain.metrics()
    with pytest.raises(ValueError, match="timer_weight must be a non-negative number, not -1"):
        place(problem, method="eplace", timer=timer, timer_weight=-1)
