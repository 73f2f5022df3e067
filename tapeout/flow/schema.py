"""Typed validation of TOML tables into frozen dataclasses.

A config section is a frozen dataclass whose fields carry a `spec` in their
metadata (`Int`, `Float`, `Choice`, ...). `parse_section` checks a TOML table
against it and collects one readable line per problem, e.g.
``designs/x.toml: [tensor_core] rows must be an integer from 1 to 64, not 0``.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from abc import ABC, abstractmethod
from dataclasses import MISSING, dataclass, field
from typing import Any


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    return repr(value)


class Spec(ABC):
    """What a value must be; `check` returns the converted value or raises ValueError(message)."""

    @abstractmethod
    def describe(self) -> str:
        """What the value must be, as a phrase ("a positive integer")."""

    @abstractmethod
    def check(self, value: Any) -> Any:
        """The value converted, or ValueError(message)."""

    def fail(self, value: Any):
        raise ValueError(f"must be {self.describe()}, not {_show(value)}")


@dataclass(frozen=True)
class Int(Spec):
    lo: int
    hi: int
    unit: str = ""

    def describe(self):
        unit = f" ({self.unit})" if self.unit else ""
        return f"an integer from {self.lo} to {self.hi}{unit}"

    def check(self, value):
        if isinstance(value, bool) or not isinstance(value, int) or not self.lo <= value <= self.hi:
            self.fail(value)
        return value


@dataclass(frozen=True)
class Float(Spec):
    lo: float
    hi: float
    unit: str = ""
    lo_open: bool = False

    def describe(self):
        unit = f" ({self.unit})" if self.unit else ""
        if self.lo_open:
            return f"a number above {self.lo:g} and up to {self.hi:g}{unit}"
        return f"a number from {self.lo:g} to {self.hi:g}{unit}"

    def check(self, value):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.fail(value)
        value = float(value)
        too_low = value <= self.lo if self.lo_open else value < self.lo
        if too_low or value > self.hi:
            self.fail(value)
        return value


@dataclass(frozen=True)
class Choice(Spec):
    options: tuple[str, ...]

    def describe(self):
        return "one of " + ", ".join(repr(o) for o in self.options)

    def check(self, value):
        if not isinstance(value, str) or value not in self.options:
            self.fail(value)
        return value


@dataclass(frozen=True)
class Bool(Spec):
    def describe(self):
        return "true or false"

    def check(self, value):
        if not isinstance(value, bool):
            self.fail(value)
        return value


@dataclass(frozen=True)
class Text(Spec):
    pattern_help: str = "a non-empty string"

    def describe(self):
        return self.pattern_help

    def check(self, value):
        if not isinstance(value, str) or not value.strip():
            self.fail(value)
        return value


@dataclass(frozen=True)
class Name(Text):
    """An identifier usable as a directory and module name."""

    pattern_help: str = "a name of letters, digits, '_' and '-' starting with a letter"

    def check(self, value):
        ok = (
            isinstance(value, str)
            and value[:1].isalpha()
            and all(c.isalnum() or c in "_-" for c in value)
        )
        if not ok:
            self.fail(value)
        return value


@dataclass(frozen=True)
class TextList(Spec):
    def describe(self):
        return "a list of strings"

    def check(self, value):
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            self.fail(value)
        return tuple(value)


@dataclass(frozen=True)
class ParameterTable(Spec):
    """A table of HDL parameter names to integers or strings (``{WIDTH = 8, MODE = "fast"}``), kept in
    the file's order as ``((name, value), ...)``."""

    def describe(self):
        return "a table of parameter names to integers or strings, e.g. {WIDTH = 8}"

    def check(self, value):
        ok = isinstance(value, dict) and value and all(
            k.isidentifier() and isinstance(v, (int, str)) and not isinstance(v, bool) for k, v in value.items())
        if not ok:
            self.fail(value)
        return tuple(value.items())


@dataclass(frozen=True)
class ShapeList(Spec):
    """A list of [M, K, N] GEMM shapes, each dimension from 1 to `hi`."""

    hi: int = 1 << 20

    def describe(self):
        return f"a list of [M, K, N] integer triples from 1 to {self.hi}"

    def check(self, value):
        ok = isinstance(value, list) and value and all(
            isinstance(s, list)
            and len(s) == 3
            and all(isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= self.hi for d in s)
            for s in value
        )
        if not ok:
            self.fail(value)
        return tuple(tuple(s) for s in value)


def setting(spec: Spec, default: Any = MISSING, doc: str = ""):
    """A dataclass field carrying its validation spec (and a required flag if no default)."""
    return field(default=default, metadata={"spec": spec, "doc": doc})


def closest(word: str, options) -> str | None:
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return match[0] if match else None


def parse_section(cls, table: Any, where: str, errors: list[str]):
    """Validate `table` against dataclass `cls`; append messages to `errors`; return an instance or None."""
    if not isinstance(table, dict):
        errors.append(f"{where} must be a table, not {_show(table)}")
        return None
    fields = {f.name: f for f in dataclasses.fields(cls)}
    values, ok = {}, True
    for key, value in table.items():
        if key not in fields:
            hint = closest(key, fields)
            errors.append(f"{where} unknown key {key!r}" + (f"; did you mean {hint!r}?" if hint else ""))
            ok = False
            continue
        try:
            values[key] = fields[key].metadata["spec"].check(value)
        except ValueError as exc:
            errors.append(f"{where} {key} {exc}")
            ok = False
    for name, f in fields.items():
        if name not in table and f.default is MISSING and f.default_factory is MISSING:
            errors.append(f"{where} missing required key {name!r}")
            ok = False
    return cls(**values) if ok else None


def parse_checked(cls, table: Any, where: str, errors: list[str]):
    """Build a dataclass that validates itself (raising ValueError/TypeError) from a TOML table."""
    if not isinstance(table, dict):
        errors.append(f"{where} must be a table, not {_show(table)}")
        return None
    names = [f.name for f in dataclasses.fields(cls)]
    unknown = [k for k in table if k not in names]
    for key in unknown:
        hint = closest(key, names)
        errors.append(f"{where} unknown key {key!r}" + (f"; did you mean {hint!r}?" if hint else ""))
    if unknown:
        return None
    try:
        return cls(**table)
    except (ValueError, TypeError) as exc:
        errors.append(f"{where} {exc}")
        return None


def to_dict(obj) -> dict:
    """A section (or whole config) as plain data, for hashing and reports."""
    return dataclasses.asdict(obj)
