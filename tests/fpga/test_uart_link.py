import pytest
from amaranth.sim import Simulator

from tapeout.fpga.protocol import Beat, encode_beat
from tapeout.fpga.uart_link import UartLink, beat_bytes

from .test_uart import send_bits

DIVISOR = 4


def test_beat_bytes():
    assert [beat_bytes(w) for w in (1, 8, 9, 32, 33)] == [1, 1, 2, 4, 5]


def test_parameters_are_checked():
    with pytest.raises(TypeError, match=r"^ports must be a positive integer, not 0$"):
        UartLink(0, 32, DIVISOR, 100)
    with pytest.raises(ValueError, match=r"^ports must be at most 128, not 129$"):
        UartLink(129, 32, DIVISOR, 100)


def test_host_bytes_become_beats_and_a_stalled_beat_resyncs():
    dut = UartLink(ports=4, width=32, divisor=DIVISOR, resync_clocks=200)
    beats = []

    async def host(ctx):
        # A partial beat (flags + 2 bytes), then silence longer than resync_clocks.
        for byte in encode_beat(Beat(1, False, 0xDEADBEEF), 32)[:3]:
            await send_bits(ctx, dut.rx, byte, DIVISOR)
        await ctx.tick().repeat(300)
        for beat in (Beat(2, False, 0x01020304), Beat(0, True, 0xCAFEF00D)):
            for byte in encode_beat(beat, 32):
                await send_bits(ctx, dut.rx, byte, DIVISOR)

    async def tile(ctx):
        ctx.set(dut.to_tile.ready, 1)
        while len(beats) < 2:
            payload, = await ctx.tick().sample(dut.to_tile.payload).until(dut.to_tile.valid)
            beats.append(Beat(payload.dest, bool(payload.last), payload.data))

    sim = Simulator(dut)
    sim.add_clock(1e-6)
    sim.add_testbench(host)
    sim.add_testbench(tile)
    sim.run_until(1e-6 * (300 + 14 * 10 * DIVISOR + 200))
    assert beats == [Beat(2, False, 0x01020304), Beat(0, True, 0xCAFEF00D)]


def test_tile_beats_become_host_bytes():
    dut = UartLink(ports=4, width=32, divisor=DIVISOR, resync_clocks=200)
    received = []

    async def tile(ctx):
        ctx.set(dut.from_tile.payload.data, 0x8899AABB)
        ctx.set(dut.from_tile.payload.src, 3)
        ctx.set(dut.from_tile.payload.last, 1)
        ctx.set(dut.from_tile.valid, 1)
        await ctx.tick().until(dut.from_tile.ready)
        ctx.set(dut.from_tile.valid, 0)

    async def host(ctx):
        for _ in range(5):
            await ctx.tick().until(~dut.tx)                # start bit
            await ctx.tick().repeat(DIVISOR + DIVISOR // 2)
            byte = 0
            for bit in range(8):
                byte |= ctx.get(dut.tx) << bit
                await ctx.tick().repeat(DIVISOR)
            assert ctx.get(dut.tx) == 1                     # stop bit
            received.append(byte)

    sim = Simulator(dut)
    sim.add_clock(1e-6)
    sim.add_testbench(tile)
    sim.add_testbench(host)
    sim.run_until(1e-6 * 6 * 10 * DIVISOR)
    assert bytes(received) == encode_beat(Beat(3, True, 0x8899AABB), 32)
