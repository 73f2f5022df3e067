"""SkidBuffer: order, no loss, full throughput, one clock of latency, registered ready."""

import numpy as np
import pytest
from amaranth.sim import Simulator

from tapeout.rtl.skid_buffer import SkidBuffer


def run(beats, send_probability, ready_probability, seed):
    """Push ``beats`` through a 16-bit SkidBuffer under random valid/ready patterns.

    Returns (received beats, clock of each acceptance at the output, the input's
    ``ready`` seen in each clock, the clock each beat was accepted at the input).
    """
    dut = SkidBuffer(16)
    rng = np.random.default_rng(seed)
    received, out_clocks, in_clocks, readies = [], [], [], []

    async def testbench(ctx):
        pending = list(beats)
        clock = 0
        while len(received) < len(beats):
            offer = bool(pending) and rng.random() < send_probability
            take = rng.random() < ready_probability
            ctx.set(dut.input.valid, offer)
            if offer:
                ctx.set(dut.input.payload, pending[0])
            ctx.set(dut.output.ready, take)
            in_ready, out_valid, out_payload = (ctx.get(dut.input.ready), ctx.get(dut.output.valid),
                                                ctx.get(dut.output.payload))
            readies.append(in_ready)
            await ctx.tick()
            if offer and in_ready:
                pending.pop(0)
                in_clocks.append(clock)
            if take and out_valid:
                received.append(out_payload)
                out_clocks.append(clock)
            clock += 1
            assert clock < 20 * len(beats) + 10, f"stalled (seed {seed})"

    sim = Simulator(dut)
    sim.add_clock(1e-8)
    sim.add_testbench(testbench)
    sim.run()
    return received, out_clocks, readies, in_clocks


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_valid_and_ready_keep_every_beat_in_order(seed):
    beats = [int(x) for x in np.random.default_rng(seed).integers(0, 1 << 16, 60)]
    received, _, _, _ = run(beats, 0.7, 0.5, seed)
    assert received == beats


def test_full_throughput_and_one_clock_of_latency():
    beats = list(range(100, 120))
    received, out_clocks, readies, in_clocks = run(beats, 1.0, 1.0, 0)
    assert received == beats
    assert in_clocks == list(range(20))
    assert out_clocks == list(range(1, 21))
    assert all(readies)


def test_input_ready_drops_only_when_the_spare_is_full():
    # With the consumer stalled the buffer takes exactly two beats, then refuses.
    dut = SkidBuffer(8)

    async def testbench(ctx):
        ctx.set(dut.output.ready, 0)
        ctx.set(dut.input.valid, 1)
        accepted = []
        for value in (5, 6, 7, 8):
            ctx.set(dut.input.payload, value)
            accepted.append(ctx.get(dut.input.ready))
            await ctx.tick()
        assert accepted == [1, 1, 0, 0]
        ctx.set(dut.input.valid, 0)
        ctx.set(dut.output.ready, 1)
        values = []
        for _ in range(2):
            values.append((ctx.get(dut.output.valid), ctx.get(dut.output.payload)))
            await ctx.tick()
        assert values == [(1, 5), (1, 6)]
        assert ctx.get(dut.output.valid) == 0

    sim = Simulator(dut)
    sim.add_clock(1e-8)
    sim.add_testbench(testbench)
    sim.run()
