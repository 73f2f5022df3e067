import numpy as np
import pytest

from tapeout.fpga.protocol import (
    Beat,
    GemmPlan,
    TileShape,
    check_gemm,
    decode_beats,
    encode_beat,
    pack_elements,
    random_operands,
    to_signed,
)
from tapeout.rtl.tensor_tile import header

SHAPE = TileShape.from_params({"rows": 4, "cols": 4, "depth": 16})


def test_shape_from_params_takes_tile_defaults():
    assert SHAPE == TileShape(rows=4, cols=4, in_width=8, acc_width=32, dataflow="os",
                              banks=2, depth=16, xbar_width=32)
    assert SHAPE.beat_bytes == 5
    assert SHAPE.operand_range == (-128, 127)


def test_beat_framing_round_trip():
    beats = [Beat(0, False, 0x12345678), Beat(3, True, 0xFFFFFFFF), Beat(127, False, 0)]
    data = b"".join(encode_beat(beat, 32) for beat in beats)
    assert data[:5] == bytes([0x00, 0x78, 0x56, 0x34, 0x12])
    assert data[5] == 3 << 1 | 1
    assert decode_beats(data, 32) == beats


def test_beat_framing_rejects_bad_input():
    with pytest.raises(ValueError, match=r"^port must be an integer from 0 to 127, not 128$"):
        encode_beat(Beat(128, False, 0), 32)
    with pytest.raises(ValueError, match=r"^data must fit in 32 unsigned bits, not 4294967296$"):
        encode_beat(Beat(0, False, 1 << 32), 32)
    with pytest.raises(ValueError, match=r"^received 7 bytes, not a whole number of 5-byte beats$"):
        decode_beats(bytes(7), 32)


def test_pack_and_sign():
    assert pack_elements([1, -1, -128, 127], 8) == 0x7F80FF01
    assert [to_signed(0x7F80FF01 >> (8 * i), 8) for i in range(4)] == [1, -1, -128, 127]


def test_gemm_plan_packets_follow_the_tile_commands():
    a, b = random_operands(3, 5, 2, SHAPE, seed=1)
    plan = GemmPlan(a, b, SHAPE)
    assert len(plan.jobs) == 1
    beats = decode_beats(plan.jobs[0].request, 32)
    # LOAD_A: header + 5 columns of A; LOAD_B: header + 5 rows of B; COMPUTE: header.
    assert len(beats) == 13
    assert beats[0].data == header(1, 0, 0, 5) and not beats[0].last
    assert beats[1].data == pack_elements([*a[:, 0], 0], 8)   # padded to 4 rows
    assert beats[5].last and beats[6].data == header(2, 0, 0, 5)
    assert beats[7].data == pack_elements([*b[0], 0, 0], 8)
    assert beats[12] == Beat(0, True, header(3, 0, 0, 5))
    assert all(beat.port == 0 for beat in beats)
    assert plan.jobs[0].answer_bytes == 16 * 5


def test_gemm_plan_alternates_banks():
    a, b = random_operands(9, 3, 4, SHAPE, seed=2)
    plan = GemmPlan(a, b, SHAPE)
    banks = [decode_beats(job.request, 32)[0].data >> 4 & 0xF for job in plan.jobs]
    assert banks == [0, 1, 0]


def test_decode_answer_checks_the_beats():
    a, b = random_operands(4, 2, 4, SHAPE, seed=0)
    plan = GemmPlan(a, b, SHAPE)
    job = plan.jobs[0]
    values = list(range(-8, 8))
    data = b"".join(encode_beat(Beat(0, i == 15, v & 0xFFFFFFFF), 32) for i, v in enumerate(values))
    assert plan.decode_answer(job, data).tolist() == np.reshape(values, (4, 4)).tolist()
    with pytest.raises(ValueError, match=r"^answer has 15 beats, expected 16$"):
        plan.decode_answer(job, data[:-5])
    bad = data[:-5] + encode_beat(Beat(0, False, 7), 32)
    with pytest.raises(ValueError, match=r"^answer beat 15 is malformed"):
        plan.decode_answer(job, bad)


def test_refuses_sizes_that_do_not_fit():
    with pytest.raises(ValueError, match=r"^k must be at most 16 \(words in one tile-buffer bank\) "
                                         r"for the output-stationary tile, not 17$"):
        check_gemm(SHAPE, 4, 17, 4)
    with pytest.raises(ValueError, match=r"^m must be a positive integer, not 0$"):
        check_gemm(SHAPE, 0, 4, 4)
    ws = TileShape.from_params({"dataflow": "ws", "depth": 8})
    with pytest.raises(ValueError, match=r"^m must be at most 8 .* weight-stationary tile, not 9$"):
        check_gemm(ws, 9, 100, 4)
    with pytest.raises(ValueError, match=r"^a and b must hold values from -128 to 127"):
        GemmPlan(np.full((2, 2), 128), np.ones((2, 2), dtype=int), SHAPE)


def test_random_operands_are_seeded():
    first = random_operands(3, 4, 5, SHAPE, seed=7)
    again = random_operands(3, 4, 5, SHAPE, seed=7)
    other = random_operands(3, 4, 5, SHAPE, seed=8)
    assert all(np.array_equal(x, y) for x, y in zip(first, again))
    assert not np.array_equal(first[0], other[0])
    assert first[0].shape == (3, 4) and first[1].shape == (4, 5)
