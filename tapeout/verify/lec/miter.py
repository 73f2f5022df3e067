"""A combinational miter of an ``equiv_make`` module with registers as cut points, proven by ABC.

``equiv_make`` leaves one module in which each paired signal bit is an ``$equiv`` cell: ``A`` the
gold side's value, ``B`` the gate side's, ``Y`` the shared value every reader on both sides reads.
:func:`prove_with_abc` builds from a copy of it the classic register-correspondence miter of
commercial LEC tools, as an AIG:

* a register point (both ``A`` and ``B`` driven by a flip-flop, through buffers at most): both
  flops' outputs are one free input (the shared state); its obligation is that the two flops load
  the same value (their D inputs) on the same clock (their clock pins, same edge);
* any other point: ``Y`` is the gold side's ``A`` (no cut, so a cone may look through the points
  it reads, as ``equiv_simple`` does); its obligation is ``A == B``;
* a flip-flop of no register point (or a latch) has a free output: a pessimistic cut (their bits
  are counted, ``free_flop_bits`` in ``abc.json``: a register one side names and the other does not,
  such as the memory read-address copies Yosys makes before :mod:`tapeout.synth.register_names`
  named them, is free and unrelated on the two sides, and the points it feeds fail).

Each obligation is one miter output (an XOR); ABC proves it constant 0 or not
(:mod:`tapeout.verify.lec.abc`). Every point is proven assuming the others hold, which is sound
once all are proven: by induction over the clock cycles (the registers) and over the acyclic gold
logic (the ``Y = A`` substitution). Flip-flop initial values are not compared (as in ``equiv_simple``):
the design's reset brings both sides to the same state. The points ABC proved are marked proven
in the module (``B`` set to ``A``, as ``equiv_simple`` marks its own), so a later ``equiv_simple``
tries only the rest and ``equiv_status`` counts them all.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from tapeout.verify.lec.abc import AbcError, proven_outputs
from tapeout.yosys_text import quoted

MITER = "lec_miter"
"""Name of the scratch module the miter is built in (deleted after)."""

FLOPS = ("$dff", "$_DFF_P_", "$_DFF_N_")
"""Flip-flop types left by ``dffunmap`` whose D input and clock a register point compares."""

AIG_CELLS = ("$_AND_", "$_NOT_", "$anyseq")
"""Cell types ``write_aiger`` takes after ``aigmap``; any other leaves the proof to ``equiv_simple``."""


def _bits(sig) -> list:
    return list(sig.to_sigbit_vector())


def _key(bit) -> tuple:
    return (bit.wire.name.str(), bit.offset) if bit.wire is not None else None


class _Aliases:
    """Union-find of signal bits joined by the module's ``connect`` statements (a ``SigMap``)."""

    def __init__(self, module):
        self.parent = {}
        for lhs, rhs in module.connections_:
            for a, b in zip(_bits(lhs), _bits(rhs)):
                ka, kb = _key(a), _key(b)
                if ka is not None and kb is not None:
                    ra, rb = self.find(ka), self.find(kb)
                    if ra != rb:
                        self.parent[rb] = ra

    def find(self, key):
        root = key
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while key != root:
            self.parent[key], key = root, self.parent[key]
        return root


def _port(cell, name: str):
    from pyosys import libyosys as ys

    return cell.getPort(ys.IdString("\\" + name))


def _flop_side(cell, index: int) -> tuple:
    """(D bit, clock bit, rising edge) of bit ``index`` of a flip-flop of :data:`FLOPS`."""
    from pyosys import libyosys as ys

    if cell.type.str() == "$dff":
        return (_bits(_port(cell, "D"))[index], _bits(_port(cell, "CLK"))[0],
                cell.getParam(ys.IdString("\\CLK_POLARITY")).as_bool())
    return _bits(_port(cell, "D"))[0], _bits(_port(cell, "C"))[0], cell.type.str() == "$_DFF_P_"


