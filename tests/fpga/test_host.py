import numpy as np
import pytest

from tapeout.fpga.host import BoardTimeoutError, run_gemm
from tapeout.fpga.protocol import TileShape, random_operands
from tapeout.rtl.golden import gemm

from .board_model import BoardModel

SHAPE = TileShape.from_params({"rows": 2, "cols": 2, "depth": 32})


def test_run_gemm_on_a_model_board():
    ok, c = run_gemm(BoardModel(SHAPE), 5, 7, 3, seed=4, shape=SHAPE)
    a, b = random_operands(5, 7, 3, SHAPE, 4)
    assert ok
    assert np.array_equal(c, gemm(a, b))


def test_run_gemm_reports_a_wrong_answer():
    ok, c = run_gemm(BoardModel(SHAPE, corrupt_answer=True), 2, 3, 2, seed=1, shape=SHAPE)
    a, b = random_operands(2, 3, 2, SHAPE, 1)
    assert not ok
    assert c[0, 0] == gemm(a, b)[0, 0] + 1


def test_run_gemm_refuses_a_k_too_deep():
    with pytest.raises(ValueError, match=r"^k must be at most 32 .*, not 33$"):
        run_gemm(BoardModel(SHAPE), 2, 33, 2, seed=0, shape=SHAPE)


class SilentPort:
    def reset_input_buffer(self):
        pass

    def write(self, data):
        pass

    def read(self, count):
        return b""


def test_run_gemm_times_out_on_a_silent_port():
    with pytest.raises(BoardTimeoutError, match=r"^board answered 0 of 20 bytes for tile 1/1; "):
        run_gemm(SilentPort(), 2, 2, 2, seed=0, shape=SHAPE)
