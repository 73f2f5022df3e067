"""The regression: every block's cocotb testbench through ``cocotb_tools.runner``, merged results.

- :func:`run_block`: export a block's Verilog (cached), build it once per simulator
  (cached build directory), run its testbench, return its test and failure counts.
- :func:`run_regression`: all blocks, then one JUnit XML file, the functional
  coverage report and (optionally) the formal properties; returns the ``verify__*``
  metrics of the flow stage.
- :func:`run_one`: one block or one test by name, with a seed and optional waves
  (``tapeout sim BLOCK|TEST [--sim verilator|icarus] [--seed N] [--waves]``).
"""

import hashlib
import importlib
import inspect
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from tapeout.errors import UsageError

from . import coverage
from .bench import tb_environment
from .blocks import BLOCKS, export_block, get_block
from .simulators import SimulatorError, build, check_simulator_name, read_ports

EFFORT = {"systolic_array": 10, "systolic_array_ws": 10, "tile_buffer": 400, "crossbar": 60,
          "tensor_tile": 6}
"""Random transactions per block in a regression: GEMMs, buffer clocks, packets per input,
tile GEMMs. Enough to close coverage with any seed tried (see tests/verify)."""


def block_tests(block):
    """Names of the cocotb tests in ``block``'s testbench module, sorted."""
    module = importlib.import_module(get_block(block).testbench)
    return [name for name, obj in inspect.getmembers(module)
            if type(obj).__name__ in ("Test", "TestGenerator")]


def find_test(name):
    """``(block, test or None)`` for a block name or a test name (``tapeout sim NAME``)."""
    if name in BLOCKS:
        return name, None
    for block in BLOCKS:
        if name in block_tests(block):
            return block, name
    known = sorted(set(BLOCKS) | {t for b in BLOCKS for t in block_tests(b)})
    raise UsageError(f"no block or test named {name!r}; expected one of {', '.join(known)}")


def build_block(block, sim, cache_dir, waves=False, verilog=None):
    """Export (if needed) and build ``block`` for ``sim`` under ``cache_dir``; return the runner.

    Parameters
    ----------
    verilog : str or pathlib.Path or None
        Verilog of the block to use instead of exporting it (a mutant, a user's top);
        its ports must match the exported block's.

    Returns
    -------
    (runner, pathlib.Path)
        The cocotb runner and the build directory.
    """
    block = get_block(block)
    cache_dir = Path(cache_dir)
    reference = export_block(block, cache_dir / "verilog")
    source = Path(verilog) if verilog is not None else reference
    expected = read_ports(reference, block.top) if verilog is not None else None
    key = hashlib.sha256(source.read_bytes()).hexdigest()[:12]
    build_dir = cache_dir / sim / f"{block.name}-{key}{'-waves' if waves else ''}"
    runner = build(sim, source, block.top, build_dir, waves=waves, expected_ports=expected)
    return runner, build_dir


def results_of(xml_path):
    """``(tests, failures)`` of a cocotb results XML file."""
    root = ET.parse(xml_path).getroot()
    cases = root.iter("testcase")
    tests = failures = 0
    for case in cases:
        tests += 1
        if case.find("failure") is not None or case.find("error") is not None:
            failures += 1
    return tests, failures


def run_block(block, sim, out_dir, seed, cache_dir, effort=None, waves=False, testcase=None,
              verilog=None, with_coverage=True, timeout_scale=1.0):
    """Run ``block``'s testbench; return ``{"tests", "failures", "results", "coverage", "log"}``.

    Parameters
    ----------
    block : str
    sim : str
        ``"verilator"`` or ``"icarus"``.
    out_dir : str or pathlib.Path
        Where this run writes ``results.xml``, ``sim.log``, ``coverage.yml`` and waves.
    seed : int
        Stimulus seed (same seed, same stimulus).
    cache_dir : str or pathlib.Path
        Exported Verilog and simulator builds, reused across runs.
    effort : int or None
        Random transactions (default :data:`EFFORT`).
    testcase : str or None
        Run only this test of the testbench.
    verilog : path or None
        Verilog to simulate instead of the exported block (e.g. a mutant).
    """
    check_simulator_name(sim)
    block = get_block(block)
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    runner, build_dir = build_block(block, sim, cache_dir, waves=waves, verilog=verilog)
    results = out_dir / "results.xml"
    results.unlink(missing_ok=True)
    cov = out_dir / "coverage.yml" if with_coverage else None
    env = tb_environment(block.name, block.params, seed, EFFORT[block.name] if effort is None else effort,
                         cov, timeout_scale)
    log = out_dir / "sim.log"
    try:
        runner.test(test_module=block.testbench, hdl_toplevel=block.top, build_dir=build_dir,
                    test_dir=out_dir, results_xml=str(results), extra_env=env, seed=seed,
                    waves=waves, testcase=testcase, log_file=log, timescale=None)
    except SystemExit:
        pass        # the runner exits on failures when called under pytest; results.xml says why
    if results.is_file():
        tests, failures = results_of(results)
    else:
        tests, failures = 1, 1
    return {"tests": tests, "failures": failures, "results": results if results.is_file() else None,
            "coverage": cov if cov is not None and cov.is_file() else None, "log": log}


