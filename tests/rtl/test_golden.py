"""Golden models: wraparound GEMM, tile folding round trips, crossbar scoreboard."""

import numpy as np
import pytest

from tapeout.rtl import golden


def test_wrap_and_gemm():
    assert golden.wrap([2**15, -2**15 - 1, 5], 16).tolist() == [-2**15, 2**15 - 1, 5]
    a = np.full((1, 3), -128)
    b = np.full((3, 1), -128)
    assert golden.gemm(a, b, acc_width=16)[0, 0] == golden.wrap(3 * 16384, 16) == -16384
    assert golden.gemm(a, b)[0, 0] == 49152
    with pytest.raises(ValueError, match=r"^gemm needs \(M x K\) @ \(K x N\) matrices, not \(1, 3\) @ \(1, 3\)$"):
        golden.gemm(a, a)


@pytest.mark.parametrize("shape", [(5, 7, 3), (4, 4, 4), (1, 1, 9)])
def test_folding_round_trips(shape):
    m, k, n = shape
    rng = np.random.default_rng(1)
    a, b = rng.integers(-128, 128, (m, k)), rng.integers(-128, 128, (k, n))
    tiles = golden.os_tiles(a, b, 2, 3)
    assert len(tiles) == -(-m // 2) * -(-n // 3)
    assert all(t[2].shape == (2, k) and t[3].shape == (k, 3) for t in tiles)
    c = golden.assemble_os(tiles, [golden.gemm(t[2], t[3]) for t in tiles], (m, n))
    assert np.array_equal(c, golden.gemm(a, b))
    tiles = golden.ws_tiles(a, b, 2, 3)
    assert all(t[2].shape == (m, 2) and t[3].shape == (2, 3) for t in tiles)
    c = golden.assemble_ws(tiles, [golden.gemm(t[2], t[3]) for t in tiles], (m, n))
    assert np.array_equal(c, golden.gemm(a, b))


def deliver(board, dst, src, beats, start):
    for index, beat in enumerate(beats):
        board.receive(start + index, dst, src, beat, index == len(beats) - 1)


def test_scoreboard_accepts_correct_traffic():
    board = golden.CrossbarScoreboard(2)
    board.offer(0, 0, 1, (1, 2))
    board.offer(0, 1, 1, (3,))
    deliver(board, 1, 0, (1, 2), 0)
    deliver(board, 1, 1, (3,), 2)
    assert board.check() == []


def test_scoreboard_reports_each_violation():
    board = golden.CrossbarScoreboard(2)
    board.offer(0, 0, 1, (1,))
    board.offer(0, 0, 1, (2,))
    board.offer(0, 1, 0, (9,))
    deliver(board, 1, 0, (2,), 1)
    deliver(board, 1, 0, (1,), 2)
    assert board.check() == ["source 0 -> output 1: packets out of order or corrupted",
                             "source 1 -> output 0: 1 of 1 packets lost"]
    board = golden.CrossbarScoreboard(2)
    board.offer(0, 0, 1, (1,))
    deliver(board, 1, 0, (1,), 1)
    deliver(board, 1, 0, (1,), 2)
    assert board.check() == ["source 0 -> output 1: 1 packets duplicated"]
    board = golden.CrossbarScoreboard(2)
    board.receive(0, 1, 0, 5, False)
    board.receive(1, 1, 1, 6, True)
    assert board.check()[0] == "cycle 1: output 1 interleaved source 1 into a packet from source 0"


def test_scoreboard_reports_starvation():
    board = golden.CrossbarScoreboard(2)
    board.offer(0, 0, 1, (100,))
    for index in range(2):
        board.offer(0, 1, 1, (index,))
        deliver(board, 1, 1, (index,), index)
    deliver(board, 1, 0, (100,), 2)
    assert board.check() == ["output 1: source 0 waited 2 packets (more than ports - 1 = 1)"]
