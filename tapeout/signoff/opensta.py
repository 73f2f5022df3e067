"""Run OpenSTA (the `sta` binary, an optional extra) on a signoff folder and read its slack per endpoint,
to check the flow's timing against a reference STA (tests marked `opensta`, `benchmarks/sta_vs_opensta.py`)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tapeout.errors import TapeoutError

DUMP = "opensta_endpoints.txt"


class OpenStaError(TapeoutError):
    """OpenSTA is missing or did not finish."""


def opensta_binary() -> str | None:
    """Path of the `sta` binary, None when it is not installed."""
    return shutil.which("sta")


def sta_pin_name(label: str) -> str:
    """An ``inst/PIN`` label or a port name as OpenSTA names the pin (divider, brackets and
    backslashes of the instance name escaped)."""
    inst, _, pin = label.rpartition("/")
    if not inst:
        return label
    return "".join("\\" + c if c in "/[]\\" else c for c in inst) + "/" + pin


@dataclass
class OpenStaResult:
    """Worst setup/hold slack (ns) and per-pin worst setup and hold slack (inf when unconstrained); the
    largest slew at each pin (ns); OpenSTA's output text."""

    setup_ws_ns: float
    hold_ws_ns: float
    setup_ns: dict
    hold_ns: dict
    slew_ns: dict
    log: str


def run_opensta(folder: Path, script: str = "opensta.tcl", timeout_s: float = 1800,
                corner: str | None = None) -> OpenStaResult:
    """Source `folder/script` in OpenSTA (with Tcl variable `corner` set when given), then dump every
    load pin's and port's slacks and slews."""
    binary = opensta_binary()
    if binary is None:
        raise OpenStaError("OpenSTA is not installed (`sta` not on PATH; apt-get install opensta)")
    folder = Path(folder).resolve()
    dump = folder / DUMP
    fields = ("max_rise_slack max_fall_slack min_rise_slack min_fall_slack "
              "actual_rise_transition_max actual_fall_transition_max")
    tcl = "\n".join([
        *([f"set corner {corner}"] if corner else []),
        f"source {folder / script}",
        f"set fh [open {dump} w]",
        "proc dump_pin {fh pin} {",
        "  set values {}",
        f"  foreach p {{{fields}}} {{ lappend values [get_property $pin $p] }}",
        "  puts $fh \"[get_full_name $pin] $values\"",
        "}",
        "foreach pin [get_pins -hierarchical *] { if {[$pin is_load]} { dump_pin $fh $pin } }",
        "foreach pin [get_ports *] { dump_pin $fh $pin }",
        "close $fh",
        'puts "WORST [sta::worst_slack -max] [sta::worst_slack -min]"',
        "exit",
    ])
    driver = folder / "opensta_dump.tcl"
    driver.write_text(tcl + "\n")
    try:
        done = subprocess.run([binary, "-no_init", "-no_splash", "-exit", str(driver)], capture_output=True,
                              text=True, timeout=timeout_s, cwd=folder)
    except subprocess.TimeoutExpired:
        raise OpenStaError(f"OpenSTA did not finish {driver} in {timeout_s:g} s") from None
    finally:
        driver.unlink(missing_ok=True)
    log = done.stdout + done.stderr
    worst = [line.split() for line in log.splitlines() if line.startswith("WORST ")]
    if done.returncode != 0 or not worst or not dump.exists():
        last = log.strip().splitlines()[-1] if log.strip() else "no output"
        raise OpenStaError(f"OpenSTA failed on {folder / script}: {last}")
    setup, hold, slew = {}, {}, {}
    for line in dump.read_text().splitlines():
        parts = line.rsplit(" ", 6)
        values = [_number(v) for v in parts[1:]]
        setup[parts[0]] = min(values[0], values[1])
        hold[parts[0]] = min(values[2], values[3])
        slew[parts[0]] = max(values[4], values[5])
    dump.unlink()
    return OpenStaResult(float(worst[-1][1]), float(worst[-1][2]), setup, hold, slew, log)


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        return np.inf
    return value if abs(value) < 1e29 else np.inf


@dataclass
class Agreement:
    """Differences flow - OpenSTA per endpoint (ns) and the endpoints the other side lacks."""

    setup_diff_ns: np.ndarray
    hold_diff_ns: np.ndarray
    worst: list
    missing: list

    @property
    def max_abs_ns(self) -> float:
        both = np.abs(np.concatenate([self.setup_diff_ns, self.hold_diff_ns]))
        return float(both.max()) if len(both) else 0.0


def compare_endpoints(report, reference: OpenStaResult) -> Agreement:
    """Compare a :class:`tapeout.signoff.sta.TimingReport` with OpenSTA's endpoint slacks."""
    setup, hold, worst, missing = [], [], [], []
    for name, ours_setup, ours_hold in zip(report.endpoints, report.setup_slack_ns, report.hold_slack_ns):
        key = sta_pin_name(name)
        if key not in reference.setup_ns:
            missing.append(name)
            continue
        for ours, theirs, kind, into in ((ours_setup, reference.setup_ns[key], "setup", setup),
                                         (ours_hold, reference.hold_ns[key], "hold", hold)):
            if np.isfinite(ours) and np.isfinite(theirs):
                into.append(ours - theirs)
                worst.append((abs(ours - theirs), name, kind, float(ours), float(theirs)))
    worst.sort(reverse=True)
    return Agreement(np.array(setup), np.array(hold), worst[:10], missing)


def flow_timing(design_dir: Path, top: str, n_paths: int = 1, technology=None, corner: str | None = None):
    """The flow's own timing of a finished build (`build/<design>`) at `corner` of `technology`
    (default: tap130's typical corner), from the placed netlist of the cts stage and the SDC and SPEF
    the signoff stage wrote."""
    from tapeout.netlist.from_synth import load_synthesized
    from tapeout.netlist.names import net_written_names
    from tapeout.signoff.constraints import read_sdc
    from tapeout.signoff.graph import TimingGraph
    from tapeout.signoff.spef_reader import read_spef
    from tapeout.signoff.sta import run_sta

    design_dir = Path(design_dir)
    library = technology.library(corner) if technology is not None else None
    netlist = load_synthesized(design_dir / "cts", top, library)
    graph = TimingGraph.from_netlist(netlist)
    parasitics = read_spef(design_dir / "signoff" / f"{top}.spef", graph, net_written_names(netlist))
    return run_sta(graph, read_sdc(design_dir / "signoff" / f"{top}.sdc"), parasitics, n_paths=n_paths), graph
