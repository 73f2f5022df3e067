"""The tile's gate-level run (tapeout/verify/gls/tile_tests.py): its [verify] settings, a name the
testbench does not have, and the run itself (on the RTL of a small tile: the named tests only, GEMMs
no larger than gls_max_k)."""

from pathlib import Path
from xml.etree import ElementTree

import pytest

from tapeout.flow.config import load_design
from tapeout.verify.blocks import BLOCKS, export_block
from tapeout.verify.gate_level import simulate_netlist
from tapeout.verify.gls.tile_tests import TILE_TESTBENCH, GateLevelTestError, tile_run
from tapeout.verify.regression import block_tests
from tapeout.verify.section import TILE_TESTS

from ..conftest import simulators

DESIGNS = Path(__file__).resolve().parents[3] / "designs"


def sim_time_ns(results):
    """Simulated time (ns) of the one test in a cocotb results file."""
    found = ElementTree.parse(results).find(".//property[@name='sim_time_duration']")
    return float(found.get("value"))


def design_with(tmp_path, verify_table):
    path = tmp_path / "tc4x4.toml"
    path.write_text((DESIGNS / "tc4x4.toml").read_text() + "\n[verify]\n" + verify_table)
    return load_design(path)


def test_defaults_are_every_tile_test_with_small_gemms():
    params, tests, effort = tile_run(load_design(DESIGNS / "tc4x4.toml"))
    assert set(TILE_TESTS) == set(block_tests("tensor_tile")) and tests == list(TILE_TESTS)
    assert (params["max_k"], params["depth"], params["rows"], effort) == (8, 256, 4, 2)


def test_a_test_the_testbench_does_not_have_is_one_line(tmp_path):
    config = design_with(tmp_path, 'gls_tests = ["tile_gemm_pingpong", "tile_nope"]\n')
    with pytest.raises(GateLevelTestError) as error:
        tile_run(config)
    assert str(error.value) == (f"{tmp_path / 'tc4x4.toml'}: [verify] gls_tests names 'tile_nope', but the tile's "
                                f"testbench has no such test (it has {', '.join(block_tests('tensor_tile'))})")


@pytest.mark.sim
@pytest.mark.parametrize("sim", simulators())
def test_named_tests_run_with_small_gemms(tmp_path, sim_cache, sim):
    block = BLOCKS["tensor_tile"]
    verilog = export_block(block, sim_cache / "verilog")
    runs = {}
    for max_k in (3, block.params["depth"]):
        runs[max_k] = simulate_netlist([verilog], block.top, TILE_TESTBENCH, {**block.params, "max_k": max_k},
                                       tmp_path / f"k{max_k}", sim_cache, sim, seed=3, effort=2, name="rtl",
                                       testcase=["tile_load_overlaps_compute"])
        assert (runs[max_k]["tests"], runs[max_k]["failures"]) == (1, 0), runs[max_k]["log"].read_text()[-2000:]
    # the test's clocks grow with K (four COMPUTEs of K words): smaller K, shorter simulated time
    simulated = {k: sim_time_ns(r["results"]) for k, r in runs.items()}
    assert simulated[3] < simulated[block.params["depth"]], simulated


def test_a_plain_run_simulates_the_netlists_on_icarus_or_on_a_simulator_named(tmp_path, monkeypatch):
    from tapeout.verify import simulators as sims
    from tapeout.verify.gls.stage import GlsStage

    for icarus, table, wanted in ((True, "", True), (False, "", False), (False, 'simulator = "verilator"\n', True)):
        monkeypatch.setattr(sims, "is_available", lambda sim, icarus=icarus: icarus if sim == "icarus" else True)
        assert GlsStage().in_default_run(design_with(tmp_path, table)) == wanted
