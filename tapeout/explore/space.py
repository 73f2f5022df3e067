"""The space file: which design, which keys to vary, which stages to run, what to optimise.

```toml
[explore]
design = "tc4x4.toml"        # the base design, relative to this file
stages = ["signoff"]         # stages to run (with the stages they depend on); default: the whole flow
search = "grid"              # grid, random, nsga2 or tpe
trials = 20                  # random/nsga2/tpe: how many; grid: at most this many points (default all)
seed = 1
trial_timeout_s = 0          # a trial running longer is stopped and recorded as timed out; 0: none
pictures = true              # false: the stages that can skip their pictures do (tapeout run --no-pictures)

[vary]
tensor_core.rows = [2, 4, 8]
design.clock_period_ns = { range = [5.0, 20.0], step = 5.0 }

[objectives]                 # metric = "min" or "max"
timing__fmax__mhz = "max"

[constraints]                # metric = ">= x", "<= x", "== x", true or false
timing__setup_ws__ns = ">= 0"
```
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from tapeout.errors import ConfigError
from tapeout.explore.errors import SpaceError
from tapeout.explore.parameters import Choices, Parameter, parse_parameter
from tapeout.flow.config import read_toml
from tapeout.flow.schema import closest

SEARCHES = ("grid", "random", "nsga2", "tpe")
EXPLORE_KEYS = ("name", "design", "stages", "search", "trials", "seed", "trial_timeout_s", "pictures")
_CONSTRAINT = re.compile(r"^\s*(>=|<=|==)\s*(\S+)\s*$")


@dataclass(frozen=True)
class Constraint:
    """A metric bound: `metric op bound` must hold for a trial to be feasible."""

    metric: str
    op: str  # ">=", "<=", "=="
    bound: float

    def violation(self, value) -> float:
        """How far `value` is outside the bound (0 when it holds); Optuna's constraint value."""
        value = float(value)
        if self.op == ">=":
            return max(0.0, self.bound - value)
        if self.op == "<=":
            return max(0.0, value - self.bound)
        return abs(value - self.bound)

    def text(self) -> str:
        return f"{self.metric} {self.op} {self.bound:g}"


@dataclass(frozen=True)
class Space:
    """A parsed space file. Paths are absolute; `objectives` maps metric -> "min"/"max" in file order."""

    path: Path
    name: str
    design: Path
    stages: tuple[str, ...]
    search: str
    trials: int | None
    seed: int
    trial_timeout_s: float
    parameters: tuple[Parameter, ...]
    objectives: dict
    constraints: tuple[Constraint, ...]
    pictures: bool = True

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(p.key for p in self.parameters)

    def grid_size(self) -> int | None:
        """Number of grid points, or None when a parameter is continuous."""
        sizes = [p.grid() for p in self.parameters]
        return None if any(s is None for s in sizes) else math.prod(len(s) for s in sizes)

    def identity(self) -> str:
        """Hash of what decides which trials exist and what they compute (not objectives/constraints,
        which are re-evaluated from the recorded metrics)."""
        data = {"design": str(self.design), "stages": self.stages, "search": self.search, "seed": self.seed,
                "parameters": [dataclasses.asdict(p) | {"kind": type(p).__name__} for p in self.parameters]}
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=list).encode()).hexdigest()[:16]


def load_space(path: str | Path) -> Space:
    """Parse and check a space file; SpaceError (one line, exit status 2) on the first problem."""
    path = Path(path)
    try:
        data = read_toml(path)
    except ConfigError as exc:
        raise SpaceError(str(exc).replace("design file", "space file")) from None
    where = str(path)
    for section in data:
        if section not in ("explore", "vary", "objectives", "constraints"):
            hint = closest(section, ("explore", "vary", "objectives", "constraints"))
            raise SpaceError(f"{where}: unknown section [{section}]" + (f"; did you mean [{hint}]?" if hint else ""))
    head = _table(data, "explore", where)
    for key in head:
        if key not in EXPLORE_KEYS:
            hint = closest(key, EXPLORE_KEYS)
            raise SpaceError(f"{where}: [explore] unknown key {key!r}" + (f"; did you mean {hint!r}?" if hint else ""))
    if "design" not in head:
        raise SpaceError(f"{where}: [explore] missing required key 'design' (the base design's TOML file)")
    design = (path.parent / str(head["design"])).resolve()
    if not design.is_file():
        raise SpaceError(f"{where}: [explore] design file {head['design']!r} not found "
                         f"(paths are relative to {path.parent}/)")
    name = head.get("name", path.stem.removeprefix("explore_"))
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z][\w-]*", name):
        raise SpaceError(f"{where}: [explore] name must be letters, digits, '_' and '-' starting with a letter, "
                         f"not {name!r}")
    search = head.get("search", "grid")
    if search not in SEARCHES:
        raise SpaceError(f"{where}: [explore] search must be one of {', '.join(SEARCHES)}, not {search!r}")
    trials = head.get("trials")
    if trials is not None and (isinstance(trials, bool) or not isinstance(trials, int) or trials < 1):
        raise SpaceError(f"{where}: [explore] trials must be a positive integer, not {trials!r}")
    seed = head.get("seed", 1)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise SpaceError(f"{where}: [explore] seed must be a non-negative integer, not {seed!r}")
    timeout = head.get("trial_timeout_s", 0)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout < 0:
        raise SpaceError(f"{where}: [explore] trial_timeout_s must be a number of seconds (0: none), not {timeout!r}")
    pictures = head.get("pictures", True)
    if not isinstance(pictures, bool):
        raise SpaceError(f"{where}: [explore] pictures must be true or false, not {pictures!r}")
    stages = _stages(head.get("stages"), where)
    parameters = _parameters(_table(data, "vary", where), where)
    objectives = _objectives(_table(data, "objectives", where), where)
    constraints = _constraints(_table(data, "constraints", where), where)
    space = Space(path.resolve(), name, design, stages, search, trials, seed, float(timeout), parameters,
                  objectives, constraints, pictures)
    if search == "grid" and space.grid_size() is None:
        continuous = next(p.key for p in parameters if p.grid() is None)
        raise SpaceError(f"{where}: [vary] {continuous} is a continuous range; give it a step or count for a grid "
                         "search, or use search = \"random\", \"nsga2\" or \"tpe\"")
    if search != "grid" and trials is None:
        raise SpaceError(f"{where}: [explore] trials is required for search = {search!r} (how many to run)")
    return space


