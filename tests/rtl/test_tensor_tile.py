"""TensorTile: end-to-end GEMM tiles through the command protocol on the crossbar."""

import numpy as np
import pytest
from amaranth.sim import Simulator

from tapeout.rtl import golden
from tapeout.rtl.tensor_tile import (
    OPCODE_COMPUTE,
    OPCODE_LOAD_A,
    OPCODE_LOAD_B,
    TILE_DEFAULTS,
    TensorTile,
    build_tile,
    header,
    pack_lanes,
)


def to_signed(value, width):
    return value - (1 << width) if value >> (width - 1) else value


def run_host(tile, script, link=0, max_clocks=5000):
    """Send ``script`` from link ``link``: packets (lists of beats) to port 0, and
    ``("wait", n)`` entries that wait until n answers have arrived. A collector takes
    the answers (always ready). Returns the answers (lists of signed ints) and the
    clock at which each answer's first beat arrived."""
    answers, first_clock = [], []
    expected = sum(1 for item in script if item[0] == "wait") and max(
        item[1] for item in script if item[0] == "wait")
    state = {"clock": 0}

    async def sender(ctx):
        lin = tile.link_in[link]
        for item in script:
            if item[0] == "wait":
                while len(answers) < item[1]:
                    await ctx.tick()
                continue
            for index, beat in enumerate(item):
                ctx.set(lin.valid, 1)
                ctx.set(lin.payload, {"data": beat, "dest": 0, "last": index == len(item) - 1})
                await ctx.tick().until(lin.ready)
            ctx.set(lin.valid, 0)

    async def collector(ctx):
        lout = tile.link_out[link]
        ctx.set(lout.ready, 1)
        beats = []
        while len(answers) < expected:
            payload, = await ctx.tick().sample(lout.payload).until(lout.valid)
            if not beats:
                first_clock.append(state["clock"])
            assert int(payload.src) == 0
            beats.append(to_signed(int(payload.data), tile.xbar_width))
            if payload.last:
                answers.append(beats)
                beats = []

    async def clock(ctx):
        while True:
            await ctx.tick()
            state["clock"] += 1

    sim = Simulator(tile)
    sim.add_clock(1e-8)
    sim.add_process(clock)
    sim.add_testbench(sender)
    sim.add_testbench(collector)
    sim.run_until(max_clocks * 1e-8)
    assert len(answers) == expected, f"{len(answers)} of {expected} answers after {max_clocks} clocks"
    return answers, first_clock


def load_packets(tile, a, b, bank, address):
    """LOAD_A and LOAD_B packets for one tile (A columns / B rows for OS, A rows / B rows for WS)."""
    a_words = [pack_lanes(col, tile.in_width) for col in (a.T if tile.dataflow == "os" else a)]
    b_words = [pack_lanes(row, tile.in_width) for row in b]
    return [[header(OPCODE_LOAD_A, bank, address, len(a_words))] + a_words,
            [header(OPCODE_LOAD_B, bank, address, len(b_words))] + b_words]


@pytest.mark.parametrize("dataflow", ["os", "ws"])
def test_gemm_through_the_command_interface(dataflow):
    tile = build_tile(dataflow=dataflow)
    rng = np.random.default_rng(7)
    a, b = rng.integers(-128, 128, (6, 9)), rng.integers(-128, 128, (9, 7))
    fold = golden.os_tiles if dataflow == "os" else golden.ws_tiles
    tiles = fold(a, b, 4, 4)
    script = []
    for index, (_, _, a_tile, b_tile) in enumerate(tiles):
        bank, count = index % 2, (a_tile.shape[1] if dataflow == "os" else a_tile.shape[0])
        script += load_packets(tile, a_tile, b_tile, bank, 16 * index)
        script += [[header(OPCODE_COMPUTE, bank, 16 * index, count)]]
    script.append(("wait", len(tiles)))
    answers, _ = run_host(tile, script, link=2)
    results = [np.array(beats).reshape(-1, 4) for beats in answers]
    assert [len(beats) for beats in answers] == [t[2].shape[0] * 4 for t in tiles]
    if dataflow == "os":
        c = golden.assemble_os(tiles, results, (6, 7))
    else:
        c = golden.assemble_ws(tiles, results, (6, 7))
    assert np.array_equal(c, golden.gemm(a, b))


