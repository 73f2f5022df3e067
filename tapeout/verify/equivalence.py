"""Logic equivalence checking (LEC) of a gate-level netlist against a reference, with Yosys's equiv passes.

The reference ("gold") and the netlist under check ("gate") are each read into one flat module;
``equiv_make`` pairs their signals by name: ports, and every register, since synthesis keeps the RTL
register names on the flop outputs. The paired signals are key points, as in Conformal or Formality:
every reader of a paired signal, on either side, reads one shared value. Two provers follow:

1. ABC (:mod:`tapeout.verify.lec.miter`): a combinational miter with the paired registers as cut
   points (a register pair's obligation: the same D input on the same clock), SAT-swept by ABC's
   ``&fraig``, which proves the PEs' multipliers in seconds through their internal equalities. On
   the default tile it proves every point (10,429 against the RTL) in under a minute, where one
   ``equiv_simple`` SAT problem per bit took 470 s, most of it the 16 multipliers.
2. ``equiv_simple`` (:data:`CONE_STEPS`) for the points ABC left: each on its own, its combinational
   cone on both sides, a register's pair through its D input one clock back.
3. ``equiv_induct`` (:data:`INDUCT_STEPS`) for the points both left: temporal induction over both
   whole designs, every point assumed to hold in the :data:`INDUCT_STEPS` clocks before the one it is
   proven in (a point that fails is dropped from the assumptions and the rest tried again). Cut points
   (1 and 2) make each register pair's shared value any value, also one the design never reaches;
   with two clocks of history the state is one that one clock of the design produces.

The proof of every point assumes the others, which is sound once all are proven (by induction over
time and over the acyclic cones); a point none proves is reported unproven, never counted. The base
of the induction is the reset: both sides agree in the first :data:`INDUCT_STEPS` clocks after it
(for points proven by 1 or 2 alone, the first clock), as ``equiv_induct`` defines equivalence.

Two things make every paired signal a cut point on the netlist side, where ``equiv_make`` would
otherwise pass over readers of an alias (it rewires the readers of a wire's own bits, not of the
net it is merged into): the cell models are mapped with ``techmap`` (whose internal names are
private) rather than flattened (``\\<instance>.<pin>`` wires would alias every net), and ``insbuf``
turns the remaining aliases (a buffer cell's model is ``assign Y = A``, so a fanout buffer would make
its output and the register's name one net) into buffer cells.

Values are two-valued, an RTL ``x`` is 0 (``setundef -zero`` on the gold side, whose stash keeps its
``x``): with ``-undef``, X-pessimism of the gates failed points where the RTL is defined (a mux whose
select is X). When points are left and the gold holds an ``x``, every point is proven again with the
RTL's ``x`` as don't-cares (:mod:`tapeout.verify.lec.dont_care`).

Every register needs a name on both sides: a flip-flop no point pairs is a free value of its own on
each side (counted, :attr:`EquivalenceResult.free_flop_bits`). The registers Yosys makes itself, the
read-address copies ``memory_dff`` merges into a memory's read port, are named in synthesis and in
the gold steps alike (:mod:`tapeout.synth.register_names`): unnamed, picorv32's ten copies left 69
points (``pcpi_rs1``, ``pcpi_rs2``, ``reg_sh``, ``mem_la_wdata``, the register file's read data) to
``equiv_induct``, and on SKY130 32 of them even to ``-seq 6``; named, ABC proves every point.

SRAM macros are black boxes on both sides: ``expose -evert`` turns every macro instance into ports
named ``<instance>.<pin>`` (its inputs become outputs that must be equal, its outputs inputs that
are shared), so the macros' ports are matched by instance name and pin.

Gold from RTL (:func:`rtl_steps`): the RTLIL through the same word-level steps synthesis takes
before technology mapping (``proc``, the coarse optimisations, memories to the same SRAM macros,
Yosys's generic gate mapping); what is checked is everything after that point: ABC's mapping to
the library, flop mapping, fanout buffers, hold buffers, driver sizing and the clock tree. Gate from
a netlist (:func:`netlist_steps`): the structural Verilog with the library's cell models.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from tapeout.errors import TapeoutError
from tapeout.yosys_text import quoted

CONE_STEPS = 1
"""Clocks ``equiv_simple -seq`` follows a key point's cone back: 1 reaches a register's D input."""

INDUCT_STEPS = 2
"""Clocks of history ``equiv_induct -seq`` assumes every point held before the one it proves: 2 proves
a point whose sides differ only in a state no clock produces, which 1 (the cut-point check) leaves."""

_COUNTS = re.compile(r"Of those cells (\d+) are proven and (\d+) are unproven")
_FOUND = re.compile(r"Found (\d+) \$equiv cells")
_UNPROVEN = re.compile(r"Unproven \$equiv \S+: \\?(\S+?)_gold(?: \[(\d+)\])?")


class EquivalenceError(TapeoutError):
    """A netlist or reference that Yosys cannot read, or ports that do not match."""


@dataclass(frozen=True)
class EquivalenceResult:
    """Outcome of one check: equivalence points (paired signal bits), proven, unproven (names)."""

    gold: str
    gate: str
    points: int
    proven: int
    unproven: list[str] = field(default_factory=list)
    seconds: float = 0.0
    abc_proven: int = 0
    """Of the points the strict check proved, those ABC's SAT sweeping proved (:mod:`tapeout.verify.lec.miter`);
    the rest were proven by ``equiv_simple``."""
    strict_proven: int | None = None
    """Points the strict (two-valued, RTL ``x`` as 0) check proved; None: the same as ``proven``."""
    dont_care_proven: int = 0
    """Points proven only modulo the RTL's don't-cares (:mod:`tapeout.verify.lec.dont_care`); when the
    don't-care check ran, ``proven`` counts its proofs alone."""
    induct_proven: int = 0
    """Of the points the strict check proved, those only ``equiv_induct`` (:data:`INDUCT_STEPS`) proved."""
    free_flop_bits: int = 0
    """Flip-flop bits of either side that no register point pairs: free in ABC's miter (see its module doc)."""

    @property
    def unproven_count(self) -> int:
        return self.points - self.proven


