import xml.etree.ElementTree as ET

import pytest

from tapeout.errors import UsageError
from tapeout.verify.regression import find_test, run_one, run_regression


def test_find_test():
    assert find_test("crossbar") == ("crossbar", None)
    assert find_test("crossbar_contention") == ("crossbar", "crossbar_contention")
    with pytest.raises(UsageError, match=r"^no block or test named 'alu'; expected one of "):
        find_test("alu")


@pytest.mark.sim
def test_regression_passes_and_closes_coverage(tmp_path, sim_cache):
    metrics = run_regression(tmp_path, sim="verilator", seed=3, cache_dir=sim_cache, formal=True)
    assert metrics["verify__failures__count"] == 0
    assert metrics["verify__formal_proven__count"] == 3
    assert metrics["verify__formal_failed__count"] == 0
    assert (tmp_path / "formal.txt").read_text().count("proven (k-induction)") == 3
    assert metrics["verify__tests__count"] == 16
    report = (tmp_path / "coverage.txt").read_text()
    assert metrics["verify__coverage__ratio"] == 1.0, report
    assert "MISS" not in report
    suites = ET.parse(tmp_path / "junit.xml").getroot().findall("testsuite")
    assert [s.get("name") for s in suites] == ["systolic_array", "systolic_array_ws", "tile_buffer",
                                               "crossbar", "tensor_tile"]
    assert sum(len(s.findall("testcase")) for s in suites) == 16


@pytest.mark.sim
def test_run_one_test_with_waves(tmp_path, sim_cache):
    run = run_one("buffer_fill_and_read_back", sim="verilator", seed=2, waves=True,
                  out_dir=tmp_path, cache_dir=sim_cache)
    assert (run["tests"], run["failures"]) == (1, 0)
    assert run["waves"] is not None and run["waves"].stat().st_size > 0
