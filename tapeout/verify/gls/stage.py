"""The `gls` flow stage: the synthesised and the final netlists simulated with the library's cell models
and behavioural SRAM models under the same cocotb tests as the RTL."""

from __future__ import annotations

import json
from importlib.metadata import version

from tapeout.flow.stage import Artifact, Gate, Stage, StageContext
from tapeout.verify.netlists import FINAL_NETLIST, SYNTH_MEMORIES, SYNTH_NETLIST
from tapeout.verify.own_tests import own_test_file

GLS_JUNIT = Artifact("gls", "junit.xml", "junit-xml", "every gate-level test with its outcome, per netlist")
GLS_JSON = Artifact("gls", "gls.json", "json", "tests and failures per netlist")


class GlsStage(Stage):
    name = "gls"
    title = "gate-level simulation"
    summary = ("the synthesised and the final netlists simulated (zero delay) with the library's cell models "
               "(a PDK's written from its Liberty file) "
               "and behavioural SRAM models under the same cocotb tests as the RTL: the tile's GEMM testbench "
               "with the configured parameters and small GEMMs (`[verify] gls_max_k`), or the design's own "
               "`[verify] tests`")
    reads = ("verify", "design.top", "tensor_core", "tile_buffer", "crossbar", "technology.library",
             "technology.pdk_root")
    inputs = (SYNTH_NETLIST, SYNTH_MEMORIES, FINAL_NETLIST)
    outputs = (GLS_JUNIT, GLS_JSON)
    gates = (Gate("verify__gls_failures__count", lambda v: v == 0, "no failing gate-level test"),)
    key_metrics = ("verify__gls_tests__count", "verify__gls_failures__count")

    def applies(self, config) -> bool:
        return config.uses_generators or bool(config.verify.tests)

    def in_default_run(self, config) -> bool:
        """Part of a plain run when the gate-level runs go to Icarus (`auto` with Icarus installed, or asked
        for), or when Verilator is asked for by name: Verilator compiles the default tile's 30,000-cell
        netlist in tens of minutes, so `auto` without Icarus leaves the stage to `tapeout run gls`."""
        from tapeout.verify.simulators import is_available

        return config.verify.simulator != "auto" or is_available("icarus")

    def tool_versions(self) -> dict[str, str]:
        return {"cocotb": version("cocotb"), "verilator": version("verilator")}

    def input_files(self, config):
        return tuple(own_test_file(config, name) for name in config.verify.tests)

    def run(self, ctx: StageContext) -> dict:
        from tapeout.errors import StageError
        from tapeout.tech.technology import technology_of
        from tapeout.verify.gate_level import simulate_netlist
        from tapeout.verify.gls.tile_tests import TILE_TESTBENCH, tile_run
        from tapeout.verify.lec.liberty_models import cell_models
        from tapeout.verify.macro_models import macro_models
        from tapeout.verify.own_tests import design_folder_on_path, own_test_files
        from tapeout.verify.regression import merge_junit
        from tapeout.verify.simulators import is_available

        config, top, settings = ctx.config, ctx.top, ctx.config.verify
        technology = technology_of(config)
        # a PDK's own models (SKY130's UDP primitives) stop Icarus 11: models written from its Liberty file
        models = cell_models(technology, config.technology.library, ctx.out_dir / "cell_models.v")
        macros = macro_models(ctx.path(SYNTH_MEMORIES), technology.macro_factory, ctx.out_dir / "sram_models.v")
        if config.uses_generators:   # small GEMMs: the RTL regression runs the full sizes
            modules, (params, testcase, effort) = [TILE_TESTBENCH], tile_run(config)
        else:
            own_test_files(config)
            modules, params, testcase, effort = list(settings.tests), {}, None, 1
        sim = settings.simulator if settings.simulator != "auto" else \
            "icarus" if is_available("icarus") else "verilator"
        cache = ctx.out_dir.parent / ".gls-cache"  # simulator builds, reused while a netlist is unchanged
        runs = {}
        with design_folder_on_path(config):
            for label, netlist in (("synth", SYNTH_NETLIST), ("final", FINAL_NETLIST)):
                sources = [*models, macros, ctx.path(netlist)]
                for module in modules:
                    name = f"{label}.{module.rsplit('.', 1)[-1]}"
                    ctx.progress(len(runs) / (2 * len(modules)), f"simulating the {label} netlist on {sim}: {module}")
                    runs[name] = simulate_netlist(sources, top, module, params, ctx.out_dir / name, cache,
                                                  sim, settings.seed, effort, label, testcase=testcase)
                    ctx.log(f"{name}: {runs[name]['tests']} tests, {runs[name]['failures']} failures")
        merge_junit(runs, ctx.path(GLS_JUNIT))
        ctx.path(GLS_JSON).write_text(json.dumps({n: {"tests": r["tests"], "failures": r["failures"]}
                                                  for n, r in runs.items()}, indent=1) + "\n")
        tests, failures = sum(r["tests"] for r in runs.values()), sum(r["failures"] for r in runs.values())
        if failures:
            raise StageError(f"{failures} of {tests} gate-level tests failed (seed {settings.seed}); "
                             f"results: {ctx.failed_dir / 'junit.xml'}")
        return {"verify__gls_tests__count": tests, "verify__gls_failures__count": failures}
