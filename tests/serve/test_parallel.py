"""Tensor parallelism: which tp values divide a model, KV heads per package, all-reduce bytes."""

import pytest

from tapeout.serve.errors import ServeError
from tapeout.serve.models import PRESETS
from tapeout.serve.parallel import all_reduce_wire_bytes, check_tensor_parallel, kv_heads_per_package


def test_tp_must_divide_the_heads():
    with pytest.raises(ServeError, match=r"^--tp 3 does not divide llama-2-70b's 64 attention heads; use one of "
                                         r"1, 2, 4, 8, 16, 32, 64$"):
        check_tensor_parallel(PRESETS["llama-2-70b"], 3)
    with pytest.raises(ServeError, match=r"tensor parallelism must be a positive integer, not 0"):
        check_tensor_parallel(PRESETS["llama-2-70b"], 0)
    check_tensor_parallel(PRESETS["llama-2-70b"], 16)


def test_kv_heads_are_replicated_past_their_count():
    m = PRESETS["llama-2-70b"]          # 8 KV heads
    assert [kv_heads_per_package(m, tp) for tp in (1, 2, 8, 16)] == [8, 4, 1, 1]


def test_all_reduce_wire_bytes():
    assert all_reduce_wire_bytes(1000, 1) == 0
    assert all_reduce_wire_bytes(1000, 2) == 1000
    assert all_reduce_wire_bytes(1000, 8) == pytest.approx(1750)