def _table(data: dict, name: str, where: str) -> dict:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise SpaceError(f"{where}: [{name}] must be a table")
    return table


def _stages(stages, where: str) -> tuple[str, ...]:
    from tapeout.flow.stages import flow_stages

    if stages is None:
        return ()
    known = [s.name for s in flow_stages()]
    if not isinstance(stages, list) or not stages or not all(isinstance(s, str) for s in stages):
        raise SpaceError(f"{where}: [explore] stages must be a list of stage names, not {stages!r}")
    for stage in stages:
        if stage not in known:
            raise SpaceError(f"{where}: [explore] unknown stage {stage!r}; stages are: {', '.join(known)}")
    return tuple(stages)


def _flatten(table: dict, prefix: str = "") -> dict:
    """`{"tensor_core": {"rows": [...]}}` -> `{"tensor_core.rows": [...]}`; a parameter's own table
    (it has range, log_range or choices) is a leaf."""
    flat = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and not ({"range", "log_range", "choices", "step", "count"} & value.keys()):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def _parameters(table: dict, where: str) -> tuple[Parameter, ...]:
    from tapeout.flow.config import all_sections

    sections = all_sections()
    parameters = []
    for key, spec in _flatten(table).items():
        section, _, item = key.partition(".")
        if section not in sections or not item or "." in item:
            hint = closest(section, sections)
            raise SpaceError(f"{where}: [vary] {key} is not a config key <section>.<key>"
                             + (f"; did you mean section [{hint}]?" if hint and hint != section else ""))
        fields = {f.name: f for f in dataclasses.fields(sections[section])}
        if item not in fields:
            hint = closest(item, fields)
            raise SpaceError(f"{where}: [vary] {key}: [{section}] has no key {item!r}"
                             + (f"; did you mean {hint!r}?" if hint else ""))
        parameter = parse_parameter(key, spec, where)
        _check_values(parameter, fields[item], where)
        parameters.append(parameter)
    if not parameters:
        raise SpaceError(f"{where}: [vary] names no key to vary")
    return tuple(parameters)


def _check_values(parameter: Parameter, field, where: str) -> None:
    """Values (or range ends) that the key's own validation refuses are reported up front."""
    spec = field.metadata.get("spec")
    if spec is None:
        return  # a section that validates itself; the trial's design file is checked when it is built
    values = parameter.values if isinstance(parameter, Choices) else (parameter.low, parameter.high)
    for value in values:
        try:
            spec.check(value)
        except ValueError as exc:
            raise SpaceError(f"{where}: [vary] {parameter.key} value {value!r} {exc}") from None


def _objectives(table: dict, where: str) -> dict:
    if not table:
        raise SpaceError(f"{where}: [objectives] names no metric; give at least one, e.g. "
                         "timing__fmax__mhz = \"max\"")
    for metric, sense in table.items():
        if sense not in ("min", "max"):
            raise SpaceError(f"{where}: [objectives] {metric} must be \"min\" or \"max\", not {sense!r}")
    return dict(table)


def _constraints(table: dict, where: str) -> tuple[Constraint, ...]:
    constraints = []
    for metric, rule in table.items():
        if isinstance(rule, bool):
            constraints.append(Constraint(metric, "==", float(rule)))
            continue
        match = _CONSTRAINT.match(rule) if isinstance(rule, str) else None
        bound = _number(match.group(2)) if match else None
        if bound is None:
            raise SpaceError(f"{where}: [constraints] {metric} must be \">= x\", \"<= x\", \"== x\", true or false, "
                             f"not {rule!r}")
        constraints.append(Constraint(metric, match.group(1), bound))
    return tuple(constraints)


def _number(text: str) -> float | None:
    if text in ("true", "false"):
        return float(text == "true")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