def rtl_steps(rtl: Path, top: str, macro_dir: Path, macros: bool, macro_min_bits: int,
              macro_factory: str) -> list:
    """Yosys steps that build the flat gold design from the RTL (RTLIL ``.il``, else Verilog; see the
    module doc); ``macro_dir`` (an existing folder) receives the SRAM macros' Liberty files."""
    read = f"read_rtlil {quoted(rtl)}" if Path(rtl).suffix == ".il" else f"read_verilog -sv {quoted(rtl)}"
    return [
        read,
        f"synth -top {top} -run begin:coarse",
        "proc", "chformal -remove", "delete t:$print t:$check",
        f"synth -top {top} -noabc -run coarse:fine",
        {"action": "map_memories",
         "args": {"macro_dir": str(macro_dir), "report_path": str(macro_dir / "memories.json"),
                  "factory": macro_factory, "min_bits": macro_min_bits, "enabled": macros}},
        f"synth -top {top} -noabc -run fine:check",
        {"action": "name_registers", "args": {}},     # as synthesis names them (tapeout/synth/register_names.py)
        "flatten -noscopeinfo", "opt_clean",
    ]


def netlist_steps(netlist: Path, top: str, models: list[Path], blackboxes: Path, split: bool = False) -> list:
    """Yosys steps that read a structural netlist with the cell models (``blackboxes``: macro stubs);
    ``split``: every net bit a wire of its own, named ``name[i]`` (as the physical stages write them)."""
    return [
        *[f"read_verilog -lib {quoted(m)}" for m in models],
        f"read_verilog -lib {quoted(blackboxes)}",
        f"read_verilog {quoted(netlist)}",
        f"hierarchy -top {top}",
        *[f"techmap -autoproc -map {quoted(m)}" for m in models],
        "proc", "flatten -noscopeinfo", "insbuf", *(["splitnets -ports"] if split else []),
    ]


