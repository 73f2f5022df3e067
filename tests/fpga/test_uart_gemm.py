"""End-to-end: a GEMM sent over the UART of the board top, simulated with Verilator + cocotb."""

import json

import pytest

from tapeout.fpga.board_top import UartTensorTile
from tapeout.rtl.export import export

SIM_TILE = {"rows": 4, "cols": 4, "depth": 16, "ports": 2}
SIM_DIVISOR = 8          # 8 clocks per bit: 12.5 Mbaud at 100 MHz keeps the simulation short
SIM_CLOCK_NS = 10


@pytest.mark.sim
def test_gemm_over_uart(tmp_path, verilator_env):
    from cocotb_tools.runner import get_results, get_runner

    top = UartTensorTile(SIM_TILE, divisor=SIM_DIVISOR, resync_clocks=1000)
    sources = export(top, "uart_tensor_tile", tmp_path / "rtl")
    runner = get_runner("verilator")
    runner.build(sources=[sources["verilog"]], hdl_toplevel="uart_tensor_tile",
                 build_dir=tmp_path / "sim_build", build_args=["-Wno-fatal"])
    config = {"tile": SIM_TILE, "divisor": SIM_DIVISOR, "clock_ns": SIM_CLOCK_NS,
              "gemm": [6, 5, 7], "seed": 3}
    results = runner.test(hdl_toplevel="uart_tensor_tile",
                          test_module="tests.fpga.uart_gemm_cocotb",
                          extra_env={"FPGA_UART_TB": json.dumps(config)},
                          test_dir=tmp_path / "sim_build")
    total, failed = get_results(results)
    assert (total, failed) == (1, 0)
