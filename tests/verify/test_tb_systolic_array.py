import pytest

from tapeout.verify.regression import block_tests, run_block

from .conftest import simulators


@pytest.mark.sim
@pytest.mark.parametrize("sim", simulators())
@pytest.mark.parametrize("block", ["systolic_array", "systolic_array_ws"])
def test_systolic_array_testbench(tmp_path, sim_cache, sim, block):
    run = run_block(block, sim, tmp_path, seed=7, cache_dir=sim_cache)
    assert (run["tests"], run["failures"]) == (len(block_tests(block)), 0), run["log"].read_text()[-3000:]
    assert block_tests(block) == ["gemm_back_to_back", "gemm_corners", "gemm_random"]
