"""A quick scan of a Liberty file for the facts synthesis reports need (no full parse)."""

from __future__ import annotations

import re

_CELL = re.compile(r"^\s*cell\s*\(\s*\"?([^\s\")]+)\"?\s*\)", re.MULTILINE)
_SEQUENTIAL = re.compile(r"^\s*(ff|latch|ff_bank|latch_bank)\s*\(", re.MULTILINE)


def sequential_cells(liberty_text: str) -> set[str]:
    """Names of the cells holding an ``ff``/``latch`` group (flip-flops and latches)."""
    starts = [(m.start(), m.group(1)) for m in _CELL.finditer(liberty_text)]
    found = set()
    for (start, name), (end, _) in zip(starts, starts[1:] + [(len(liberty_text), "")]):
        if _SEQUENTIAL.search(liberty_text, start, end):
            found.add(name)
    return found


_PIN_CONST = re.compile(r"pin\s*\(\s*\"?(\w+)\"?\s*\)\s*\{[^{}]*?function\s*:\s*\"\s*([01])\s*\"", re.S)


def tie_cells(liberty_text: str) -> dict[str, tuple[str, str]]:
    """Tie cells: ``{"1": (cell, pin), "0": (cell, pin)}`` for outputs whose function is a constant.

    Cells marked ``dont_use`` are skipped; the first cell found for each value wins.
    """
    starts = [(m.start(), m.group(1)) for m in _CELL.finditer(liberty_text)]
    ties: dict[str, tuple[str, str]] = {}
    for (start, name), (end, _) in zip(starts, starts[1:] + [(len(liberty_text), "")]):
        body = liberty_text[start:end]
        if re.search(r"dont_use\s*:\s*true", body):
            continue
        for pin, value in _PIN_CONST.findall(body):
            ties.setdefault(value, (name, pin))
    return ties


_PIN_DIRECTION = re.compile(r"pin\s*\(\s*\"?(\w+)\"?\s*\)\s*\{[^{}]*?direction\s*:\s*\"?(input|output)\"?", re.S)


def buffer_pins(liberty_text: str, cell: str) -> tuple[str, str]:
    """(input pin, output pin) of a one-input, one-output cell of the library (a buffer)."""
    starts = [(m.start(), m.group(1)) for m in _CELL.finditer(liberty_text)]
    for (start, name), (end, _) in zip(starts, starts[1:] + [(len(liberty_text), "")]):
        if name == cell:
            pins = _PIN_DIRECTION.findall(liberty_text[start:end])
            inputs = [p for p, d in pins if d == "input"]
            outputs = [p for p, d in pins if d == "output"]
            if len(inputs) == 1 and len(outputs) == 1:
                return inputs[0], outputs[0]
            raise ValueError(f"cell {cell} is not a buffer (inputs {inputs}, outputs {outputs})")
    raise ValueError(f"cell {cell} is not in the library")
