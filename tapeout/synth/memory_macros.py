"""Replace inferred memories (Yosys ``$mem_v2`` cells) by SRAM macro instances.

Runs inside the synthesis worker after ``memory -nomap``. The rule:

* a memory becomes macros when it holds at least ``min_bits`` bits (words x width) and
  its shape fits a 1-read + 1-write SRAM: one write port, synchronous read ports on the
  write clock's rising edge, no read reset, no non-zero initial contents (an all-zero
  ``init``, Amaranth's default, is dropped: SRAM powers up undefined), no read-through
  (transparency), no wide ports, and write enables the macro's write mask can express;
* write enables: the macros write ``write_granularity``-bit groups (``WMASK``, one bit per
  group, 8 by default as OpenRAM's byte masks). A memory whose ``WR_EN`` bits are one
  signal per aligned group (byte enables; a whole-word enable is the special case of
  one signal for every group) uses that macro; a memory with a whole-word enable and a
  width that is no multiple of the granularity uses a word-granular macro (one mask bit);
  finer or misaligned enables (e.g. 4-bit nibbles) stay in flops;
* a memory with several read ports becomes one macro per read port, all written
  together (replication, as register files are built from 1R1W SRAMs);
* every other memory is left to ``memory_map`` and becomes flip-flops; the reason is
  recorded in the memory report.

Wiring of the write port: ``WMASK[i]`` is the enable of group ``i`` and ``WE`` the OR of
the distinct group enables (a ``$reduce_or`` cell, no cell when all groups share one
enable). The macro writes group ``i`` when ``WE & WMASK[i]``, which is then exactly the
memory's enable of group ``i``. ``WE`` is not tied high, although that would also be
correct: the macro's Liberty charges write energy and write-port timing checks on ``WE``,
so a constant ``WE`` would make every idle cycle a write cycle for power analysis.

The macro comes from a factory ``factory(words, bits, write_granularity)``
(``tapeout.tech.sram.sram_macro`` by default) returning an object with ``.name`` and
``.liberty_text()`` and the pins of `MACRO_PINS`; its Liberty is written to
``macro_dir`` and read as a blackbox.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from tapeout.synth.names import bare_name
from tapeout.tech.sram import DEFAULT_WRITE_GRANULARITY
from tapeout.yosys_text import quoted

#: Pin names of the generated SRAM macros: one clock, write port W*, read port R*.
MACRO_PINS = {"clock": "CLK", "write_enable": "WE", "write_mask": "WMASK", "write_address": "WADDR",
              "write_data": "WDATA", "read_enable": "RE", "read_address": "RADDR", "read_data": "RDATA"}


@dataclass(frozen=True)
class MemoryMapping:
    """What became of one inferred memory.

    module, memory : names in the RTL; words, bits : its geometry; read_ports : count;
    mapped_to : macro cell name or ``"flops"``; instances : macros placed (0 for flops);
    reason : why it stayed in flops (empty for macros); write_granularity : bits per
    ``WMASK`` bit of the macro (0 for flops).
    """

    module: str
    memory: str
    words: int
    bits: int
    read_ports: int
    mapped_to: str
    instances: int
    reason: str = ""
    write_granularity: int = 0


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
            models[memory.mapped_to] = load_factory(factory)(memory.words, memory.bits,
                                                             memory.write_granularity)
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
        return ""

    def write_granularity(self, granularity: int) -> tuple[int, str]:
        """``(macro write granularity, "")`` for macros with `granularity`-bit masks, or ``(0, reason)``.

        Whole-word enables take `granularity` when it divides the width, else the width
        (a word-granular macro, one mask bit); partial enables need one signal per
        aligned `granularity`-bit group.
        """
        enable = self.port("WR_EN")
        if enable.extract(0, 1).repeat(self.bits) == enable:
            return (granularity if self.bits % granularity == 0 else self.bits), ""
        if self.bits % granularity == 0 and all(
                enable.extract(start, 1).repeat(granularity) == enable.extract(start, granularity)
                for start in range(0, self.bits, granularity)):
            return granularity, ""
        runs, run = [], 1
        for index in range(1, self.bits):
            if enable.extract(index, 1) == enable.extract(index - 1, 1):
                run += 1
            else:
                runs.append(run)
                run = 1
        runs.append(run)
        return 0, (f"partial write enables in {min(runs)}-bit groups, not aligned to the "
                   f"{granularity}-bit macro write mask")


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
        ys.run_pass(f"read_liberty -lib {quoted(lib_path)}", design)


def _write_controls(module, memory: _Memory, granularity: int):
    """``(WE, WMASK)`` signals: the enable of each `granularity`-bit group, and their OR."""
    from pyosys import libyosys as ys

    enable = memory.port("WR_EN")
    mask, distinct = ys.SigSpec(), []
    for start in range(0, memory.bits, granularity):
        bit = enable.extract(start, 1)
        mask.append(bit)
        if bit not in distinct:
            distinct.append(bit)
    if len(distinct) == 1:
        return distinct[0], mask
    write_enable = ys.SigSpec(module.addWire(ys.IdString(f"$memory_macros${memory.name}$we"), 1))
    module.addReduceOr(ys.IdString(f"$memory_macros${memory.name}$we_or"), mask, write_enable, False,
                       memory.cell.get_src_attribute())
    return write_enable, mask


def _instantiate(module, memory: _Memory, macro, write_controls, index: int, suffix: str) -> None:
    from pyosys import libyosys as ys

    abits = max(1, (memory.words - 1).bit_length())
    cell = module.addCell(ys.IdString(f"\\{memory.name}_sram{suffix}"), ys.IdString("\\" + macro.name))
    write_enable, write_mask = write_controls
    connections = {
        "clock": memory.port("WR_CLK"),
        "write_enable": write_enable,
        "write_mask": write_mask,
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
                 min_bits: int = 1024, enabled: bool = True,
                 write_granularity: int = DEFAULT_WRITE_GRANULARITY) -> None:
    """Replace every eligible ``$mem_v2`` cell by macros; write the JSON memory report.

    Parameters
    ----------
    macro_dir : str
        Folder for the generated macro Liberty files.
    report_path : str
        JSON list of `MemoryMapping` rows, one per memory.
    factory : str
        ``"module:function"`` building the macro for ``(words, bits, write_granularity)``.
    min_bits : int
        Smallest memory (words x width, bits) turned into macros; smaller ones are flops.
    enabled : bool
        False sends every memory to flops (FPGA-like or macro-less runs).
    write_granularity : int
        Bits per ``WMASK`` bit of the macros (see the module docstring).
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
            granularity = 0
            if not reason:
                granularity, reason = memory.write_granularity(write_granularity)
            row = dict(module=bare_name(module.name.str()), memory=memory.name, words=memory.words,
                       bits=memory.bits, read_ports=memory.read_ports)
            if reason:
                rows.append(MemoryMapping(**row, mapped_to="flops", instances=0, reason=reason))
                continue
            macro = load_factory(factory)(memory.words, memory.bits, granularity)
            _ensure_macro_cell(design, macro, Path(macro_dir))
            controls = _write_controls(module, memory, granularity)
            for index in range(memory.read_ports):
                suffix = f"_r{index}" if memory.read_ports > 1 else ""
                _instantiate(module, memory, macro, controls, index, suffix)
            module.remove(cell)
            rows.append(MemoryMapping(**row, mapped_to=macro.name, instances=memory.read_ports,
                                      write_granularity=granularity))
    Path(report_path).write_text(json.dumps([asdict(r) for r in rows], indent=1) + "\n")
