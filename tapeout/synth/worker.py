"""Child process that runs a synthesis script with pyosys.

Usage: ``python -m tapeout.synth.worker script.json``. Yosys ends the process on an error
(``log_error`` exits; no exception reaches Python), so every Yosys run happens here, apart
from the caller. The script is a JSON list of steps: a string is a Yosys command, an object
``{"action": name, "args": {...}}`` calls one of `ACTIONS` with the design. The Yosys log
goes to stdout; a failure ends with one ``ERROR: <message>`` line on stderr and status 1,
the same shape as Yosys's own errors, so the caller parses both alike.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tapeout.synth import checks, fanout_buffers, memory_macros, register_names
from tapeout.yosys_text import quoted


def _report(design, command: str, path: str) -> None:
    """Run `command` with its output written to `path` only."""
    from pyosys import libyosys as ys

    ys.run_pass(f"tee -q -o {quoted(path)} {command}", design)


def _stat(design, top: str, liberty: list[str], macro_dir: str, json_path: str, text_path: str):
    """Area reports (``stat -liberty``) over the standard cells and the generated macros."""
    libs = list(liberty) + memory_macros.macro_liberty_files(macro_dir)
    flags = " ".join(f"-liberty {quoted(lib)}" for lib in libs)
    _report(design, f"stat {flags} -json -hierarchy -top {top}", json_path)
    _report(design, f"stat {flags} -top {top}", text_path)


def _buffer_fanout(design, top: str, max_fanout: int, buffer_cell: str, work_path: str, report_path: str,
                   macro_input_stages: int = 0, buffer_ports=("A", "Y"), macro_buffer_cell: str = "",
                   macro_buffer_ports=("A", "Y")):
    """Buffer high-fanout nets of the flat top module (see `fanout_buffers`) and reload the design."""
    from pyosys import libyosys as ys

    ys.run_pass(f"write_json {quoted(work_path)}", design)
    fanout_buffers.buffer_json_file(work_path, work_path, top, max_fanout, buffer_cell, report_path,
                                    macro_prefix=fanout_buffers.MACRO_PREFIX,
                                    macro_buffer_cell=macro_buffer_cell or fanout_buffers.MACRO_INPUT_BUFFER,
                                    macro_stages=macro_input_stages, buffer_ports=tuple(buffer_ports),
                                    macro_buffer_ports=tuple(macro_buffer_ports))
    ys.run_pass("design -reset", design)
    ys.run_pass(f"read_json {quoted(work_path)}", design)
    ys.run_pass(f"hierarchy -top {top}", design)
    Path(work_path).unlink()


def _prove_with_abc(design, module: str, work_dir: str):
    """Prove ``module``'s equivalence points with ABC (`tapeout.verify.lec.miter`)."""
    from tapeout.verify.lec.miter import prove_with_abc

    prove_with_abc(design, module, work_dir)


def _prove_dont_cares(design, module: str, gold: str, gate: str, work_dir: str):
    """Prove ``module``'s points modulo the gold side's don't-cares (`tapeout.verify.lec.dont_care`)."""
    from tapeout.verify.lec.dont_care import prove_dont_cares

    prove_dont_cares(design, module, gold, gate, work_dir)


ACTIONS = {
    "buffer_fanout": _buffer_fanout,
    "check_top": checks.check_top,
    "check_latches": checks.check_latches,
    "check_design": checks.check_design,
    "check_mapped": checks.check_mapped,
    "map_memories": memory_macros.map_memories,
    "name_registers": register_names.name_registers,
    "prove_dont_cares": _prove_dont_cares,
    "prove_with_abc": _prove_with_abc,
    "stat": _stat,
}


def run_steps(steps: list) -> None:
    """Run the steps on a fresh design; raises `checks.CheckFailure` on a failed check."""
    from pyosys import libyosys as ys

    design = ys.Design()
    for step in steps:
        if isinstance(step, str):
            ys.run_pass(step, design)
        else:
            ACTIONS[step["action"]](design, **step.get("args", {}))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("ERROR: usage: python -m tapeout.synth.worker script.json", file=sys.stderr)  # noqa: T201 - its protocol
        return 2
    with open(argv[1], encoding="utf-8") as fh:
        steps = json.load(fh)
    try:
        run_steps(steps)
    except checks.CheckFailure as failure:
        sys.stdout.flush()
        print(f"ERROR: {failure}", file=sys.stderr)  # noqa: T201 - its protocol
        return 1
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
