"""The `lec` flow stage: logic equivalence of the synthesised netlist with the RTL, and of the final
netlist of the physical flow with the synthesised one (Yosys equiv passes; SRAM macros black-boxed)."""

from __future__ import annotations

import json
from importlib.metadata import version

from tapeout.flow.stage import Artifact, Gate, Stage, StageContext
from tapeout.verify.netlists import FINAL_NETLIST, RTL, SYNTH_MEMORIES, SYNTH_NETLIST

LEC_RPT = Artifact("lec", "lec.rpt", "text", "each check: equivalence points, proven, unproven signals, runtime")
LEC_JSON = Artifact("lec", "lec.json", "json", "the same, machine-readable")


def report_text(results) -> str:
    """One block per check: what was compared, the counts, every unproven signal."""
    lines = []
    for r in results:
        verdict = "EQUIVALENT" if r.unproven_count == 0 else "NOT PROVEN"
        strict = r.proven if r.strict_proven is None else r.strict_proven
        by = (f"{r.abc_proven} by ABC, {strict - r.abc_proven - r.induct_proven} by equiv_simple, "
              f"{r.induct_proven} by equiv_induct")
        how = (by if r.strict_proven is None else
               f"all by ABC modulo the RTL's don't-cares, {r.dont_care_proven} of them only so; the strict "
               f"check proved {strict} ({by})")
        lines += [f"{r.gate} against {r.gold}: {verdict}",
                  f"  equivalence points {r.points}, proven {r.proven} ({how}), "
                  f"unproven {r.unproven_count}, {r.seconds:.1f} s"]
        if r.free_flop_bits:
            lines.append(f"  {r.free_flop_bits} flip-flop bits paired by no name (free in the cut-point check)")
        lines += [f"  unproven: {name}" for name in r.unproven]
    return "\n".join(lines) + "\n"


class LecStage(Stage):
    name = "lec"
    title = "logic equivalence"
    summary = ("logic equivalence: the synthesised netlist against the RTL, the final netlist of the "
               "physical flow against the synthesised one; key points paired by name with Yosys's `equiv_make` "
               "(registers as cut points, SRAM macros as black boxes with matched ports), proven by ABC's SAT "
               "sweeping on a register-correspondence miter, points it leaves by `equiv_simple`, then by "
               "`equiv_induct` (2-step induction); if points are left, all again with the RTL's `x` as "
               "don't-cares (`xprop`); a PDK's cell models from its Liberty file")
    reads = ("design.top", "synth", "technology.library", "technology.pdk_root")
    inputs = (RTL, SYNTH_NETLIST, SYNTH_MEMORIES, FINAL_NETLIST)
    outputs = (LEC_RPT, LEC_JSON)
    gates = (Gate("lec__unproven__count", lambda v: v == 0, "netlists equivalent to the RTL"),)
    key_metrics = ("lec__unproven__count", "lec__points__count", "lec__runtime__s")

    def tool_versions(self) -> dict[str, str]:
        return {"pyosys": version("pyosys")}

    def run(self, ctx: StageContext) -> dict:
        from tapeout.errors import StageError
        from tapeout.tech.technology import technology_of
        from tapeout.verify.equivalence import check_equivalence, netlist_steps, rtl_steps
        from tapeout.verify.lec.liberty_models import cell_models
        from tapeout.verify.macro_models import macro_models, macro_types

        config, top = ctx.config, ctx.top
        technology = technology_of(config)
        work = ctx.out_dir / "work"
        (work / "macros").mkdir(parents=True)
        macros = macro_types(ctx.path(SYNTH_MEMORIES))
        stubs = work / "macro_blackboxes.v"
        macro_models(ctx.path(SYNTH_MEMORIES), technology.macro_factory, stubs)
        models = cell_models(technology, config.technology.library, work / "cell_models.v")
        synth = netlist_steps(ctx.path(SYNTH_NETLIST), top, models, stubs)
        # the physical stages write each net bit under its own name (\\row[0]): the synthesised netlist's
        # vectors are split to pair with them (only there: a split word is proven bit by bit, slower)
        checks = [
            ("rtl", "synthesised netlist",
             rtl_steps(ctx.path(RTL), top, work / "macros", config.synth.macros, config.synth.macro_min_bits,
                       technology.macro_factory), synth),
            ("synthesised netlist", "final netlist", netlist_steps(ctx.path(SYNTH_NETLIST), top, models, stubs, True),
             netlist_steps(ctx.path(FINAL_NETLIST), top, models, stubs, True)),
        ]
        results = []
        for index, (gold, gate, gold_steps, gate_steps) in enumerate(checks):
            ctx.progress(index / len(checks), f"proving the {gate} equivalent to the {gold}")
            result = check_equivalence(gold_steps, gate_steps, macros, work / f"check{index + 1}", gold, gate)
            ctx.log(f"{gate} against {gold}: {result.points} points, {result.proven} proven "
                    f"({result.abc_proven} by ABC), {result.unproven_count} unproven, {result.seconds:.1f} s")
            results.append(result)
        ctx.path(LEC_RPT).write_text(report_text(results))
        ctx.path(LEC_JSON).write_text(json.dumps([{**r.__dict__, "unproven_count": r.unproven_count}
                                                  for r in results], indent=1) + "\n")
        unproven = sum(r.unproven_count for r in results)
        if unproven:
            first = next(r for r in results if r.unproven_count)
            name = f" ({first.unproven[0]}, ...)" if first.unproven else ""
            raise StageError(f"{unproven} equivalence point(s) not proven: the {first.gate} against the "
                             f"{first.gold}{name}; see {ctx.failed_dir / 'lec.rpt'}")
        return {"lec__unproven__count": unproven, "lec__proven__count": sum(r.proven for r in results),
                "lec__abc_proven__count": sum(r.abc_proven for r in results),
                "lec__induct_proven__count": sum(r.induct_proven for r in results),
                "lec__dont_care_proven__count": sum(r.dont_care_proven for r in results),
                "lec__free_flop_bits__count": sum(r.free_flop_bits for r in results),
                "lec__points__count": sum(r.points for r in results),
                "lec__runtime__s": round(sum(r.seconds for r in results), 2)}
