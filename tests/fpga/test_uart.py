import random

import pytest
from amaranth.hdl import Module
from amaranth.sim import Simulator

from tapeout.fpga.uart import UARTRx, UARTTx, baud_divisor

DIVISOR = 5


async def send_bits(ctx, line, byte, divisor, stop=1):
    """Drive one 8N1 frame onto ``line``, ``divisor`` clocks per bit."""
    for bit in [0, *((byte >> i) & 1 for i in range(8)), stop]:
        ctx.set(line, bit)
        await ctx.tick().repeat(divisor)
    ctx.set(line, 1)


def test_baud_divisor():
    assert baud_divisor(12e6, 115200) == 104
    assert baud_divisor(25e6, 115200) == 217
    with pytest.raises(ValueError, match=r"^baud must be at most clock_hz / 4 \(3000000\), not 4000000$"):
        baud_divisor(12e6, 4_000_000)
    with pytest.raises(ValueError, match=r"^baud 2500000 is 4\.0% off with a 12000000 Hz clock "
                                         r"\(divisor 5\); more than 2%$"):
        baud_divisor(12e6, 2_500_000)


def test_divisor_is_checked():
    with pytest.raises(ValueError, match=r"^divisor must be an integer of at least 4, not 3$"):
        UARTTx(3)
    with pytest.raises(ValueError, match=r"^divisor must be an integer of at least 4, not 4\.5$"):
        UARTRx(4.5)


def test_tx_frames_bytes_with_exact_bit_times():
    dut = UARTTx(DIVISOR)
    sent = [0x55, 0x00, 0xFF, 0xA3]
    seen = []

    async def testbench(ctx):
        for byte in sent:
            ctx.set(dut.data.payload, byte)
            ctx.set(dut.data.valid, 1)
            await ctx.tick().until(dut.data.ready)
            ctx.set(dut.data.valid, 0)
            # Sample the line in the middle of each of the 10 bits.
            await ctx.tick().repeat(DIVISOR // 2 + 1)
            bits = []
            for _ in range(10):
                bits.append(ctx.get(dut.tx))
                await ctx.tick().repeat(DIVISOR)
            assert bits[0] == 0 and bits[9] == 1
            seen.append(sum(bit << i for i, bit in enumerate(bits[1:9])))

    sim = Simulator(dut)
    sim.add_clock(1e-6)
    sim.add_testbench(testbench)
    sim.run()
    assert seen == sent


def test_rx_receives_random_bytes_and_flags_errors():
    dut = UARTRx(DIVISOR)
    rng = random.Random(5)
    sent = [rng.randrange(256) for _ in range(20)]
    received = []

    async def testbench(ctx):
        for byte in sent:
            await send_bits(ctx, dut.rx, byte, DIVISOR)
            await ctx.tick().repeat(DIVISOR)
            assert ctx.get(dut.data.valid)
            received.append(ctx.get(dut.data.payload))
            ctx.set(dut.data.ready, 1)
            await ctx.tick()
            ctx.set(dut.data.ready, 0)
        assert not ctx.get(dut.framing_error) and not ctx.get(dut.overrun)
        # Two bytes without taking the first: the second is dropped, overrun is set.
        await send_bits(ctx, dut.rx, 0x11, DIVISOR)
        await send_bits(ctx, dut.rx, 0x22, DIVISOR)
        await ctx.tick().repeat(DIVISOR)
        assert ctx.get(dut.overrun) and ctx.get(dut.data.payload) == 0x11
        # A low stop bit: framing error, byte dropped.
        ctx.set(dut.data.ready, 1)
        await ctx.tick()
        await send_bits(ctx, dut.rx, 0x33, DIVISOR, stop=0)
        await ctx.tick().repeat(2 * DIVISOR)
        assert ctx.get(dut.framing_error) and not ctx.get(dut.data.valid)

    sim = Simulator(dut)
    sim.add_clock(1e-6)
    sim.add_testbench(testbench)
    sim.run()
    assert received == sent


def test_tx_to_rx_loopback():
    m = Module()
    m.submodules.tx = tx = UARTTx(DIVISOR)
    m.submodules.rx = rx = UARTRx(DIVISOR)
    m.d.comb += rx.rx.eq(tx.tx)
    sent = list(range(0, 256, 37))
    received = []

    async def producer(ctx):
        for byte in sent:
            ctx.set(tx.data.payload, byte)
            ctx.set(tx.data.valid, 1)
            await ctx.tick().until(tx.data.ready)
        ctx.set(tx.data.valid, 0)

    async def consumer(ctx):
        ctx.set(rx.data.ready, 1)
        while len(received) < len(sent):
            payload, = await ctx.tick().sample(rx.data.payload).until(rx.data.valid)
            received.append(payload)

    sim = Simulator(m)
    sim.add_clock(1e-6)
    sim.add_testbench(producer)
    sim.add_testbench(consumer)
    sim.run_until(1e-6 * 12 * DIVISOR * (len(sent) + 2))
    assert received == sent
