"""cocotb test of designs/src/counter.v, named in designs/counter.toml `[verify] tests`: the `gls` stage
runs it on the synthesised and the final netlists (a reference model of the count, enable, clear, wrap)."""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, RisingEdge, Timer


@cocotb.test()
async def counts_like_its_model(dut):
    """700 clocks of random enable and rare clears against a Python model of the counter (it wraps)."""
    rng = random.Random(1)
    cocotb.start_soon(Clock(dut.clk, 10, unit="ns").start())
    dut.rst.value, dut.en.value, dut.clear.value = 1, 0, 0
    for _ in range(2):
        await RisingEdge(dut.clk)
    await FallingEdge(dut.clk)
    dut.rst.value = 0
    count, wraps = 0, 0
    for cycle in range(700):
        en, clear = rng.random() < 0.8, rng.random() < 0.002
        dut.en.value, dut.clear.value = int(en), int(clear)
        await Timer(1, unit="ns")
        assert int(dut.wrap.value) == int(en and count == 255), f"cycle {cycle}: wrap"
        wraps += en and count == 255
        await FallingEdge(dut.clk)
        count = 0 if clear else (count + 1) % 256 if en else count
        assert int(dut.count.value) == count, f"cycle {cycle}: count {int(dut.count.value)}, expected {count}"
    assert wraps, "the stimulus never made the counter wrap"
