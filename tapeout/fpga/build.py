"""Build an Amaranth design into a bitstream for a supported board with the YoWASP toolchain.

The flow is Amaranth's own build plan (Yosys ``synth_ice40``/``synth_ecp5``, nextpnr,
icepack/ecppack), prepared in-process and run as a subprocess whose environment points every
tool at its YoWASP build. nextpnr is asked for a JSON report (utilisation, Fmax) and allowed
to finish when timing fails, so that a slow design still yields a bitstream and its Fmax.
"""

from __future__ import annotations

import copy
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from amaranth.build import Clock

from tapeout.errors import TapeoutError
from tapeout.fpga.boards import Board, get_board
from tapeout.fpga.report import count_flip_flops, first_error, overflowing_resources, read_report
from tapeout.fpga.toolchain import yowasp_environment

TOP_NAME = "top"
LOG_NAME = "build.log"
REPORT_NAME = "report.json"


class DesignDoesNotFitError(TapeoutError):
    """The design needs more of a resource (logic cells, block RAMs, DSPs) than the device has."""


class FpgaBuildError(TapeoutError):
    """A tool of the FPGA flow failed for another reason; the message is its first error line."""


@dataclass(frozen=True)
class FpgaResult:
    """What an FPGA build produced.

    board : board name; bitstream : path of the packed bitstream; build_dir : all tool files
    luts : logic cells (iCE40 ``ICESTORM_LC``, LUT4 + FF) or LUT4s (ECP5 ``TRELLIS_COMB``)
    ffs : flip-flops in the synthesised netlist; brams : block RAMs; dsps : multiplier blocks
    fmax_mhz : nextpnr's achieved Fmax of the slowest clock (MHz)
    target_mhz : the clock frequency nextpnr was asked to meet (MHz)
    runtime_s : wall time of synthesis, place & route and packing (s)
    """

    board: str
    bitstream: Path
    build_dir: Path
    luts: int
    ffs: int
    brams: int
    dsps: int
    fmax_mhz: float
    target_mhz: float
    runtime_s: float

    @property
    def bitstream_bytes(self) -> int:
        """Size of the bitstream file (bytes)."""
        return self.bitstream.stat().st_size

    @property
    def timing_met(self) -> bool:
        """True if the achieved Fmax reaches the target clock."""
        return self.fmax_mhz >= self.target_mhz

    @property
    def log(self) -> Path:
        """The combined log of every tool of the build."""
        return self.build_dir / LOG_NAME

    @property
    def metrics(self) -> dict[str, float | int]:
        """Flow metrics, OpenLane style (``<area>__<thing>__<unit>``)."""
        return {
            "fpga__luts__count": self.luts,
            "fpga__ffs__count": self.ffs,
            "fpga__brams__count": self.brams,
            "fpga__dsps__count": self.dsps,
            "fpga__fmax__mhz": round(self.fmax_mhz, 2),
            "fpga__target__mhz": round(self.target_mhz, 2),
            "fpga__bitstream__bytes": self.bitstream_bytes,
            "fpga__runtime__s": round(self.runtime_s, 3),
        }


