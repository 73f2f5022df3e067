"""A finished trial seen through the space's objectives and constraints.

Objectives and constraints are evaluated from the metrics a trial recorded, never stored with it: a
space whose objectives change is re-evaluated by `--resume` without running anything again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tapeout.explore.space import Space
from tapeout.explore.trial import DONE, FAILED
from tapeout.flow.schema import closest


@dataclass(frozen=True)
class Evaluation:
    """status    -- the trial's status; "failed" also when an objective or constraint metric is missing
    objectives   -- {metric: value} in the space's order (empty unless status is done)
    violations   -- how far each constraint is outside its bound (0: it holds), in the space's order
    """

    trial: int
    status: str
    message: str
    objectives: dict
    violations: tuple[float, ...]

    @property
    def ok(self) -> bool:
        return self.status == DONE

    @property
    def feasible(self) -> bool:
        return self.ok and not any(self.violations)


def _number(value) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)) and math.isfinite(value):
        return float(value)
    return None


def evaluate(record: dict, space: Space) -> Evaluation:
    """The trial's objectives and constraint violations, or why it has none."""
    trial, status, message = record["trial"], record["status"], record.get("message", "")
    if status != DONE:
        return Evaluation(trial, status, message, {}, ())
    metrics = record.get("metrics", {})
    wanted = [*space.objectives, *(c.metric for c in space.constraints)]
    for metric in wanted:
        if _number(metrics.get(metric)) is None:
            hint = closest(metric, metrics)
            why = "is not a number" if metric in metrics else "was not produced by the stages run"
            return Evaluation(trial, FAILED, f"metric {metric} {why}" + (f"; did you mean {hint}?" if hint else ""),
                              {}, ())
    objectives = {m: _number(metrics[m]) for m in space.objectives}
    violations = tuple(c.violation(_number(metrics[c.metric])) for c in space.constraints)
    return Evaluation(trial, DONE, message, objectives, violations)
