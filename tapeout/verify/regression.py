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
import re
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


def build_block(block, sim, cache_dir, waves=False, verilog=None, params=None):
    """Export (if needed) and build ``block`` for ``sim`` under ``cache_dir``; return the runner.

    Parameters
    ----------
    verilog : str or pathlib.Path or None
        Verilog of the block to use instead of exporting it (a mutant, a user's top);
        its ports must match the exported block's.
    params : dict or None
        Constructor parameters (default: the block's small test parameters).

    Returns
    -------
    (runner, pathlib.Path)
        The cocotb runner and the build directory.
    """
    block = get_block(block)
    cache_dir = Path(cache_dir)
    reference = export_block(block, cache_dir / "verilog", params)
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
              verilog=None, with_coverage=True, timeout_scale=1.0, params=None):
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
    params : dict or None
        Constructor parameters of the block (default: its small test parameters): the flow's
        regression runs the tile with the design's own.
    """
    check_simulator_name(sim)
    block = get_block(block)
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    runner, build_dir = build_block(block, sim, cache_dir, waves=waves, verilog=verilog, params=params)
    results = out_dir / "results.xml"
    results.unlink(missing_ok=True)
    cov = out_dir / "coverage.yml" if with_coverage else None
    effort = EFFORT[block.name] if effort is None else effort
    env = tb_environment(block.name, block.params if params is None else params, seed, effort, cov, timeout_scale)
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


def tile_label(params):
    """The configured tile's name in test names: ``tile[8x8 ws]`` (rows x cols, dataflow)."""
    return f"tile[{params['rows']}x{params['cols']} {params['dataflow']}]"


def folder_name(label):
    """``label`` as a file and metric name: ``tile[8x8 ws]`` -> ``tile_8x8_ws``."""
    return re.sub(r"[^\w.-]+", "_", label).strip("_")


def merge_junit(runs, path, properties=None):
    """Write one JUnit XML file with a ``<testsuite>`` per run from ``{name: run}``.

    ``properties`` (``{name: {parameter: value}}``) gives a run's suite its ``<properties>`` and
    names its test cases ``<name>.<test>`` (``tile[8x8 ws].tile_gemm_pingpong``), so that a test's
    name says which configuration it ran.
    """
    properties = properties or {}
    suites = ET.Element("testsuites", name="tapeout.verify")
    for name, run in runs.items():
        suite = ET.SubElement(suites, "testsuite", name=name, tests=str(run["tests"]),
                              failures=str(run["failures"]))
        if name in properties:
            table = ET.SubElement(suite, "properties")
            for key, value in properties[name].items():
                ET.SubElement(table, "property", name=key, value=str(value))
        if run["results"] is None:
            case = ET.SubElement(suite, "testcase", name=name, classname=name)
            ET.SubElement(case, "failure", message=f"simulation did not produce results; see {run['log']}")
            continue
        for case in ET.parse(run["results"]).getroot().iter("testcase"):
            case.set("classname", name)
            if name in properties:
                case.set("name", f"{name}.{case.get('name')}")
            suite.append(case)
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)
    return path


def run_regression(out_dir, sim="verilator", seed=1, cache_dir=None, blocks=None, effort=None,
                   formal=False, progress=None, tile=None):
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
    tile : dict or None
        The design's tile parameters (:func:`tapeout.rtl.tile_config.tile_parameters`): the tile's
        testbench runs on the tile with them instead of its small test tile, its tests named
        :func:`tile_label` ``.<test>`` and its cover points too (``tile[8x8 ws].backpressure``,
        the bins scaled to its links and banks).

    Returns
    -------
    dict
        ``verify__tests__count``, ``verify__failures__count``, ``verify__coverage__ratio``,
        ``verify__formal_proven__count`` (with ``formal``), plus ``blocks`` (per-block counts).
    """
    out_dir = Path(out_dir).resolve()
    cache_dir = Path(cache_dir) if cache_dir is not None else out_dir / "cache"
    names = list(BLOCKS) if blocks is None else [get_block(b).name for b in blocks]
    plan = {name: (name, None) for name in names}
    if tile is not None:
        plan.pop("tensor_tile", None)
        plan[tile_label(tile)] = ("tensor_tile", dict(tile))
    runs, points = {}, {}
    for label, (name, params) in plan.items():
        if progress:
            progress(f"simulating {label} on {sim}")
        runs[label] = run_block(name, sim, out_dir / folder_name(label), seed, cache_dir,
                                effort=(effort or {}).get(name), params=params)
        block_points = coverage.block_points(name, get_block(name).params if params is None else params)
        merged = coverage.merge([runs[label]["coverage"]] if runs[label]["coverage"] else [], block_points)
        points.update({point.replace(name, label, 1): bins for point, bins in merged.items()})
    merge_junit(runs, out_dir / "junit.xml",
                {label: params for label, (_, params) in plan.items() if params is not None})
    report = coverage.write_report(points, out_dir)
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
    summary = {**metrics, "blocks": {folder_name(n): {"tests": r["tests"], "failures": r["failures"]}
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
