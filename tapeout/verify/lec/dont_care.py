"""Don't-care-aware equivalence: where the RTL's value is ``x``, the netlist may take any value.

RTL such as picorv32 assigns ``'bx`` (``reg_op1 <= 'bx``, ``reg_sh <= 'bx``, a ``full_case`` case)
where a value does not matter, and synthesis chooses whatever is cheapest. The strict check
(:mod:`tapeout.verify.lec.miter`) reads the gold side's ``x`` as 0 and reports such points unproven.
Conformal and Formality treat the gold side's ``x`` as a don't-care by default; so does this check,
which runs only when the strict one (ABC, then ``equiv_simple``) left points unproven:

* the gold side keeps its ``x`` constants (the ones the RTL's own ``'bx`` and ``full_case`` leave
  after the word-level steps; undriven wires are free two-valued inputs, never ``x``);
* Yosys's ``xprop`` gives every signal a second rail, "this bit is ``x``", propagated cell by cell
  (ternary logic: an AND with a defined 0 input is a defined 0); where ``xprop`` meets a plain
  two-valued signal, that signal is defined (its ``===`` conversions are read two-valued);
* a point's obligation is ``gold_is_x OR gold == gate`` (for a register: of its D input and clock),
  and the gate side's value must be defined;
* registers stay cut points with free two-valued outputs (the shared state; never ``x``: an
  uninitialised register cannot make a point a don't-care); a reader of any other point, on either
  side, reads the gold side's value (which may be ``x``), as in the strict check, and the gate
  side's logic is ``xprop``-encoded as well.

Soundness: gold and gate logic are monotone in ternary logic (a less defined input gives a less
defined output). Suppose every point's real gate value refines its real gold value (is equal to it,
or the gold value is ``x``). A gold cone then reads its real inputs, or, at a register, a two-valued
value that refines the real one; a gate cone in the miter reads the gold values, which its real inputs
refine. So where the miter's gold value is defined, the real gold value is the same, and the miter's
gate value, proven defined and equal there, is also the real gate value. By induction over clock
cycles and over the acyclic cones, once every point holds in this one miter, the netlist refines the
RTL: at every key point, in every cycle, it takes the RTL's value wherever that value is not ``x``.
Per-cell ternary propagation can call ``x`` a value that depends on an ``x`` only through
reconvergence (``x & ~x``), which would let such a point differ; this is the usual commercial reading
of RTL ``x``. The strict two-valued proof of a point is conditional on all points holding strictly, so
once any point needs the relaxed reading, every point of the check is proven in the relaxed miter,
and a point counts as proven only there; ``dont_care_proven`` counts the points the strict check did
not prove. The check runs only when the strict one left points and the gold side holds an ``x``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

GOLD, GATE, EQUIV = "lec_dc_gold", "lec_dc_gate", "lec_dc_equiv"
"""Scratch modules: the stashed gold (with its ``x``) and gate designs, their ``equiv_make`` module."""


def dont_care_outputs(design, module, points: list, run) -> list[str]:
    """Miter outputs ``lec_point<n>`` of module ``module`` (the current module in ``design``): point
    n's pairs (gold bit, gate bit) differ where the gold bit is defined, or the gate bit is ``x``;
    ``run`` runs a Yosys command. Returns the point names in output order."""
    from pyosys import libyosys as ys

    from tapeout.verify.lec.miter import _point_output

    ident = ys.IdString
    for n, (_, pairs) in enumerate(points):
        for j, (a, b) in enumerate(pairs):
            for side, bit in (("gold", a), ("gate", b)):
                wire = module.addWire(ident(f"\\lec_{side}{n}_{j}"), 1)
                wire.port_output = True
                module.connect(ys.SigSpec(wire), ys.SigSpec(bit, 1))
    for cell in [c for c in module.cells_.values() if c.type.str() == "$_BUF_"]:   # insbuf's: xprop has no rule
        a, y = cell.getPort(ident("\\A")), cell.getPort(ident("\\Y"))
        module.remove(cell)
        module.connect(y, a)
    module.fixup_ports()
    run("setundef -undriven -expose")  # undriven wires free inputs, never x (-anyseq would make every x free too)
    run("xprop -split-outputs")
    _two_valued_case_equality(module)

    def rails(side, n, j):
        pair = [module.wire(ident(f"\\lec_{side}{n}_{j}_{rail}")) for rail in "dx"]
        for wire in pair:
            wire.port_output = False
        return [ys.SigSpec(wire) for wire in pair]

    for n, (_, pairs) in enumerate(points):
        diffs = []
        for j in range(len(pairs)):
            (gold_d, gold_x), (gate_d, gate_x) = rails("gold", n, j), rails("gate", n, j)
            differ = module.Xor(ident(f"$lec$xor{n}_{j}"), gold_d, gate_d)
            relevant = module.And(ident(f"$lec$and{n}_{j}"), differ, module.Not(ident(f"$lec$not{n}_{j}"), gold_x))
            diffs.append(module.Or(ident(f"$lec$undef{n}_{j}"), relevant, gate_x))
        _point_output(module, n, diffs)
    module.fixup_ports()
    return [name for name, _ in points]


def _two_valued_case_equality(module) -> None:
    """Replace each ``$bweqx`` (``A === B``, which ``xprop`` puts where an encoded signal meets a plain one)
    by its two-valued meaning: a plain signal bit is never ``x``, so ``a === 1'bx`` is 0, ``a === 1`` is
    ``a``, ``a === 0`` is ``~a``. (``setundef -zero`` would turn ``a === 1'bx`` into ``a === 0``.)"""
    from pyosys import libyosys as ys

    ident, zero, one = ys.IdString, ys.State.S0, ys.State.S1
    for cell in [c for c in module.cells_.values() if c.type.str() == "$bweqx"]:
        bits = [list(cell.getPort(ident(f"\\{pin}")).to_sigbit_vector()) for pin in "ABY"]
        name = cell.name.str()
        module.remove(cell)
        for i, (a, b, y) in enumerate(zip(*bits)):
            if a.wire is not None and b.wire is not None:
                value = module.Xnor(ident(f"{name}$xnor{i}"), ys.SigSpec(a, 1), ys.SigSpec(b, 1))
            elif a.wire is None and b.wire is None:
                value = ys.SigSpec(ys.Const(int(a.data == b.data), 1))
            else:
                wire_bit, const = (a, b.data) if b.wire is None else (b, a.data)
                value = (ys.SigSpec(wire_bit, 1) if const == one else
                         module.Not(ident(f"{name}$not{i}"), ys.SigSpec(wire_bit, 1)) if const == zero else
                         ys.SigSpec(ys.Const(0, 1)))
            module.connect(ys.SigSpec(y, 1), value)


def _bit_key(cell) -> str:
    """A point's name shared by two ``equiv_make`` modules of the same designs: its ``Y`` bit."""
    from pyosys import libyosys as ys

    bit = cell.getPort(ys.IdString("\\Y")).to_sigbit_vector()[0]
    return f"{bit.wire.name.str()}[{bit.offset}]" if bit.wire is not None else cell.name.str()


def prove_dont_cares(design, module: str, gold: str, gate: str, work_dir: str) -> None:
    """Worker action: when module ``module`` (after the strict provers) has unproven points, prove every
    point again in the don't-care miter of the stashed designs ``gold`` (its ``x`` kept) and ``gate``;
    ``dont_care.json`` in ``work_dir``: ``ran``, and if so the points, the proven ones, those proven
    only modulo don't-cares, the unproven names (the gold signal bits), seconds."""
    from pyosys import libyosys as ys

    start, work, phases = time.monotonic(), Path(work_dir), {}
    work.mkdir(parents=True, exist_ok=True)
    ident = ys.IdString
    strict = {}
    for cell in design.module(ident("\\" + module)).cells_.values():
        if cell.type.str() == "$equiv":
            strict[_bit_key(cell)] = cell.getPort(ident("\\A")) == cell.getPort(ident("\\B"))
    summary = {"ran": False, "reason": "every point proven strictly"}
    if not all(strict.values()):
        ys.run_pass(f"design -copy-from {gold} -as {GOLD} {gold}", design)
        summary["reason"] = "the gold side has no x"
        if _has_x(design.module(ident("\\" + GOLD))):
            summary = _relaxed(design, gate, strict, work, phases)
        ys.run_pass(f"delete {GOLD} {GATE} {EQUIV}", design)
    summary["seconds"], summary["phases"] = round(time.monotonic() - start, 2), phases
    (work / "dont_care.json").write_text(json.dumps(summary) + "\n")
    if summary["ran"]:
        ys.log(f"Modulo don't-cares, {summary['proven']} of {summary['points']} equivalence points proven "
               f"({summary['dont_care_proven']} not proven strictly).\n")


def _has_x(module) -> bool:
    """Whether a cell port or connection of ``module`` holds an ``x`` constant bit."""
    from pyosys import libyosys as ys

    sigs = [sig for cell in module.cells_.values() for sig in cell.connections_.values()]
    sigs += [side for pair in module.connections_ for side in pair]
    return any(bit.wire is None and bit.data == ys.State.Sx for sig in sigs for bit in sig.to_sigbit_vector())


def _relaxed(design, gate: str, strict: dict, work: Path, phases: dict) -> dict:
    """Every point in the don't-care miter of :data:`GOLD` (loaded) and ``gate`` (a stash); the summary
    (``ran`` False with the reason when ABC could not be used)."""
    from pyosys import libyosys as ys

    from tapeout.verify.lec.miter import sweep

    for command in [f"design -copy-from {gate} -as {GATE} {gate}", f"equiv_make {GOLD} {GATE} {EQUIV}",
                    f"async2sync {EQUIV}"]:
        ys.run_pass(command, design)
    relaxed = design.module(ys.IdString("\\" + EQUIV))
    names, proven, reason = sweep(design, EQUIV, work, phases, dont_care=True)
    if not names:
        return {"ran": False, "reason": reason}
    keys = {}
    for name, ok in zip(names, proven):
        cell = relaxed.cell(ys.IdString(name))
        keys[_bit_key(cell)] = (ok, _gold_name(cell))
    return {"ran": True, "points": len(strict), "proven": sum(1 for key in strict if keys.get(key, (False,))[0]),
            "dont_care_proven": sum(1 for key, ok in strict.items() if not ok and keys.get(key, (False,))[0]),
            "unproven": [keys[key][1] if key in keys else key for key in strict if not keys.get(key, (False,))[0]]}


def _gold_name(cell) -> str:
    """The gold signal bit of a ``$equiv`` cell as ``equiv_status`` names it (``name[i]``, ``_gold`` dropped)."""
    from pyosys import libyosys as ys

    bit = cell.getPort(ys.IdString("\\A")).to_sigbit_vector()[0]
    if bit.wire is None:
        return _bit_key(cell)
    name = bit.wire.name.str().lstrip("\\").removesuffix("_gold")
    return f"{name}[{bit.offset}]" if bit.wire.width > 1 else name
