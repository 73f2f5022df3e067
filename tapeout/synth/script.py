"""The synthesis script: the ordered Yosys commands and worker actions, as data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tapeout.tech.sram import DEFAULT_WRITE_GRANULARITY
from tapeout.yosys_text import quoted

FANOUT_BUFFER = "BUF_4"
"""Library cell of the fanout buffer trees."""
DEFAULT_MAX_FANOUT = 16
"""Sinks per net above which synthesis inserts a buffer tree (clock nets excepted)."""

# Yosys' default ABC script for -liberty (mapping with &nf), followed by fanout buffering and gate
# sizing against the delay target, as OpenROAD-flow-scripts' abc.script does; commas stand for spaces.
ABC_SCRIPT = ("+strash;&get,-n;&fraig,-x;&put;scorr;dc2;dretime;strash;&get,-n;&dch,-f;&nf,{D};&put;"
              f"buffer,-c,-N,{DEFAULT_MAX_FANOUT};topo;stime,-c;upsize,-c,{{D}};dnsize,-c,{{D}}")

RTLIL_SUFFIXES = (".il", ".rtlil")
"""Sources with these suffixes are read as RTLIL (e.g. from ``amaranth.back.rtlil``), others as Verilog."""


@dataclass(frozen=True)
class SynthOutputs:
    """Files synthesis writes inside ``out_dir`` (all paths absolute)."""

    out_dir: Path
    top: str

    def _path(self, name: str) -> Path:
        return self.out_dir / name

    @property
    def netlist_verilog(self) -> Path:
        return self._path(f"{self.top}.v")

    @property
    def netlist_json(self) -> Path:
        return self._path(f"{self.top}.json")

    @property
    def area_report(self) -> Path:
        return self._path("area.rpt")

    @property
    def area_json(self) -> Path:
        return self._path("area.json")

    @property
    def fanout_report(self) -> Path:
        return self._path("fanout_buffers.json")

    @property
    def final_area_json(self) -> Path:
        return self._path("area_final.json")

    @property
    def final_area_report(self) -> Path:
        return self._path("area_final.rpt")

    @property
    def memory_report(self) -> Path:
        return self._path("memories.json")

    @property
    def macro_dir(self) -> Path:
        return self._path("macros")

    @property
    def rtl_check_report(self) -> Path:
        return self._path("check_rtl.rpt")

    @property
    def gate_check_report(self) -> Path:
        return self._path("check_gates.rpt")

    @property
    def script(self) -> Path:
        return self._path("synth_script.json")

    @property
    def log(self) -> Path:
        return self._path("yosys.log")


def _action(name: str, **args) -> dict:
    return {"action": name, "args": args}


def _tie_steps(ties: dict[str, tuple[str, str]]) -> list[str]:
    if "1" not in ties or "0" not in ties:
        return []
    (hi_cell, hi_pin), (lo_cell, lo_pin) = ties["1"], ties["0"]
    return [f"hilomap -hicell {hi_cell} {hi_pin} -locell {lo_cell} {lo_pin}"]


def synth_steps(verilog_files: list[Path], top: str, liberty: Path, clock_period_ps: int,
                outputs: SynthOutputs, macros: bool, macro_min_bits: int, macro_factory: str,
                ties: dict[str, tuple[str, str]] | None = None,
                macro_write_granularity: int = DEFAULT_WRITE_GRANULARITY,
                max_fanout: int = DEFAULT_MAX_FANOUT, macro_input_stages: int = 2,
                dont_use: tuple[str, ...] = (), fanout_buffer: str = FANOUT_BUFFER,
                buffer_ports: tuple[str, str] = ("A", "Y"), delay_buffer: str = "",
                delay_buffer_ports: tuple[str, str] = ("A", "Y")) -> list:
    """The steps `tapeout.synth.worker` runs, in order.

    Hierarchy is kept through mapping so that ``stat`` reports area per module; the
    netlist is flattened only at the end (cell names keep the instance path as prefix).
    Simulation-only cells (assertions, ``$print``) are dropped after ``proc``, as
    synthesis tools ignore them. The RTL check ignores logic loops (word-level cells give false loops); the
    gate-level check, before technology mapping, catches real ones. With `ties`
    (``{"1": (cell, pin), "0": (cell, pin)}``, see `liberty_scan.tie_cells`) every constant
    bit is driven by its own tie cell; without, constants stay constant nets.
    `macro_write_granularity` is the bits per ``WMASK`` bit of the SRAM macros. `dont_use` names
    (glob patterns) the cells flip-flop mapping and ABC must not use; `fanout_buffer` is the cell of
    the fanout buffer trees (`buffer_ports`: its input and output pin); `delay_buffer` the cell in
    front of SRAM data inputs (default: the fanout module's `MACRO_INPUT_BUFFER`).
    """
    lib = quoted(liberty)
    avoid = "".join(f" -dont_use {cell}" for cell in dont_use)
    rtlil = [str(f) for f in verilog_files if Path(f).suffix in RTLIL_SUFFIXES]
    verilog = [str(f) for f in verilog_files if Path(f).suffix not in RTLIL_SUFFIXES]
    return [
        f"read_liberty -lib {lib}",
        *([f"read_verilog -sv {' '.join(quoted(v) for v in verilog)}"] if verilog else []),
        *[f"read_rtlil {quoted(f)}" for f in rtlil],
        _action("check_top", top=top),
        f"synth -top {top} -run begin:coarse",
        "proc",
        "chformal -remove",
        "delete t:$print t:$check",
        _action("check_latches"),
        _action("check_design", report_path=str(outputs.rtl_check_report), ignore_loops=True),
        f"synth -top {top} -noabc -run coarse:fine",
        _action("map_memories", macro_dir=str(outputs.macro_dir), report_path=str(outputs.memory_report),
                factory=macro_factory, min_bits=macro_min_bits, enabled=macros,
                write_granularity=macro_write_granularity),
        f"synth -top {top} -noabc -run fine:check",
        _action("name_registers"),         # registers Yosys made (memory read ports) named for lec
        _action("check_design", report_path=str(outputs.gate_check_report)),
        f"dfflibmap{avoid} -liberty {lib}",
        f"abc -liberty {lib}{avoid} -D {clock_period_ps} -script {ABC_SCRIPT}",
        "setundef -zero",
        *_tie_steps(ties or {}),
        "opt_clean",
        _action("check_mapped"),
        _action("stat", top=top, liberty=[str(liberty)], macro_dir=str(outputs.macro_dir),
                json_path=str(outputs.area_json), text_path=str(outputs.area_report)),
        "flatten -noscopeinfo",
        "opt_clean",
        _action("buffer_fanout", top=top, max_fanout=max_fanout, buffer_cell=fanout_buffer,
                work_path=str(outputs.out_dir / "prebuffer.json"), report_path=str(outputs.fanout_report),
                macro_input_stages=macro_input_stages, buffer_ports=list(buffer_ports),
                macro_buffer_cell=delay_buffer, macro_buffer_ports=list(delay_buffer_ports)),
        _action("stat", top=top, liberty=[str(liberty)], macro_dir=str(outputs.macro_dir),
                json_path=str(outputs.final_area_json), text_path=str(outputs.final_area_report)),
        f"write_verilog -noattr -noexpr -nohex -nodec {quoted(outputs.netlist_verilog)}",
        f"write_json {quoted(outputs.netlist_json)}",
    ]