def merge_junit(runs, path):
    """Write one JUnit XML file with a ``<testsuite>`` per block from ``{block: run}``."""
    suites = ET.Element("testsuites", name="tapeout.verify")
    for name, run in runs.items():
        suite = ET.SubElement(suites, "testsuite", name=name, tests=str(run["tests"]),
                              failures=str(run["failures"]))
        if run["results"] is None:
            case = ET.SubElement(suite, "testcase", name=name, classname=name)
            ET.SubElement(case, "failure", message=f"simulation did not produce results; see {run['log']}")
            continue
        for case in ET.parse(run["results"]).getroot().iter("testcase"):
            case.set("classname", name)
            suite.append(case)
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)
    return path


def run_regression(out_dir, sim="verilator", seed=1, cache_dir=None, blocks=None, effort=None,
                   formal=False, progress=None):
    """Run every block's testbench, merge the results, report coverage (and prove the properties).

    Parameters
    ----------
    out_dir : str or pathlib.Path
        Writes ``junit.xml``, ``coverage.txt``/``coverage.json``, ``metrics.json`` and one
        folder per block (``results.xml``, ``sim.log``).
    sim : str
        ``"verilator"`` (default) or ``"icarus"``.
    seed : int
    cache_dir : path or None
        Exported Verilog and builds (default ``out_dir/cache``); reuse it across runs.
    blocks : list of str or None
        Default: all of :data:`~tapeout.verify.blocks.BLOCKS`.
    effort : dict or None
        Per-block override of :data:`EFFORT`.
    formal : bool
        Also run :func:`tapeout.verify.formal.prove_all` (BMC to depth 20 and
        k-induction of every property set; seconds each) and write ``formal.txt``/``formal.json``.
    progress : callable or None
        ``progress(message)`` before each step.

    Returns
    -------
    dict
        ``verify__tests__count``, ``verify__failures__count``, ``verify__coverage__ratio``,
        ``verify__formal_proven__count`` (with ``formal``), plus ``blocks`` (per-block counts).
    """
    out_dir = Path(out_dir).resolve()
    cache_dir = Path(cache_dir) if cache_dir is not None else out_dir / "cache"
    names = list(BLOCKS) if blocks is None else [get_block(b).name for b in blocks]
    runs = {}
    for name in names:
        if progress:
            progress(f"simulating {name} on {sim}")
        runs[name] = run_block(name, sim, out_dir / name, seed, cache_dir,
                               effort=(effort or {}).get(name))
    merge_junit(runs, out_dir / "junit.xml")
    merged = coverage.merge([run["coverage"] for run in runs.values() if run["coverage"]])
    points = [p for p in coverage.COVER_POINTS if p.split(".")[0] in names]
    report = coverage.write_report({p: merged[p] for p in points}, out_dir)
    metrics = {
        "verify__tests__count": sum(r["tests"] for r in runs.values()),
        "verify__failures__count": sum(r["failures"] for r in runs.values()),
        "verify__coverage__ratio": report["ratio"],
    }
    if formal:
        from .formal import prove_all, write_report
        proofs = prove_all(out_dir / "formal", progress=progress)
        write_report(proofs, out_dir)
        metrics["verify__formal_proven__count"] = sum(1 for p in proofs if p["status"] == "proven")
        metrics["verify__formal_failed__count"] = sum(1 for p in proofs if p["status"] == "failed")
    summary = {**metrics, "blocks": {n: {"tests": r["tests"], "failures": r["failures"]}
                                     for n, r in runs.items()}}
    (out_dir / "metrics.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary


def run_one(block_or_test, sim="verilator", seed=1, waves=False, out_dir="build/sim",
            cache_dir=None, effort=None):
    """Run one block's testbench or one test (``tapeout sim``).

    Returns
    -------
    dict
        ``tests``, ``failures``, ``results`` (XML path), ``log`` and ``waves`` (the FST/VCD
        file, or None).
    """
    block, test = find_test(block_or_test)
    out_dir = Path(out_dir).resolve() / (test or block)
    cache_dir = Path(cache_dir) if cache_dir is not None else out_dir.parent / "cache"
    run = run_block(block, sim, out_dir, seed, cache_dir, effort=effort, waves=waves, testcase=test)
    wave_file = None
    if waves:
        found = sorted(out_dir.glob("*.vcd")) + sorted(out_dir.glob("*.fst")) \
            + sorted((cache_dir / sim).glob(f"{block}-*-waves/*.fst"))
        wave_file = found[0] if found else None
    return {**run, "waves": wave_file}


__all__ = ["run_regression", "run_one", "run_block", "build_block", "find_test", "EFFORT",
           "SimulatorError"]
