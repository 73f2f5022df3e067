"""Logic synthesis of Verilog to the project's cell library with Yosys (pyosys)."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path

from tapeout.synth.area_report import read_area_report
from tapeout.synth.errors import SynthError
from tapeout.synth.fanout_buffers import MACRO_INPUT_STAGES
from tapeout.synth.liberty_scan import buffer_pins, sequential_cells, tie_cells
from tapeout.synth.memory_macros import macro_models, read_mappings
from tapeout.synth.result import SynthResult
from tapeout.synth.script import FANOUT_BUFFER, SynthOutputs, synth_steps
from tapeout.synth.yosys_process import run_yosys_steps
from tapeout.tech.sram import DEFAULT_WRITE_GRANULARITY

DEFAULT_MACRO_FACTORY = "tapeout.tech.sram:sram_macro"
DEFAULT_MACRO_MIN_BITS = 1024


def _check_arguments(verilog_files, top, clock_period_ns, macro_min_bits, macro_write_granularity) -> list[Path]:
    if isinstance(verilog_files, (str, Path)):
        verilog_files = [verilog_files]
    files = [Path(f) for f in verilog_files]
    if not files:
        raise ValueError("verilog_files must name at least one file, not []")
    if not isinstance(top, str) or not top:
        raise ValueError(f"top must be a non-empty module name, not {top!r}")
    if isinstance(clock_period_ns, bool) or not isinstance(clock_period_ns, (int, float)) \
            or not clock_period_ns > 0:
        raise ValueError(f"clock_period_ns must be a positive number, not {clock_period_ns!r}")
    if isinstance(macro_min_bits, bool) or not isinstance(macro_min_bits, int) or macro_min_bits < 0:
        raise ValueError(f"macro_min_bits must be a non-negative integer, not {macro_min_bits!r}")
    if isinstance(macro_write_granularity, bool) or not isinstance(macro_write_granularity, int) \
            or macro_write_granularity < 1:
        raise ValueError(f"macro_write_granularity must be a positive integer, not {macro_write_granularity!r}")
    return files


def synthesize(verilog_files: Sequence[str | Path] | str | Path, top: str, liberty_path: str | Path,
               clock_period_ns: float, out_dir: str | Path, macros: bool = True,
               macro_min_bits: int = DEFAULT_MACRO_MIN_BITS,
               macro_factory: str = DEFAULT_MACRO_FACTORY,
               macro_write_granularity: int = DEFAULT_WRITE_GRANULARITY,
               macro_input_stages: int = MACRO_INPUT_STAGES, dont_use: tuple[str, ...] = (),
               fanout_buffer: str = FANOUT_BUFFER, delay_buffer: str = "") -> SynthResult:
    """Synthesize `top` from `verilog_files` to the cells of `liberty_path`.

    Parameters
    ----------
    verilog_files : path or sequence of paths
        Verilog / SystemVerilog sources (read with ``read_verilog -sv``).
    top : str
        Top module name.
    liberty_path : path
        Standard-cell Liberty library (combinational cells and flip-flops).
    clock_period_ns : float
        Target clock period (ns), given to ABC as its delay target.
    out_dir : path
        Existing or new folder for every output (see `SynthOutputs`).
    macros : bool
        Map large memories to SRAM macros (else every memory becomes flip-flops).
    macro_min_bits : int
        Smallest memory (words x width) mapped to a macro; smaller ones become flops.
    macro_input_stages : int
        Buffers in series in front of every SRAM macro data input (hold margin); 0 for none.
    macro_factory : str
        ``"module:function"`` building a macro for ``(words, bits, write_granularity)``.
    macro_write_granularity : int
        Bits per write-mask bit of the macros (8: byte masks); memories whose write
        enables are finer or misaligned become flip-flops.
    dont_use : tuple of str
        Cells (glob patterns) synthesis must not use, on top of the library's own ``dont_use``.
    fanout_buffer : str
        Library cell of the fanout buffer trees.
    delay_buffer : str
        Library cell in front of SRAM macro data inputs (default: tap130's ``BUF_1``).

    Returns
    -------
    SynthResult

    Raises
    ------
    SynthError
        One line naming the problem: Verilog error, missing top, latch, loop,
        undriven or multiply-driven net, cell the library cannot implement.
    """
    files = _check_arguments(verilog_files, top, clock_period_ns, macro_min_bits, macro_write_granularity)
    liberty = Path(liberty_path).resolve()
    for path in [*files, liberty]:
        if not path.is_file():
            raise SynthError(f"{path}: no such file")
    liberty_text = liberty.read_text(encoding="utf-8", errors="replace")
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    outputs = SynthOutputs(out, top)
    steps = synth_steps(files, top, liberty, round(clock_period_ns * 1000),
                        outputs, macros, macro_min_bits, macro_factory, tie_cells(liberty_text),
                        macro_write_granularity, macro_input_stages=macro_input_stages, dont_use=dont_use,
                        fanout_buffer=fanout_buffer, buffer_ports=_pins(liberty_text, fanout_buffer),
                        delay_buffer=delay_buffer,
                        delay_buffer_ports=_pins(liberty_text, delay_buffer) if delay_buffer else ("A", "Y"))
    start = time.perf_counter()
    run_yosys_steps(steps, outputs.script, outputs.log)
    runtime = time.perf_counter() - start
    area = read_area_report(outputs.area_json, top)
    final_area = read_area_report(outputs.final_area_json, top)
    fanout = json.loads(outputs.fanout_report.read_text())
    flop_types = sequential_cells(liberty_text)
    memories = read_mappings(outputs.memory_report)
    models = macro_models(memories, macro_factory)
    macro_liberty = {name: outputs.macro_dir / f"{name}.lib" for name in models}
    return SynthResult(top=top, netlist_verilog=outputs.netlist_verilog, netlist_json=outputs.netlist_json,
                       area_report=outputs.area_report, log=outputs.log, macro_liberty=macro_liberty,
                       macro_models=models, area=area, memories=memories,
                       flops=sum(n for kind, n in area.cells_by_type.items() if kind in flop_types),
                       runtime_s=runtime, final_area=final_area, fanout_buffers=fanout["buffers"])


def _pins(liberty_text: str, cell: str) -> tuple[str, str]:
    """The buffer's (input, output) pins; ("A", "Y") when the library lacks it (then only a design
    that needs buffering fails, naming the cell)."""
    try:
        return buffer_pins(liberty_text, cell)
    except ValueError:
        return ("A", "Y")
