"""Design-rule checks run inside the synthesis worker; each failure is one line.

Rules (all fatal in the ASIC flow):

* the top module exists;
* no latches (flip-flops only);
* no undriven or multiply-driven nets, no combinational loops (Yosys ``check``);
* after technology mapping no internal ``$`` cell is left (everything maps to the library).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from tapeout.synth.names import bare_name
from tapeout.yosys_text import quoted

#: Yosys internal cell types that are latches (coarse and fine-grained).
LATCH_TYPE = re.compile(r"^\$(dlatch|adlatch|dlatchsr|sr|_DLATCH_|_DLATCHSR_|_SR_)")


class CheckFailure(Exception):
    """A check found a problem; the message is the one line shown to the user."""


def location(src: str) -> str:
    """``file:line`` from a Yosys ``src`` attribute (``a.v:3.1-4.2|b.v:...``), or ``""``."""
    match = re.match(r"([^|:]+):(\d+)", src or "")
    return f"{match.group(1)}:{match.group(2)}" if match else ""


def _prefixed(src: str, message: str) -> str:
    where = location(src)
    return f"{where}: {message}" if where else message


def check_top(design, top: str) -> None:
    """Fail when module `top` is not among the modules read."""
    names = sorted(bare_name(m.name.str()) for m in design.modules_.values()
                   if not m.get_blackbox_attribute())
    if top not in names:
        known = ", ".join(names) if names else "none"
        raise CheckFailure(f"top module `{top}` not found; modules read: {known}")


def check_latches(design) -> None:
    """Fail on the first latch cell left after ``proc``, naming the signal it holds."""
    from pyosys import libyosys as ys

    for module in design.modules_.values():
        for cell in module.cells_.values():
            if LATCH_TYPE.match(cell.type.str()):
                q_port = ys.IdString("\\Q")
                signal = ys.log_signal(cell.getPort(q_port)).strip() if cell.hasPort(q_port) else "?"
                raise CheckFailure(_prefixed(
                    cell.get_src_attribute(),
                    f"latch inferred for {bare_name(signal)} in module "
                    f"`{bare_name(module.name.str())}`; the ASIC flow accepts flip-flops only"))


def _object(dotted: str) -> tuple[str, str]:
    """``("module", "net")`` from Yosys's ``module.\\net``."""
    module, _, net = dotted.partition(".")
    return bare_name(module), bare_name(net)


def _describe(head: str, details: list[str]) -> str:
    """One readable line for a ``check`` warning and its detail lines."""
    loop = re.match(r"found logic loop in module (\S+)", head)
    if loop:
        wires = [bare_name(d.split()[1]) for d in details if d.startswith("wire ")]
        through = f" through {', '.join(wires)}" if wires else ""
        return f"combinational loop in module `{bare_name(loop.group(1))}`{through}"
    conflict = re.match(r"multiple conflicting drivers for (\S+)", head)
    if conflict:
        module, net = _object(conflict.group(1))
        return f"net `{net}` in module `{module}` has multiple drivers: {', '.join(details)}"
    undriven = re.match(r"Wire (\S+) is used but has no driver", head)
    if undriven:
        module, net = _object(undriven.group(1))
        return f"net `{net}` in module `{module}` is used but has no driver"
    return head + (f" ({'; '.join(details)})" if details else "")


def first_check_problem(report: str, ignore_loops: bool = False) -> str | None:
    """The first problem in the text of a Yosys ``check`` report, as one line, or None.

    A problem is a ``Warning:`` line plus its indented detail lines. The ``file:line``
    of the first ``source:`` detail prefixes the line. Logic loops are skipped when
    `ignore_loops` (word-level cells report false loops).
    """
    blocks: list[list[str]] = []
    in_block = False
    for line in report.splitlines():
        if line.startswith("Warning: "):
            blocks.append([line[len("Warning: "):].strip().rstrip(":.")])
            in_block = True
        elif in_block and line.startswith(" ") and line.strip():
            blocks[-1].append(line.strip())
        else:
            in_block = False
    for head, *details in blocks:
        if ignore_loops and head.startswith("found logic loop"):
            continue
        source = next((re.search(r"source: (\S+)", d) for d in details if "source: " in d), None)
        return _prefixed(source.group(1) if source else "", _describe(head, details))
    return None


def check_design(design, report_path: str, ignore_loops: bool = False) -> None:
    """Run Yosys ``check`` into `report_path` and fail on the first problem it reports."""
    from pyosys import libyosys as ys

    ys.run_pass(f"tee -q -o {quoted(report_path)} check", design)
    problem = first_check_problem(Path(report_path).read_text(), ignore_loops)
    if problem:
        raise CheckFailure(problem)


def check_mapped(design) -> None:
    """Fail when an internal ``$`` cell survived technology mapping (instances of the design's own
    modules, such as the ``$paramod...`` specialisations of parameterised ones, are not cells)."""
    left: Counter = Counter()
    where: dict[str, str] = {}
    modules = {name.str() for name in design.modules_}
    for module in design.modules_.values():
        if module.get_blackbox_attribute():
            continue
        for cell in module.cells_.values():
            kind = cell.type.str()
            if kind.startswith("$") and kind != "$scopeinfo" and kind not in modules:
                left[kind] += 1
                where.setdefault(kind, bare_name(module.name.str()))
    if left:
        listing = ", ".join(f"{n} x {kind} (module `{where[kind]}`)" for kind, n in sorted(left.items()))
        raise CheckFailure(f"cells not mapped to the library: {listing}; "
                           f"the library has no cell for them")
