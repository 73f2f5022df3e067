"""The Pareto front: the points no other point beats on every objective.

Point a dominates point b when a is at least as good on every objective and strictly better on one
("good" is lower for a minimised objective, higher for a maximised one). Equal points do not dominate
each other, so duplicates are on the front together.
"""

from __future__ import annotations

import numpy as np


def pareto_front(values, senses) -> np.ndarray:
    """A boolean mask of the non-dominated rows of `values` (n points x m objectives).

    senses -- "min" or "max" per objective (column)
    """
    points = np.asarray(values, dtype=float)
    if points.ndim != 2 or points.shape[1] != len(senses):
        raise ValueError(f"values must be n x {len(senses)} (one column per objective), not {points.shape}")
    if any(s not in ("min", "max") for s in senses):
        raise ValueError(f"senses must be 'min' or 'max', not {list(senses)}")
    cost = points * np.where(np.array(senses) == "max", -1.0, 1.0)  # every column minimised
    front = np.ones(len(cost), dtype=bool)
    for i, point in enumerate(cost):
        no_worse = np.all(cost <= point, axis=1)
        better = np.any(cost < point, axis=1)
        front[i] = not np.any(no_worse & better)
    return front
