"""Gate-level simulation: a structural netlist with the library's cell models and behavioural SRAM
models (:mod:`tapeout.verify.macro_models`), under the same cocotb testbench as the RTL (zero delay;
Verilator or Icarus).

:func:`simulate_netlist` builds the netlist with the cell models and the macro models and runs a
cocotb test module on it; the `verify` stage runs a design's own RTL through it the same way.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .bench import tb_environment
from .regression import results_of
from .simulators import build

GATE_LEVEL_TIMEOUT_SCALE = 4.0
"""A gate-level test gets this many times the RTL test's cycle budget (same clocks, zero delay:
the scale only guards against a slower-settling start after reset)."""


def simulate_netlist(sources: list[Path], top: str, test_module: str, params: dict, out_dir: Path,
                     cache_dir: Path, sim: str = "verilator", seed: int = 1, effort: int = 6,
                     name: str = "gls", hdl_parameters: dict | None = None, testcase: list | None = None) -> dict:
    """Build ``sources`` (cell models, macro models, then the netlist; or a design's own RTL) and run
    ``test_module`` on ``top`` (with ``hdl_parameters`` set on it, ``{"WIDTH": 8}``; only the tests named
    in ``testcase``, when given).

    The build is cached in ``cache_dir`` under a digest of the sources and parameters, so an unchanged
    netlist is not compiled again. Returns ``{"tests", "failures", "results", "log"}`` as the RTL
    regression does.
    """
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    for source in sources:
        digest.update(Path(source).read_bytes())
    digest.update(json.dumps(hdl_parameters or {}, sort_keys=True).encode())
    build_dir = Path(cache_dir).resolve() / sim / f"{name}-{digest.hexdigest()[:12]}"
    runner = build(sim, [Path(s) for s in sources], top, build_dir, parameters=hdl_parameters)
    results = out_dir / "results.xml"
    results.unlink(missing_ok=True)
    env = tb_environment(top, params, seed, effort, None, GATE_LEVEL_TIMEOUT_SCALE)
    log = out_dir / "sim.log"
    try:
        runner.test(test_module=test_module, hdl_toplevel=top, build_dir=build_dir, test_dir=out_dir,
                    results_xml=str(results), extra_env=env, seed=seed, log_file=log, timescale=None,
                    testcase=testcase)
    except SystemExit:
        pass        # the runner exits on failures when called under pytest; results.xml says why
    tests, failures = results_of(results) if results.is_file() else (1, 1)
    return {"tests": tests, "failures": failures, "results": results if results.is_file() else None, "log": log}
