import pytest

from tapeout.verify.regression import block_tests, run_block

from .conftest import simulators


@pytest.mark.sim
@pytest.mark.parametrize("sim", simulators())
def test_crossbar_testbench(tmp_path, sim_cache, sim):
    run = run_block("crossbar", sim, tmp_path, seed=7, cache_dir=sim_cache)
    assert (run["tests"], run["failures"]) == (len(block_tests("crossbar")), 0), run["log"].read_text()[-3000:]
