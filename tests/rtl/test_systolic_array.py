"""SystolicArray: GEMMs folded into tiles vs the numpy golden model, both dataflows,
back-to-back tiles with and without output backpressure, and the cycle model."""

import numpy as np
import pytest

from tapeout.arch import pipelined
from tapeout.arch.pipelined import os_schedule_cycles, pipelined_gemm_cycles, ws_schedule_cycles
from tapeout.rtl import golden
from tapeout.rtl.drivers import run_array
from tapeout.rtl.pe import MAC_LATENCY
from tapeout.rtl.systolic_array import SystolicArray


def run_gemm(a, b, rows, cols, dataflow, ready_probability=1.0, seed=0, acc_width=32):
    """Fold A @ B onto the array, run it, and return (C, cycles, folds)."""
    array = SystolicArray(rows, cols, acc_width=acc_width, dataflow=dataflow)
    fold, assemble = ((golden.os_tiles, golden.assemble_os) if dataflow == "os"
                      else (golden.ws_tiles, golden.assemble_ws))
    tiles = fold(a, b, rows, cols)
    results, cycles = run_array(array, [(t[2], t[3]) for t in tiles], ready_probability, seed)
    shape = (a.shape[0], b.shape[1])
    c = assemble(tiles, results, shape) if dataflow == "os" else assemble(tiles, results, shape, acc_width)
    return c, cycles, len(tiles)


@pytest.mark.parametrize("dataflow", ["os", "ws"])
@pytest.mark.parametrize("seed", [11, 12, 13])
def test_random_shapes_with_ragged_folds(dataflow, seed):
    rng = np.random.default_rng(seed)
    rows, cols = int(rng.integers(2, 5)), int(rng.integers(2, 5))
    m, k, n = (int(x) for x in rng.integers(1, 11, size=3))
    a = rng.integers(-128, 128, (m, k))
    b = rng.integers(-128, 128, (k, n))
    c, cycles, _ = run_gemm(a, b, rows, cols, dataflow)
    assert np.array_equal(c, golden.gemm(a, b)), f"seed {seed}: {rows}x{cols}, {m}x{k}x{n}"
    assert cycles == pipelined_gemm_cycles(m, k, n, rows, cols, dataflow)


@pytest.mark.parametrize("dataflow", ["os", "ws"])
def test_signed_extremes_wrap_modulo_acc_width(dataflow):
    # 64 products of -128 * -128 = 2**14 sum to 2**20: wraps in 16-bit accumulators.
    a = np.full((3, 64), -128)
    b = np.full((64, 3), -128)
    b[:, 1] = 127
    c, _, _ = run_gemm(a, b, 3, 3, dataflow, acc_width=16)
    assert c[0, 0] == golden.wrap(64 * 16384, 16) == 0
    assert c[0, 1] == golden.wrap(64 * -128 * 127, 16)
    assert np.array_equal(c, golden.gemm(a, b, acc_width=16))
    c32, _, _ = run_gemm(a, b, 3, 3, dataflow)
    assert c32[0, 0] == 64 * 16384


@pytest.mark.parametrize("dataflow", ["os", "ws"])
def test_zeros_and_identity(dataflow):
    rng = np.random.default_rng(4)
    a = rng.integers(-128, 128, (4, 4))
    c, _, _ = run_gemm(a, np.eye(4, dtype=np.int64), 4, 4, dataflow)
    assert np.array_equal(c, a)
    c, _, _ = run_gemm(a, np.zeros((4, 4), dtype=np.int64), 4, 4, dataflow)
    assert not c.any()


@pytest.mark.parametrize("dataflow", ["os", "ws"])
@pytest.mark.parametrize("ready_probability", [1.0, 0.4])
def test_back_to_back_tiles_with_and_without_backpressure(dataflow, ready_probability):
    rng = np.random.default_rng(21)
    rows = cols = 3
    tiles = []
    for depth in (1, 2, 3, 7, 1, 5):       # shorter and longer than rows, mixed
        shape_a = (rows, depth) if dataflow == "os" else (depth, rows)
        shape_b = (depth, cols) if dataflow == "os" else (rows, cols)
        tiles.append((rng.integers(-128, 128, shape_a), rng.integers(-128, 128, shape_b)))
    results, cycles = run_array(SystolicArray(rows, cols, dataflow=dataflow), tiles,
                                ready_probability=ready_probability, seed=5)
    for index, ((a, b), result) in enumerate(zip(tiles, results)):
        assert np.array_equal(result, golden.gemm(a, b)), f"tile {index}"
    depths = [a.shape[1] if dataflow == "os" else a.shape[0] for a, _ in tiles]
    model = (os_schedule_cycles if dataflow == "os" else ws_schedule_cycles)(depths, rows, cols)
    if ready_probability == 1.0:
        assert cycles == model
    else:
        assert cycles > model


def test_back_to_back_tiles_have_no_bubbles():
    # Tiles of K = rows stream at one beat per clock: 5 tiles of 4 beats take
    # 20 clocks of input plus the 2*rows + cols - 1 + MAC_LATENCY (2) clock tail.
    rng = np.random.default_rng(8)
    tiles = [(rng.integers(-128, 128, (4, 4)), rng.integers(-128, 128, (4, 4))) for _ in range(5)]
    results, cycles = run_array(SystolicArray(4, 4), tiles)
    assert all(np.array_equal(r, golden.gemm(a, b)) for (a, b), r in zip(tiles, results))
    assert cycles == 20 - 1 + 2 * 4 + 4 + 2


def test_cycle_model_uses_the_pe_pipeline_depth():
    assert pipelined.MAC_LATENCY == MAC_LATENCY


def test_signatures_depend_on_dataflow():
    os_array = SystolicArray(2, 3)
    assert set(os_array.signature.members) == {"operands", "results"}
    ws_array = SystolicArray(2, 3, dataflow="ws")
    assert set(ws_array.signature.members) == {"weights", "activations", "results"}


def test_bad_parameters():
    with pytest.raises(TypeError, match=r"^rows must be a positive integer, not 0$"):
        SystolicArray(0, 4)
    with pytest.raises(TypeError, match=r"^cols must be a positive integer, not 2\.5$"):
        SystolicArray(4, 2.5)
    with pytest.raises(TypeError, match=r"^in_width must be an integer of at least 2, not 1$"):
        SystolicArray(4, 4, in_width=1)
    with pytest.raises(ValueError, match=r"^acc_width must be an integer of at least 2 \* in_width "
                                         r"\(16\), not 12$"):
        SystolicArray(4, 4, acc_width=12)
    with pytest.raises(ValueError, match=r"^dataflow must be one of 'os', 'ws', not 'is'$"):
        SystolicArray(4, 4, dataflow="is")
