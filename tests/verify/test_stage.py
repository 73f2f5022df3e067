"""The `verify` stage end to end: a design's own cocotb tests on its RTL with its HDL parameters, the
skip (with a message) when a design names none, one-line failures for bad names, and the configured
tile's tests named for its configuration."""

import json
import xml.etree.ElementTree as ET

import pytest

from tapeout.flow.cli import main
from tapeout.verify.regression import run_regression

from .own_design import write_design

TESTS = '[verify]\ntests = ["src.pcount_test"]\n'


def test_a_design_without_tests_is_skipped_with_a_message(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write_design(tmp_path, "")
    assert main(["run", "verify", "-d", "pcount.toml", "--json"]) == 0
    stages = {s["stage"]: s for s in json.loads(capsys.readouterr().out)["stages"]}
    assert stages["verify"]["status"] == "n/a"
    assert stages["verify"]["message"] == ('skipped: no tests; name your cocotb test modules in [verify] tests of '
                                           'pcount.toml (e.g. tests = ["src.counter_test"])')
    assert not (tmp_path / "build" / "pcount" / "verify").exists()
    assert main(["report", "-d", "pcount.toml"]) == 0
    assert "| verify | n/a |  | skipped: no tests; name your cocotb" in \
        (tmp_path / "build" / "pcount" / "report.md").read_text()


@pytest.mark.parametrize("verify, message", [
    ('[verify]\ntests = ["src.pcount_tests"]\n',
     "[verify] tests names 'src.pcount_tests', but there is no src/pcount_tests.py (a test module is a Python "
     "file relative to the design file's folder"),
    (TESTS + "parameters = {WIDHT = 4}\n",
     "[verify] parameters sets 'WIDHT', but top module 'pcount' has no such parameter (it has MODE, WIDTH)"),
])
def test_a_bad_name_fails_the_stage_with_one_line(tmp_path, monkeypatch, capsys, verify, message):
    monkeypatch.chdir(tmp_path)
    write_design(tmp_path, verify)
    assert main(["run", "verify", "-d", "pcount.toml"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"error: stage verify failed: pcount.toml: {message}")
    assert err[1] == "  log: build/pcount/verify.failed/log.txt"


@pytest.mark.sim
def test_own_tests_run_on_the_rtl_with_the_parameters(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    design = write_design(tmp_path, TESTS + "parameters = {WIDTH = 4}\n")
    assert main(["run", "verify", "-d", "pcount.toml", "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out)["stages"][-1]["metrics"]
    assert (metrics["verify__tests__count"], metrics["verify__failures__count"]) == (1, 0)
    junit = ET.parse(tmp_path / "build" / "pcount" / "verify" / "junit.xml").getroot()
    assert [c.get("name") for c in junit.iter("testcase")] == ["wraps_after_two_to_the_width"]
    # the same test on the module's default width (8 bits) fails: the parameter reached the simulator
    design.write_text(design.read_text().replace("parameters = {WIDTH = 4}\n", ""))
    assert main(["run", "verify", "-d", "pcount.toml"]) == 1
    assert "error: stage verify failed: 1 of 1 tests failed (seed 1)" in capsys.readouterr().err


@pytest.mark.sim
def test_the_configured_tile_runs_under_its_own_name(tmp_path, sim_cache):
    tile = {"rows": 2, "cols": 3, "in_width": 8, "acc_width": 32, "dataflow": "ws", "banks": 3, "depth": 8,
            "width": 40, "ports": 4, "xbar_width": 64, "arbitration": "round_robin"}
    metrics = run_regression(tmp_path, seed=2, cache_dir=sim_cache, blocks=["crossbar", "tensor_tile"], tile=tile)
    assert metrics["verify__failures__count"] == 0
    suites = ET.parse(tmp_path / "junit.xml").getroot().findall("testsuite")
    assert [s.get("name") for s in suites] == ["crossbar", "tile[2x3 ws]"]
    names = [c.get("name") for c in suites[1].iter("testcase")]
    assert names and all(n.startswith("tile[2x3 ws].tile_") for n in names)
    assert {p.get("name"): p.get("value") for p in suites[1].iter("property")}["banks"] == "3"
    report = (tmp_path / "coverage.txt").read_text()
    assert metrics["verify__coverage__ratio"] == 1.0, report
    assert "tile[2x3 ws].bank: 100%" in report and "HIT  compute2" in report and "HIT  link_out2" in report
    assert metrics["blocks"]["tile_2x3_ws"] == {"tests": len(names), "failures": 0}
