"""TileBuffer: read/write, ping-pong overlap of two banks, same-address behaviour."""

import pytest
from amaranth.sim import Simulator

from tapeout.rtl.tile_buffer import TileBuffer


def simulate(buffer, testbench):
    sim = Simulator(buffer)
    sim.add_clock(1e-8)
    sim.add_testbench(testbench)
    sim.run()


async def write(ctx, port, addr, data, en=1):
    ctx.set(port.addr, addr)
    ctx.set(port.data, data)
    ctx.set(port.en, en)
    await ctx.tick()
    ctx.set(port.en, 0)


async def read(ctx, port, addr):
    ctx.set(port.addr, addr)
    ctx.set(port.en, 1)
    await ctx.tick()
    ctx.set(port.en, 0)
    return ctx.get(port.data)


def test_write_then_read_every_bank():
    buffer = TileBuffer(3, 8, 16)

    async def testbench(ctx):
        for bank in range(3):
            for addr in range(8):
                await write(ctx, buffer.write[bank], addr, bank * 100 + addr * 7)
        for bank in range(3):
            for addr in range(8):
                assert await read(ctx, buffer.read[bank], addr) == bank * 100 + addr * 7
        # Read data holds while en is low.
        ctx.set(buffer.read[1].addr, 0)
        await ctx.tick()
        assert ctx.get(buffer.read[1].data) == 100 + 7 * 7
    simulate(buffer, testbench)


def test_ping_pong_fill_one_bank_while_reading_the_other():
    buffer = TileBuffer(2, 16, 8)

    async def testbench(ctx):
        for addr in range(16):
            await write(ctx, buffer.write[0], addr, addr + 1)
        # Same clocks: bank 1 is filled while bank 0 is read back.
        seen = []
        for addr in range(16):
            ctx.set(buffer.write[1].addr, addr)
            ctx.set(buffer.write[1].data, 200 - addr)
            ctx.set(buffer.write[1].en, 1)
            ctx.set(buffer.read[0].addr, addr)
            ctx.set(buffer.read[0].en, 1)
            await ctx.tick()
            seen.append(ctx.get(buffer.read[0].data))
        ctx.set(buffer.write[1].en, 0)
        assert seen == [addr + 1 for addr in range(16)]
        for addr in range(16):
            assert await read(ctx, buffer.read[1], addr) == 200 - addr
    simulate(buffer, testbench)


@pytest.mark.parametrize("mode, expected", [("read_first", 0x11), ("write_first", 0x22)])
def test_same_address_read_and_write(mode, expected):
    buffer = TileBuffer(2, 4, 8, same_address=mode)

    async def testbench(ctx):
        await write(ctx, buffer.write[0], 2, 0x11)
        ctx.set(buffer.write[0].addr, 2)
        ctx.set(buffer.write[0].data, 0x22)
        ctx.set(buffer.write[0].en, 1)
        ctx.set(buffer.read[0].addr, 2)
        ctx.set(buffer.read[0].en, 1)
        await ctx.tick()
        ctx.set(buffer.write[0].en, 0)
        assert ctx.get(buffer.read[0].data) == expected
        assert await read(ctx, buffer.read[0], 2) == 0x22
    simulate(buffer, testbench)


def test_granular_write_updates_only_enabled_lanes():
    buffer = TileBuffer(1, 4, 16, granularity=8)

    async def testbench(ctx):
        await write(ctx, buffer.write[0], 1, 0xAABB, en=0b11)
        await write(ctx, buffer.write[0], 1, 0x1122, en=0b10)
        assert await read(ctx, buffer.read[0], 1) == 0x11BB
    simulate(buffer, testbench)


def test_bits():
    assert TileBuffer(2, 256, 64).bits == 32768


def test_bad_parameters():
    with pytest.raises(TypeError, match=r"^banks must be a positive integer, not 0$"):
        TileBuffer(0, 16, 8)
    with pytest.raises(TypeError, match=r"^depth must be a positive integer, not -4$"):
        TileBuffer(2, -4, 8)
    with pytest.raises(ValueError, match=r"^granularity must divide width \(12\), not 8$"):
        TileBuffer(2, 16, 12, granularity=8)
    with pytest.raises(ValueError, match=r"^same_address must be one of 'read_first', 'write_first', "
                                         r"not 'undefined'$"):
        TileBuffer(2, 16, 8, same_address="undefined")
