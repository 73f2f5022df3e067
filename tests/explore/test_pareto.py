"""The Pareto front against hand-worked cases."""

import numpy as np
import pytest

from tapeout.explore.pareto import pareto_front


def test_front_with_one_minimised_and_one_maximised_objective():
    # x minimised, y maximised. C is beaten by B (same y, smaller x), D by A (smaller x, larger y);
    # A and E are equal, so neither dominates the other and both are on the front.
    points = {"A": (1, 5), "B": (2, 6), "C": (3, 6), "D": (2, 4), "E": (1, 5), "F": (4, 9)}
    mask = pareto_front(list(points.values()), ["min", "max"])
    assert [name for name, on in zip(points, mask) if on] == ["A", "B", "E", "F"]


def test_three_objectives_all_minimised():
    points = [(1, 1, 9), (1, 1, 8), (2, 0, 9), (2, 2, 2), (3, 3, 3)]
    # (1,1,9) is beaten by (1,1,8); (3,3,3) by (2,2,2); the rest trade off against each other.
    assert pareto_front(points, ["min", "min", "min"]).tolist() == [False, True, True, True, False]


def test_one_objective_keeps_the_best_values_only():
    assert pareto_front([[3.0], [1.0], [2.0], [1.0]], ["min"]).tolist() == [False, True, False, True]
    assert pareto_front([[3.0], [1.0], [2.0]], ["max"]).tolist() == [True, False, False]


def test_matches_a_brute_force_check_on_random_points():
    rng = np.random.default_rng(7)
    points = rng.integers(0, 6, size=(60, 3)).astype(float)
    senses = ["min", "max", "min"]
    cost = points * np.array([1, -1, 1])
    expected = [not any(all(cost[j] <= cost[i]) and any(cost[j] < cost[i]) for j in range(60)) for i in range(60)]
    assert pareto_front(points, senses).tolist() == expected


def test_bad_shapes_and_senses_are_refused():
    with pytest.raises(ValueError, match="one column per objective"):
        pareto_front([[1, 2, 3]], ["min", "max"])
    with pytest.raises(ValueError, match="senses must be 'min' or 'max'"):
        pareto_front([[1, 2]], ["min", "up"])
