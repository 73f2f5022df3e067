"""Replace inferred memories (Yosys ``$mem_v2`` cells) by SRAM macro instances.

Runs inside the synthesis worker after ``memory -nomap``. The rule:

* a memory becomes macros when it holds at least ``min_bits`` bits (words x width) and
  its shape fits a 1-read + 1-write SRAM: one write port, synchronous read ports on the
  write clock's rising edge, no read reset, no non-zero initial contents (an all-zero
  ``init``, Amaranth's default, is dropped: SRAM powers up undefined), no read-through
  (transparency), no wide ports, whole-word write enable (every enable bit the same);
* a memory with several read ports becomes one macro per read port, all written
  together (replication, as register files are built from 1R1W SRAMs);
* every other memory is left to ``memory_map`` and becomes flip-flops; the reason is
  recorded in the memory report.

The macro for a W-word, B-bit memory comes from a factory ``factory(words, bits)``
(``tapeout.tech.sram.sram_macro`` by default) returning an object with ``.name`` and
``.liberty_text()``; its Liberty is written to ``macro_dir`` and read as a blackbox.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from tapeout.synth.names import bare_name

#: Pin names of the generated SRAM macros: one clock, write port W*, read port R*.
MACRO_PINS = {"clock": "CLK", "write_enable": "WE", "write_address": "WADDR", "write_data": "WDATA",
              "read_enable": "RE", "read_address": "RADDR", "read_data": "RDATA"}


@dataclass(frozen=True)
class MemoryMapping:
    """What became of one inferred memory.

    module, memory : names in the RTL; words, bits : its geometry; read_ports : count;
    mapped_to : macro cell name or ``"flops"``; instances : macros placed (0 for flops);
    reason : why it stayed in flops (empty for macros).
    """

    module: str
    memory: str
    words: int
    bits: int
    read_ports: int
    mapped_to: str
    instances: int
    reason: str = ""


def load_factory(path: str):
    """The macro factory named ``"package.module:function"``."""
    module_name, _, attr = path.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def macro_liberty_files(macro_dir: str) -> list[str]:
    """Liberty files of the macros generated so far in `macro_dir`, sorted."""
    folder = Path(macro_dir)
    return sorted(str(p) for p in folder.glob("*.lib")) if folder.is_dir() else []


def read_mappings(path: Path) -> list[MemoryMapping]:
    """The memory report written by `map_memories`."""
    return [MemoryMapping(**row) for row in json.loads(Path(path).read_text())]


def macro_models(mappings: list[MemoryMapping], factory: str = "tapeout.tech.sram:sram_macro") -> dict:
    """The macro object of each macro cell used, by cell name (for `tapeout.netlist.read_yosys_json`)."""
    models = {}
    for memory in mappings:
        if memory.mapped_to != "flops" and memory.mapped_to not in models:
            models[memory.mapped_to] = load_factory(factory)(memory.words, memory.bits)
    return models


def _undefined_or_zero(value) -> bool:
    """True for an all-x or all-zero constant (Amaranth's default ``init``)."""
    return value.is_fully_undef() or value.is_fully_zero()


class _Memory:
    """Read access to the parameters and ports of one ``$mem_v2`` cell."""

    def __init__(self, cell):
        from pyosys import libyosys as ys

        self.ys = ys
        self.cell = cell
        self.name = bare_name(cell.getParam(ys.IdString("\\MEMID")).decode_string())
        self.words = self.param("SIZE")
        self.bits = self.param("WIDTH")
        self.read_ports = self.param("RD_PORTS")
        self.write_ports = self.param("WR_PORTS")

    def param(self, name: str) -> int:
        return self.cell.getParam(self.ys.IdString("\\" + name)).as_int()

    def const(self, name: str):
        return self.cell.getParam(self.ys.IdString("\\" + name))

    def port(self, name: str):
        return self.cell.getPort(self.ys.IdString("\\" + name))

    def read_slice(self, name: str, index: int, width: int):
        return self.port(name).extract(index * width, width)

    def unsupported(self) -> str:
        """Why this memory cannot be built from 1R1W macros, or ``""``."""
        if self.write_ports != 1:
            return f"{self.write_ports} write ports (macros have 1)"
        if self.read_ports < 1:
            return "no read port"
        if self.param("OFFSET") != 0:
            return "non-zero address offset"
        if not _undefined_or_zero(self.const("INIT")):
            return "non-zero initial contents"
        if self.const("WR_WIDE_CONTINUATION").as_int() or self.const("RD_WIDE_CONTINUATION").as_int():
            return "wide ports"
        if not (self.const("WR_CLK_ENABLE").as_int() and self.const("WR_CLK_POLARITY").as_int()):
            return "write port not on a rising clock edge"
        clock = self.port("WR_CLK")
        for index in range(self.read_ports):
            if not self.const("RD_CLK_ENABLE").extract(index, 1).as_int():
                return "asynchronous read port"
            if not self.const("RD_CLK_POLARITY").extract(index, 1).as_int():
                return "read port on a falling clock edge"
            if self.port("RD_CLK").extract(index, 1) != clock:
                return "read and write ports on different clocks"
            if self.const("RD_TRANSPARENCY_MASK").extract(index, 1).as_int():
                return "transparent (write-through) read port"
            if not (self.read_slice("RD_SRST", index, 1).is_fully_zero()
                    and self.read_slice("RD_ARST", index, 1).is_fully_zero()):
                return "read port with reset"
            if not _undefined_or_zero(self.const("RD_INIT_VALUE").extract(index * self.bits, self.bits)):
                return "read port with non-zero initial value"
        enable = self.port("WR_EN")
        if enable.extract(0, 1).repeat(self.bits) != enable:
            return "partial (bit or byte) write enables"
        return ""


def _address(memory: _Memory, port: str, index: int, macro_abits: int):
    """The low `macro_abits` address bits of read/write port `index`."""
    abits = memory.param("ABITS")
    return memory.read_slice(port, index, abits).extract(0, min(abits, macro_abits))


def _ensure_macro_cell(design, macro, macro_dir: Path) -> None:
    """Write the macro's Liberty once and load it as a blackbox cell."""
    from pyosys import libyosys as ys

    lib_path = macro_dir / f"{macro.name}.lib"
    if design.module(ys.IdString("\\" + macro.name)) is None:
        macro_dir.mkdir(parents=True, exist_ok=True)
        lib_path.write_text(macro.liberty_text(), encoding="utf-8")
        ys.run_pass(f"read_liberty -lib {lib_path}", design)


def _instantiate(module, memory: _Memory, macro, index: int, suffix: str) -> None:
    from pyosys import libyosys as ys

    abits = max(1, (memory.words - 1).bit_length())
    cell = module.addCell(ys.IdString(f"\\{memory.name}_sram{suffix}"), ys.IdString("\\" + macro.name))
    connections = {
        "clock": memory.port("WR_CLK"),
        "write_enable": memory.port("WR_EN").extract(0, 1),
        "write_address": _address(memory, "WR_ADDR", 0, abits),
        "write_data": memory.port("WR_DATA"),
        "read_enable": memory.read_slice("RD_EN", index, 1),
        "read_address": _address(memory, "RD_ADDR", index, abits),
        "read_data": memory.read_slice("RD_DATA", index, memory.bits),
    }
    for role, signal in connections.items():
        cell.setPort(ys.IdString("\\" + MACRO_PINS[role]), signal)
    cell.set_src_attribute(memory.cell.get_src_attribute())


def map_memories(design, macro_dir: str, report_path: str, factory: str = "tapeout.tech.sram:sram_macro",
                 min_bits: int = 1024, enabled: bool = True) -> None:
    """Replace every eligible ``$mem_v2`` cell by macros; write the JSON memory report.

    Parameters
    ----------
    macro_dir : str
        Folder for the generated macro Liberty files.
    report_path : str
        JSON list of `MemoryMapping` rows, one per memory.
    factory : str
        ``"module:function"`` building the macro for ``(words, bits)``.
    min_bits : int
        Smallest memory (words x width, bits) turned into macros; smaller ones are flops.
    enabled : bool
        False sends every memory to flops (FPGA-like or macro-less runs).
    """
    rows = []
    for module in list(design.modules_.values()):
        if module.get_blackbox_attribute():
            continue
        for cell in list(module.cells_.values()):
            if cell.type.str() != "$mem_v2":
                continue
            memory = _Memory(cell)
            size = memory.words * memory.bits
            if not enabled:
                reason = "macros disabled"
            elif size < min_bits:
                reason = f"{size} bits, below the {min_bits}-bit macro threshold"
            else:
                reason = memory.unsupported()
            row = dict(module=bare_name(module.name.str()), memory=memory.name, words=memory.words,
                       bits=memory.bits, read_ports=memory.read_ports)
            if reason:
                rows.append(MemoryMapping(**row, mapped_to="flops", instances=0, reason=reason))
                continue
            macro = load_factory(factory)(memory.words, memory.bits)
            _ensure_macro_cell(design, macro, Path(macro_dir))
            for index in range(memory.read_ports):
                suffix = f"_r{index}" if memory.read_ports > 1 else ""
                _instantiate(module, memory, macro, index, suffix)
            module.remove(cell)
            rows.append(MemoryMapping(**row, mapped_to=macro.name, instances=memory.read_ports))
    Path(report_path).write_text(json.dumps([asdict(r) for r in rows], indent=1) + "\n")