def build_bitstream(top_elaboratable, board: str, out_dir, clock_mhz: float | None = None,
                    *, seed: int = 1) -> FpgaResult:
    """Synthesise, place, route and pack ``top_elaboratable`` for ``board``.

    Parameters
    ----------
    top_elaboratable : amaranth Elaboratable
        The board top: it requests the board's pins itself (``platform.request``). Its
        ``sync`` domain is driven from the board oscillator.
    board : str
        A name from `tapeout.fpga.boards.BOARDS` (``icebreaker``, ``ulx3s-85f``).
    out_dir : path
        Build directory (created); receives the tool files, ``build.log`` and the bitstream.
    clock_mhz : float, optional
        Clock frequency nextpnr must meet (MHz); default the board oscillator's (12 MHz on the
        iCEBreaker, 25 MHz on the ULX3S). Only the timing constraint changes: the board
        still runs from its oscillator, and ``platform.default_clk_frequency`` reports the
        constraint during elaboration.
    seed : int
        nextpnr placer seed; the same seed gives the same bitstream.

    Returns
    -------
    FpgaResult

    Raises
    ------
    UsageError
        Unknown board (the message lists the known ones).
    ToolMissingError
        A YoWASP tool is not installed.
    DesignDoesNotFitError
        nextpnr ran out of a resource (the message names it, with used/available).
    FpgaBuildError
        Any other tool failure (the message is the tool's first error line).
    """
    spec = get_board(board)
    if clock_mhz is not None and (isinstance(clock_mhz, bool)
                                  or not isinstance(clock_mhz, (int, float)) or clock_mhz <= 0):
        raise ValueError(f"clock_mhz must be a positive number, not {clock_mhz!r}")
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, not {seed!r}")
    env = yowasp_environment(spec.tools)
    out_dir = Path(out_dir)

    platform = spec.platform()
    if clock_mhz is not None:
        _constrain_default_clock(platform, clock_mhz * 1e6)
    plan = platform.prepare(top_elaboratable, name=TOP_NAME, debug_verilog=False,
                            nextpnr_opts=["--report", REPORT_NAME, "--timing-allow-fail",
                                          "--seed", str(seed)])
    build_dir = Path(plan.extract(out_dir))

    start = time.perf_counter()
    with open(build_dir / LOG_NAME, "w") as log:
        process = subprocess.run(["sh", f"{plan.script}.sh"], cwd=build_dir, env=env,
                                 stdout=log, stderr=subprocess.STDOUT)
    runtime_s = time.perf_counter() - start
    if process.returncode != 0:
        _raise_build_failure(spec, build_dir)
    return _collect_result(spec, build_dir, runtime_s)


def _constrain_default_clock(platform, frequency_hz: float) -> None:
    """Replace the platform's default-clock constraint by ``frequency_hz`` (this instance only)."""
    resource = platform.lookup(platform.default_clk)
    retimed = copy.copy(resource)
    retimed.clock = Clock(frequency_hz)
    platform.resources[resource.name, resource.number] = retimed


def _raise_build_failure(spec: Board, build_dir: Path):
    """Turn a failed build into one line: the overflowing resource, else the first tool error."""
    log_text = (build_dir / LOG_NAME).read_text(errors="replace")
    nextpnr_log = build_dir / f"{TOP_NAME}.tim"
    if nextpnr_log.exists():
        overflows = overflowing_resources(nextpnr_log.read_text(errors="replace"))
        if overflows:
            described = ", ".join(
                f"no {name} left" if usage is None
                else f"{name} {usage.used} used, {usage.available} available"
                for name, usage in overflows)
            raise DesignDoesNotFitError(f"design does not fit on {spec.name}: {described}")
    error = first_error(log_text)
    if error is None:
        tail = [line for line in log_text.splitlines() if line.strip()][-1:] or ["no output"]
        error = tail[0].strip()
    raise FpgaBuildError(f"FPGA build for {spec.name} failed: {error} (log: {build_dir / LOG_NAME})")


def _collect_result(spec: Board, build_dir: Path, runtime_s: float) -> FpgaResult:
    """Read the report, the netlist and the bitstream of a finished build."""
    report = read_report(build_dir / REPORT_NAME)
    used = {name: usage.used for name, usage in report.utilisation.items()}
    bitstream = build_dir / f"{TOP_NAME}{spec.bitstream_suffix}"
    if not bitstream.exists():
        raise FpgaBuildError(f"FPGA build for {spec.name} wrote no bitstream {bitstream}")
    return FpgaResult(
        board=spec.name, bitstream=bitstream, build_dir=build_dir,
        luts=used.get(spec.lut_resource, 0),
        ffs=count_flip_flops(build_dir / f"{TOP_NAME}.json", TOP_NAME, spec.ff_cell_prefix),
        brams=used.get(spec.bram_resource, 0), dsps=used.get(spec.dsp_resource, 0),
        fmax_mhz=report.fmax_mhz, target_mhz=report.constraint_mhz, runtime_s=runtime_s)
