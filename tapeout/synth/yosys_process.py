"""Run a list of Yosys steps in a child process and turn its failure into one line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tapeout.synth.errors import SynthError

_ERROR = re.compile(r"^(?:(?P<where>.*?): )?ERROR: (?P<message>.*)$")


def error_line(stderr: str) -> str | None:
    """The last Yosys/worker error in `stderr` as ``<file>:<line>: <message>``, or None.

    Yosys writes ``bad.v:3: ERROR: syntax error, ...`` or ``ERROR: Module `x' not found!``;
    the ``ERROR:`` tag is dropped and the location, when there is one, kept in front.
    """
    for line in reversed(stderr.splitlines()):
        match = _ERROR.match(line.strip())
        if match:
            where, message = match.group("where"), match.group("message").strip()
            return f"{where}: {message}" if where else message
    return None


def run_yosys_steps(steps: list, script_path: Path, log_path: Path, cwd: Path | None = None) -> None:
    """Write `steps` to `script_path` and run them with `tapeout.synth.worker`.

    Parameters
    ----------
    steps : list
        Yosys commands (str) and worker actions (``{"action": name, "args": {...}}``).
    script_path, log_path : Path
        Where the JSON script and the full Yosys log (stdout, then stderr) are written.
    cwd : Path, optional
        Working directory of the child.

    Raises
    ------
    SynthError
        One line: the Yosys error or failed check, else the exit status and the log path.
    """
    script_path = Path(script_path)
    log_path = Path(log_path)
    script_path.write_text(json.dumps(steps, indent=1) + "\n", encoding="utf-8")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.run([sys.executable, "-m", "tapeout.synth.worker", str(script_path.resolve())],
                              stdout=log, stderr=subprocess.PIPE, text=True, cwd=cwd, env=env)
    if proc.stderr:
        with log_path.open("a", encoding="utf-8") as log:
            log.write(proc.stderr)
    if proc.returncode != 0:
        line = error_line(proc.stderr)
        if line is None:
            last = proc.stderr.strip().splitlines()[-1:] or ["no message"]
            line = f"yosys worker failed with exit status {proc.returncode}: {last[0]} (log: {log_path})"
        raise SynthError(line)

