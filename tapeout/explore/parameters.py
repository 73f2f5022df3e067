"""The config keys a space varies, and the values each may take.

In a space file's `[vary]` table, a key (`tensor_core.rows`) takes either a list of values or a
table with one of `range = [lo, hi]`, `log_range = [lo, hi]` or `choices = [...]`; a range may add
`step` or `count` to make it discrete. Integer ranges are discrete (step 1 unless given); a float
range without step or count is continuous (random and Optuna search only; a grid needs points).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np

from tapeout.explore.errors import SpaceError


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class Choices:
    """A key taking one of a list of values (any TOML values: numbers, strings, booleans, lists)."""

    key: str
    values: tuple

    def grid(self) -> tuple:
        return self.values

    def sample(self, rng: np.random.Generator):
        return self.values[int(rng.integers(len(self.values)))]

    def distribution(self):
        """Optuna's view: a categorical over the values (lists by their JSON text)."""
        from optuna.distributions import CategoricalDistribution

        return CategoricalDistribution([self.to_optuna(v) for v in self.values])

    def to_optuna(self, value):
        return json.dumps(value) if isinstance(value, list) else value

    def from_optuna(self, value):
        for v in self.values:
            if self.to_optuna(v) == value:
                return v
        raise ValueError(f"{self.key}: {value!r} is not one of the choices")


@dataclass(frozen=True)
class Range:
    """A numeric key from `low` to `high` (inclusive), linear or logarithmic.

    integer -- integer values only
    step    -- distance between allowed values (linear ranges); 0 for none
    count   -- number of evenly spaced points (log ranges: evenly spaced in log); 0 for none
    """

    key: str
    low: float
    high: float
    log: bool = False
    integer: bool = False
    step: float = 0
    count: int = 0

    def grid(self) -> tuple | None:
        """The discrete values in increasing order, or None for a continuous range."""
        if self.count:
            space = np.geomspace if self.log else np.linspace
            points = space(self.low, self.high, self.count)
            return tuple(dict.fromkeys(int(round(p)) if self.integer else float(p) for p in points))
        step = self.step or (1 if self.integer and not self.log else 0)
        if not step:
            if self.integer:  # integer log range without count: every integer
                return tuple(range(int(self.low), int(self.high) + 1))
            return None
        n = int(math.floor((self.high - self.low) / step + 1e-9))
        values = [self.low + k * step for k in range(n + 1)]
        return tuple(int(v) for v in values) if self.integer else tuple(round(v, 12) for v in values)

    def sample(self, rng: np.random.Generator):
        points = self.grid()
        if points is not None and not self.log:
            return points[int(rng.integers(len(points)))]
        if self.log:
            value = math.exp(rng.uniform(math.log(self.low), math.log(self.high)))
            if points is not None:  # the nearest point in log space
                return min(points, key=lambda p: abs(math.log(p) - math.log(value)))
            return value
        return float(rng.uniform(self.low, self.high))

    def distribution(self):
        from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

        if self.count:
            return CategoricalDistribution(list(self.grid()))
        if self.integer:
            return IntDistribution(int(self.low), int(self.high), log=self.log, step=int(self.step or 1))
        return FloatDistribution(self.low, self.high, log=self.log, step=self.step or None)

    def to_optuna(self, value):
        return value

    def from_optuna(self, value):
        return value


Parameter = Choices | Range


def parse_parameter(key: str, spec, where: str) -> Parameter:
    """A parameter from its `[vary]` entry; SpaceError naming `where` and the key when malformed."""
    here = f"{where} [vary] {key}"
    if isinstance(spec, list):
        return _choices(key, spec, here)
    if not isinstance(spec, dict):
        raise SpaceError(f"{here} must be a list of values or a table with range, log_range or choices, "
                         f"not {spec!r}")
    kinds = [k for k in ("range", "log_range", "choices") if k in spec]
    unknown = [k for k in spec if k not in ("range", "log_range", "choices", "step", "count")]
    if unknown:
        raise SpaceError(f"{here} has unknown key {unknown[0]!r}; a parameter takes range, log_range or choices, "
                         "and optionally step or count")
    if len(kinds) != 1:
        raise SpaceError(f"{here} needs exactly one of range, log_range or choices, not {kinds or 'none'}")
    if kinds[0] == "choices":
        if "step" in spec or "count" in spec:
            raise SpaceError(f"{here}: step and count belong to ranges, not choices")
        return _choices(key, spec["choices"], here)
    return _range(key, spec, kinds[0] == "log_range", here)


def _choices(key: str, values, here: str) -> Choices:
    if not isinstance(values, list) or not values:
        raise SpaceError(f"{here} must list at least one value, not {values!r}")
    if any(isinstance(v, dict) for v in values):
        raise SpaceError(f"{here}: a value may be a number, string, boolean or list, not a table")
    return Choices(key, tuple(values))


def _range(key: str, spec: dict, log: bool, here: str) -> Range:
    name = "log_range" if log else "range"
    bounds = spec[name]
    if not (isinstance(bounds, list) and len(bounds) == 2 and all(_is_number(b) for b in bounds)
            and bounds[0] < bounds[1]):
        raise SpaceError(f"{here} {name} must be [low, high] with low < high, not {bounds!r}")
    if log and bounds[0] <= 0:
        raise SpaceError(f"{here} log_range must start above 0, not at {bounds[0]!r}")
    step, count = spec.get("step", 0), spec.get("count", 0)
    if step and count:
        raise SpaceError(f"{here}: give step or count, not both")
    if "step" in spec and (not _is_number(step) or step <= 0 or log):
        raise SpaceError(f"{here} step must be a positive number on a linear range, not {step!r}")
    if "count" in spec and (isinstance(count, bool) or not isinstance(count, int) or count < 2):
        raise SpaceError(f"{here} count must be an integer of at least 2, not {count!r}")
    integer = all(isinstance(b, int) for b in bounds) and (not step or isinstance(step, int))
    return Range(key, bounds[0], bounds[1], log=log, integer=integer, step=step, count=count)