def _obligations(module):
    """The ``$equiv`` cells, and per point its name and the bit pairs to prove equal; the register
    points (name) and the flop output bits that are their shared state ((flop, bit) -> ``Y``)."""
    aliases = _Aliases(module)
    flop_q, buffers, equivs = {}, {}, []
    for cell in module.cells_.values():
        kind = cell.type.str()
        if kind == "$equiv":
            equivs.append(cell)
        elif kind in FLOPS:
            for index, bit in enumerate(_bits(_port(cell, "Q"))):
                flop_q[aliases.find(_key(bit))] = (cell, index)
        elif kind in ("$_BUF_", "$pos") and _port(cell, "Y").size() == 1 and _bits(_port(cell, "A"))[0].wire:
            buffers[aliases.find(_key(_bits(_port(cell, "Y"))[0]))] = aliases.find(_key(_bits(_port(cell, "A"))[0]))

    def flop_of(bit):
        key = _key(bit)
        if key is None:
            return None
        key, hops = aliases.find(key), 0
        while key in buffers and hops < 1000:
            key, hops = buffers[key], hops + 1
        return flop_q.get(key)

    points, shared_q, registers = [], {}, set()
    for cell in equivs:
        if _port(cell, "A").size() != 1 or _port(cell, "B").size() != 1:
            continue                              # equiv_make writes one bit per cell; others: not here
        a, b, name = _bits(_port(cell, "A"))[0], _bits(_port(cell, "B"))[0], cell.name.str()
        gold, gate = flop_of(a), flop_of(b)
        if gold and gate:
            (d_a, c_a, edge_a), (d_b, c_b, edge_b) = _flop_side(*gold), _flop_side(*gate)
            if edge_a != edge_b:
                continue                          # other clock edges: not proven here
            registers.add(name)
            for cell_, index in (gold, gate):
                shared_q[(cell_.name.str(), index)] = _port(cell, "Y")
            points.append((name, [(d_a, d_b), (c_a, c_b)]))
        else:
            points.append((name, [(a, b)]))
    return equivs, points, registers, shared_q


def build_miter(design, source: str, aig: Path, map_path: Path, phases: dict | None = None,
                dont_care: bool = False, counts: dict | None = None) -> list[str]:
    """Write the miter of module ``source`` (see the module doc) as AIGER ``aig`` (``write_aiger -map``
    names in ``map_path``); returns the ``$equiv`` cell name of each point, output ``lec_point<n>`` being
    the n-th, or [] when the miter holds cells ``write_aiger`` does not take. ``phases`` receives the
    seconds of each step (Yosys command or ``build``, the Python part). ``dont_care``: the gold side's
    ``x`` are don't-cares (:mod:`tapeout.verify.lec.dont_care`: a point's obligation holds where the gold
    side is ``x``; the gate side must be defined). ``counts["free_flop_bits"]`` receives the number of
    flip-flop (and latch) bits of no register point, each a free input of its own."""
    from pyosys import libyosys as ys

    ident, phases = ys.IdString, phases if phases is not None else {}

    def run(command):
        start = time.monotonic()
        ys.run_pass(command, design)
        phases[command.split()[0]] = round(phases.get(command.split()[0], 0) + time.monotonic() - start, 2)

    run(f"copy {source} {MITER}")
    run(f"dffunmap {MITER}")
    started = time.monotonic()
    module = design.module(ident("\\" + MITER))
    equivs, points, registers, shared_q = _obligations(module)
    cuts = 0

    def free_input(width):
        nonlocal cuts
        wire = module.addWire(ident(f"\\lec_cut{cuts}"), width)
        wire.port_input, cuts = True, cuts + 1
        return ys.SigSpec(wire)

    for cell in equivs:
        y, a, register = _port(cell, "Y"), _port(cell, "A"), cell.name.str() in registers
        module.remove(cell)
        if register:
            module.connect(y, free_input(y.size()))
        elif dont_care:                           # the gold value where defined, else any value
            x = ys.SigSpec(ys.Const(ys.State.Sx, a.size()))
            undefined = module.Eqx(ident(f"$lec$isx{cuts}"), a, x)
            module.connect(y, module.Mux(ident(f"$lec$dc{cuts}"), a, free_input(y.size()), undefined))
        else:
            module.connect(y, a)
    free_bits = 0
    for cell in [c for c in module.cells_.values() if c.is_builtin_ff()]:
        q, name = _port(cell, "Q"), cell.name.str()
        module.remove(cell)
        free = free_input(q.size())
        for index, bit in enumerate(_bits(q)):
            shared = shared_q.get((name, index))
            free_bits += shared is None
            module.connect(ys.SigSpec(bit, 1), shared if shared is not None else free.extract(index, 1))
    if counts is not None:
        counts["free_flop_bits"] = free_bits
    for wire in module.wires_.values():
        wire.port_output = False
    if dont_care:
        from tapeout.verify.lec.dont_care import dont_care_outputs

        phases["build"] = round(time.monotonic() - started, 2)
        run(f"cd {MITER}")
        names = dont_care_outputs(design, module, points, run)
    else:
        names = [name for name, _ in points]
        for n, (_, pairs) in enumerate(points):
            _point_output(module, n, [module.Xor(ident(f"$lec$xor{n}_{j}"), ys.SigSpec(a, 1), ys.SigSpec(b, 1))
                                      for j, (a, b) in enumerate(pairs)])
        module.fixup_ports()
        phases["build"] = round(time.monotonic() - started, 2)
        for command in [f"cd {MITER}", "setundef -undriven -anyseq"]:
            run(command)
    for command in ["opt_clean", "techmap", "aigmap", *(["setundef -zero"] if dont_care else [])]:
        run(command)                      # (the x techmap makes of xprop's conversions: see dont_care)
    others = sorted({c.type.str() for c in module.cells_.values()} - set(AIG_CELLS))
    if not others:
        run(f"write_aiger -map {map_path} {quoted(aig)}")
    run("cd")
    run(f"delete {MITER}")
    return [] if others else names


