"""cocotb testbench: a host GEMM over the UART pins of `UartTensorTile` (Verilog, Verilator).

The host side is `tapeout.fpga.protocol`, the same code `tapeout.fpga.host.run_gemm` runs
against a real board; cocotbext-uart plays the USB-serial adapter. The pytest entry point
(`test_uart_gemm.py`) passes the configuration in the ``FPGA_UART_TB`` environment variable
(JSON: ``tile``, ``divisor``, ``clock_ns``, ``gemm`` = [m, k, n], ``seed``).
"""

import json
import os

import cocotb
import numpy as np
from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, with_timeout
from cocotbext.uart import UartSink, UartSource

from tapeout.fpga.protocol import GemmPlan, TileShape, random_operands


@cocotb.test()
async def gemm_over_uart(dut):
    config = json.loads(os.environ["FPGA_UART_TB"])
    shape = TileShape.from_params(config["tile"])
    clock_ns = config["clock_ns"]
    baud = 1e9 / (clock_ns * config["divisor"])
    cocotb.start_soon(Clock(dut.clk, clock_ns, unit="ns").start())
    dut.rx.value = 1
    dut.rst.value = 1
    await ClockCycles(dut.clk, 4)
    dut.rst.value = 0
    source = UartSource(dut.rx, baud=baud, bits=8, stop_bits=1)
    sink = UartSink(dut.tx, baud=baud, bits=8, stop_bits=1)

    m, k, n = config["gemm"]
    a, b = random_operands(m, k, n, shape, config["seed"])
    plan = GemmPlan(a, b, shape)
    blocks = []
    for job in plan.jobs:
        await source.write(job.request)
        answer = bytearray()
        while len(answer) < job.answer_bytes:
            chunk = await with_timeout(sink.read(),
                                       200 * (len(job.request) + job.answer_bytes) * 10
                                       * config["divisor"] * clock_ns, "ns")
            answer.extend(chunk)
        assert len(answer) == job.answer_bytes, f"seed {config['seed']}: answer too long"
        blocks.append(plan.decode_answer(job, bytes(answer)))
    c = plan.assemble(blocks)
    expected = plan.expected(a, b)
    assert np.array_equal(c, expected), f"seed {config['seed']}: C differs\n{c}\n!=\n{expected}"
    assert dut.framing_error.value == 0 and dut.overrun.value == 0