def _as(name: str, steps: list, macro_types: list[str]) -> list:
    """``steps``, then the top renamed to ``name``, its macros everted, the design stashed as ``name``."""
    evert = [f"expose -evert {' '.join(f'{name}/t:{t}' for t in macro_types)}"] if macro_types else []
    return [*steps, f"rename -top {name}", *evert, f"design -stash {name}"]


def check_equivalence(gold_steps: list, gate_steps: list, macro_types: list[str], work_dir: Path,
                      gold: str = "rtl", gate: str = "netlist", fallback: bool = True,
                      dont_care: bool = True) -> EquivalenceResult:
    """Prove ``gate`` equivalent to ``gold``; write ``script.json``, ``yosys.log``, ``equiv_status.txt``.

    ``gold_steps``/``gate_steps`` leave their design's top module flat; ``macro_types`` are the
    black-box cells cut out on both sides. The points are proven by ABC first (:mod:`tapeout.verify.lec.miter`),
    those left by ``equiv_simple``, then ``equiv_induct`` (neither if not ``fallback``); if points are left
    and ``dont_care``, every
    point again with the gold side's ``x`` as don't-cares (:mod:`tapeout.verify.lec.dont_care`). Runs in a
    child process (Yosys ends the process on an error).
    """
    from tapeout.synth.errors import SynthError
    from tapeout.synth.yosys_process import run_yosys_steps

    work_dir = Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    status, cut_status = work_dir / "equiv_status.txt", work_dir / "equiv_status_cut.txt"
    steps = [
        *_as("gold", gold_steps, macro_types), *_as("gate", gate_steps, macro_types),
        "design -copy-from gold -as gold gold", "design -copy-from gate -as gate gate", "setundef -zero gold",
        "equiv_make gold gate equiv", "hierarchy -top equiv", "async2sync",
        {"action": "prove_with_abc", "args": {"module": "equiv", "work_dir": str(work_dir / "abc")}},
        *([f"equiv_simple -seq {CONE_STEPS}", f"tee -q -o {quoted(cut_status)} equiv_status",
           f"equiv_induct -seq {INDUCT_STEPS}"] if fallback else []),
        f"tee -q -o {quoted(status)} equiv_status",
        *([{"action": "prove_dont_cares",
            "args": {"module": "equiv", "gold": "gold", "gate": "gate", "work_dir": str(work_dir / "dont_care")}}]
          if dont_care else []),
    ]
    start = time.monotonic()
    try:
        run_yosys_steps(steps, work_dir / "script.json", work_dir / "yosys.log")
    except SynthError as error:
        raise EquivalenceError(f"equivalence of {gate} against {gold}: {error}") from None
    result = parse_status(status.read_text(), gold, gate, time.monotonic() - start)
    abc = json.loads((work_dir / "abc" / "abc.json").read_text())
    result = replace(result, abc_proven=abc["proven"], free_flop_bits=abc.get("free_flop_bits", 0))
    if fallback:
        result = replace(result, induct_proven=result.proven - parse_status(cut_status.read_text(), gold, gate).proven)
    relaxed = work_dir / "dont_care" / "dont_care.json"
    summary = json.loads(relaxed.read_text()) if dont_care else {"ran": False}
    if not summary["ran"]:
        return result
    return replace(result, strict_proven=result.proven, proven=summary["proven"], unproven=summary["unproven"],
                   dont_care_proven=summary["dont_care_proven"])


def parse_status(text: str, gold: str, gate: str, seconds: float = 0.0) -> EquivalenceResult:
    """The counts and unproven signals of an ``equiv_status`` report."""
    found = _FOUND.search(text)
    counts = _COUNTS.search(text)
    points = int(found.group(1)) if found else 0
    if counts:
        proven = int(counts.group(1))
    elif "Equivalence successfully proven" in text or points == 0:
        proven = points
    else:
        raise EquivalenceError(f"equivalence of {gate} against {gold}: equiv_status printed no counts")
    unproven = [m.group(1) + (f"[{m.group(2)}]" if m.group(2) else "") for m in _UNPROVEN.finditer(text)]
    return EquivalenceResult(gold, gate, points, proven, unproven, round(seconds, 2))
