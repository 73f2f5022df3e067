"""Parameters of a space: grid points, seeded draws, Optuna distributions, malformed entries."""

import numpy as np
import pytest
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

from tapeout.explore.errors import SpaceError
from tapeout.explore.parameters import Choices, Range, parse_parameter


def parse(spec):
    return parse_parameter("tensor_core.rows", spec, "s.toml:")


def test_a_list_is_a_choice():
    p = parse([2, 4, 8])
    assert p == Choices("tensor_core.rows", (2, 4, 8))
    assert p.grid() == (2, 4, 8)
    assert p.distribution() == CategoricalDistribution([2, 4, 8])


def test_integer_range_is_every_integer_or_every_step():
    assert parse({"range": [2, 6]}).grid() == (2, 3, 4, 5, 6)
    assert parse({"range": [2, 8], "step": 3}).grid() == (2, 5, 8)
    assert parse({"range": [2, 6]}).distribution() == IntDistribution(2, 6)


def test_float_ranges_by_step_count_or_continuous():
    assert parse({"range": [5.0, 20.0], "step": 5.0}).grid() == (5.0, 10.0, 15.0, 20.0)
    assert parse({"range": [0.4, 0.7], "count": 4}).grid() == pytest.approx((0.4, 0.5, 0.6, 0.7))
    assert parse({"range": [0.4, 0.7]}).grid() is None
    assert parse({"range": [0.4, 0.7]}).distribution() == FloatDistribution(0.4, 0.7)


def test_log_range_points_are_even_in_log():
    assert parse({"log_range": [1.0, 1000.0], "count": 4}).grid() == pytest.approx((1.0, 10.0, 100.0, 1000.0))
    assert parse({"log_range": [1, 16], "count": 5}).grid() == (1, 2, 4, 8, 16)
    assert parse({"log_range": [1.0, 1000.0]}).distribution() == FloatDistribution(1.0, 1000.0, log=True)


def test_draws_are_in_range_and_repeat_with_the_seed():
    p = parse({"log_range": [1.0, 1000.0]})
    draws = [p.sample(np.random.default_rng([1, k])) for k in range(200)]
    assert all(1.0 <= d <= 1000.0 for d in draws)
    assert sum(d < 31.6 for d in draws) == pytest.approx(100, abs=25)  # half the draws below the log midpoint
    assert draws == [p.sample(np.random.default_rng([1, k])) for k in range(200)]
    assert {parse([2, 4]).sample(np.random.default_rng([1, k])) for k in range(20)} == {2, 4}


def test_list_values_travel_through_optuna_as_json():
    p = parse({"choices": [[[64, 64, 64]], [[1, 4096, 4096]]]})
    assert p.to_optuna([[1, 4096, 4096]]) == "[[1, 4096, 4096]]"
    assert p.from_optuna("[[1, 4096, 4096]]") == [[1, 4096, 4096]]


@pytest.mark.parametrize("spec, message", [
    (3, "s.toml: [vary] tensor_core.rows must be a list of values or a table with range, log_range or choices, not 3"),
    ([], "s.toml: [vary] tensor_core.rows must list at least one value, not []"),
    ({"range": [8, 2]}, "s.toml: [vary] tensor_core.rows range must be [low, high] with low < high, not [8, 2]"),
    ({"log_range": [0, 8]}, "s.toml: [vary] tensor_core.rows log_range must start above 0, not at 0"),
    ({"range": [1, 8], "step": 2, "count": 3}, "s.toml: [vary] tensor_core.rows: give step or count, not both"),
    ({"range": [1, 8], "count": 1}, "s.toml: [vary] tensor_core.rows count must be an integer of at least 2, not 1"),
    ({"range": [1, 8], "stride": 2}, "s.toml: [vary] tensor_core.rows has unknown key 'stride'; a parameter takes "
                                     "range, log_range or choices, and optionally step or count"),
    ({"range": [1, 8], "choices": [1]}, "s.toml: [vary] tensor_core.rows needs exactly one of range, log_range or "
                                        "choices, not ['range', 'choices']"),
])
def test_malformed_entries_are_one_line(spec, message):
    with pytest.raises(SpaceError) as error:
        parse(spec)
    assert str(error.value) == message


def test_range_is_a_frozen_value():
    assert parse({"range": [1, 4]}) == Range("tensor_core.rows", 1, 4, integer=True)