def _point_output(module, n: int, diffs: list) -> None:
    """Output ``lec_point<n>``: the OR of the point's difference bits ``diffs`` (1 = the sides differ)."""
    from pyosys import libyosys as ys

    out = diffs[0]
    for j, diff in enumerate(diffs[1:]):
        out = module.Or(ys.IdString(f"$lec$or{n}_{j}"), out, diff)
    wire = module.addWire(ys.IdString(f"\\lec_point{n}"), 1)
    wire.port_output = True
    module.connect(ys.SigSpec(wire), out)


def output_points(map_path: Path, names: list[str]) -> list[str]:
    """The point (``$equiv`` cell name) of each AIGER output, from the ``write_aiger -map`` file."""
    points = {}
    for line in Path(map_path).read_text().splitlines():
        fields = line.split()
        if fields[:1] == ["output"] and fields[3].startswith("lec_point"):
            points[int(fields[1])] = names[int(fields[3][len("lec_point"):])]
    return [points[i] for i in range(len(points))]


def sweep(design, module: str, work: Path, phases: dict, dont_care: bool = False,
          counts: dict | None = None) -> tuple[list, list, str]:
    """Build module ``module``'s miter and SAT-sweep it with ABC: (``$equiv`` cell name of each point,
    whether ABC proved it, the reason when ABC was not used or failed, else ""). The AIGER files go to a
    temporary folder: ``write_aiger -map`` takes its path unquoted. ``counts``: see :func:`build_miter`."""
    import tempfile

    reason = "the miter holds cells ABC does not take"
    with tempfile.TemporaryDirectory(prefix="tapeout-lec-") as scratch:
        aig, map_path = Path(scratch) / "miter.aig", Path(scratch) / "miter.map"
        names = build_miter(design, module, aig, map_path, phases, dont_care, counts) if " " not in scratch else []
        abc_start = time.monotonic()
        proven = []
        try:
            proven = proven_outputs(aig, work) if names else []
        except AbcError as error:
            reason = str(error)
        phases["abc"] = round(phases.get("abc", 0) + time.monotonic() - abc_start, 2)
        if names and len(proven) == len(names):
            return output_points(map_path, names), proven, ""
    return [], [], reason


def prove_with_abc(design, module: str, work_dir: str) -> None:
    """Worker action: prove module ``module``'s points with ABC, mark those proven; ``abc.json`` in
    ``work_dir`` gets the counts and seconds (``points`` 0 when ABC was not used, with the reason) and
    ``free_flop_bits``, the flip-flop bits of no register point (free, unrelated on the two sides)."""
    from pyosys import libyosys as ys

    start, work, phases, counts = time.monotonic(), Path(work_dir), {}, {}
    work.mkdir(parents=True, exist_ok=True)
    points, proven, reason = sweep(design, module, work, phases, counts=counts)
    summary = {"points": len(points), "proven": sum(proven)} if points else {"points": 0, "proven": 0, "reason": reason}
    summary["free_flop_bits"] = counts.get("free_flop_bits", 0)
    target = design.module(ys.IdString("\\" + module))
    for point in [point for point, ok in zip(points, proven) if ok]:
        cell = target.cell(ys.IdString(point))
        cell.setPort(ys.IdString("\\B"), cell.getPort(ys.IdString("\\A")))
    summary["seconds"], summary["phases"] = round(time.monotonic() - start, 2), phases
    (work / "abc.json").write_text(json.dumps(summary) + "\n")
    ys.log(f"ABC proved {summary['proven']} of {summary['points']} equivalence points.\n")