def test_load_into_the_other_bank_overlaps_compute():
    tile = build_tile()
    rng = np.random.default_rng(3)
    k = 40
    a0, b0 = rng.integers(-128, 128, (4, k)), rng.integers(-128, 128, (k, 4))
    a1, b1 = rng.integers(-128, 128, (4, k)), rng.integers(-128, 128, (k, 4))
    compute = [[header(OPCODE_COMPUTE, 0, 0, k)]]
    # Serial reference: the answer to compute 0 is read before bank 1 is loaded.
    serial = (load_packets(tile, a0, b0, 0, 0) + compute + [("wait", 1)]
              + load_packets(tile, a1, b1, 1, 0) + [[header(OPCODE_COMPUTE, 1, 0, k)], ("wait", 2)])
    overlapped = (load_packets(tile, a0, b0, 0, 0) + compute + load_packets(tile, a1, b1, 1, 0)
                  + [[header(OPCODE_COMPUTE, 1, 0, k)], ("wait", 2)])
    for script in (serial, overlapped):
        answers, clocks = run_host(build_tile(), script)
        assert np.array_equal(np.reshape(answers[0], (4, 4)), golden.gemm(a0, b0))
        assert np.array_equal(np.reshape(answers[1], (4, 4)), golden.gemm(a1, b1))
    serial_clocks = run_host(build_tile(), serial)[1][1]
    overlapped_clocks = run_host(build_tile(), overlapped)[1][1]
    # Loading bank 1 (2 * (k + 1) beats) hides behind compute 0.
    assert overlapped_clocks < serial_clocks - k


def test_bad_commands_are_discarded():
    tile = build_tile()
    a, b = np.ones((4, 2), dtype=np.int64), np.full((2, 4), 3)
    script = ([[header(7, 0, 0, 2), 1, 2, 3], [header(OPCODE_LOAD_A, 5, 0, 2), 9, 9],
               [header(OPCODE_COMPUTE, 0, 0, 0), 4]]
              + load_packets(tile, a, b, 0, 0)
              + [[header(OPCODE_COMPUTE, 0, 0, 2)], ("wait", 1)])
    answers, _ = run_host(tile, script)
    assert answers[0] == [6] * 16


def test_links_forward_to_each_other():
    tile = build_tile()
    received = []

    async def testbench(ctx):
        ctx.set(tile.link_out[2].ready, 1)
        for index in range(3):
            ctx.set(tile.link_in[0].valid, 1)
            ctx.set(tile.link_in[0].payload, {"data": 40 + index, "dest": 3, "last": index == 2})
            _, _, valid, payload = await ctx.tick().sample(tile.link_out[2].valid, tile.link_out[2].payload)
            assert valid
            received.append((int(payload.data), int(payload.src)))
    sim = Simulator(tile)
    sim.add_clock(1e-8)
    sim.add_testbench(testbench)
    sim.run()
    assert received == [(40, 1), (41, 1), (42, 1)]


def test_build_tile_and_bad_parameters():
    assert TILE_DEFAULTS["rows"] == 4 and build_tile(rows=2).rows == 2
    with pytest.raises(ValueError, match=r"^unknown TensorTile parameter 'lanes'; expected one of rows, "):
        build_tile(lanes=4)
    with pytest.raises(ValueError, match=r"^ports must be at least 2 \(port 0 is the engine\), not 1$"):
        TensorTile(ports=1)
    with pytest.raises(ValueError, match=r"^width must be at least \(rows \+ cols\) \* in_width \(64\), "
                                         r"not 32$"):
        TensorTile(width=32)
    with pytest.raises(ValueError, match=r"^xbar_width must be at least 64 \(header, one C element, one A "
                                         r"column and one B row per beat\), not 32$"):
        TensorTile(rows=8, width=128)
    with pytest.raises(ValueError, match=r"^depth must be at most 4096 \(12-bit header field\), not 8192$"):
        TensorTile(depth=8192)
    with pytest.raises(TypeError, match=r"^rows must be a positive integer, not 0$"):
        TensorTile(rows=0)
