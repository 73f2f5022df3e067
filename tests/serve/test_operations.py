"""Operations of a step: FLOPs and HBM bytes by hand."""

import pytest

from tapeout.serve.models import PRESETS
from tapeout.serve.operations import gemm, passes, step_operations

MB = 2 ** 20


def by_name(ops):
    return {op.name: op for op in ops}


def test_decode_gemv_reads_every_weight_once():
    # batch 1: 1 x 8192 x 8192 FP16: 2 x 8192^2 FLOPs; 8192^2 x 2 weight bytes + 8192 x 2 in + 8192 x 2 out
    op = gemm("x", 1, 8192, 8192, 1, 2, 2, 50 * MB)
    assert op.flops == 2 * 8192 ** 2
    assert op.hbm_bytes == 8192 ** 2 * 2 + 2 * 8192 * 2
    assert op.intensity == pytest.approx(1.0, rel=1e-3)   # 1 FLOP per byte at FP16, batch 1


def test_big_gemm_streams_the_larger_operand_past_blocks_of_the_smaller():
    # activations 4096 x 4096 x 2 B = 32 MiB, weights 4096 x 1024 x 2 B = 8 MiB; buffer 8 MiB:
    # the weights are held in 4 MiB blocks (2 passes), the activations stream twice
    op = gemm("x", 4096, 4096, 1024, 1, 2, 2, 8 * MB)
    assert passes(8 * MB, 8 * MB) == 2
    assert op.hbm_bytes == 8 * MB + 2 * 32 * MB + 4096 * 1024 * 2


def test_llama_2_70b_decode_step_batch_1_tp_2():
    m = PRESETS["llama-2-70b"]
    ops = by_name(step_operations(m, tp=2, batch=1, new=1, context=2047, act_bits=16, buffer_bytes=50 * MB))
    # per package: 32 query heads, 4 KV heads of 128
    assert (ops["qkv_projection"].k, ops["qkv_projection"].n) == (8192, (32 + 2 * 4) * 128)
    assert (ops["out_projection"].k, ops["out_projection"].n) == (4096, 8192)
    assert ops["ffn_gate_up"].n == 2 * 14336 and ops["ffn_down"].k == 14336
    assert ops["lm_head"].n == 16000 and ops["lm_head"].count == 1
    assert ops["qkv_projection"].count == 80
    # attention over 2048 keys: QK^T and PV, 2 FLOPs per MAC, 32 heads of 128
    attention = ops["attention"]
    assert attention.flops == 4 * 32 * 128 * 2048
    # reads the KV cache (2048 tokens x K and V x 4 heads x 128 x 2 B), writes the new token's K and V,
    # reads q and writes the output (32 x 128 x 2 B each)
    assert attention.hbm_bytes == 2048 * 2 * 4 * 128 * 2 + 2 * 4 * 128 * 2 + 2 * 32 * 128 * 2
    # two all-reduces per layer of the 8192 FP16 activations: 2 (p-1)/p x 16 KiB on the wire
    assert ops["all_reduce"].count == 160
    assert ops["all_reduce"].link_bytes == 8192 * 2
    # the weights one package streams in one step: half of every matrix, and one embedding row
    weights = sum(op.k * op.n * 2 * op.count for op in ops.values() if op.kind == "gemm")
    assert weights == (m.params - 32000 * 8192 - (2 * 80 + 1) * 8192) * 2 // 2


def test_prefill_is_causal_and_lm_head_sees_the_last_token():
    m = PRESETS["llama-2-7b"]
    ops = by_name(step_operations(m, tp=1, batch=2, new=100, context=0, act_bits=16, buffer_bytes=50 * MB))
    assert ops["attention"].flops == 4 * 2 * 32 * 128 * (100 * 101 // 2)
    assert ops["qkv_projection"].m == 200 and ops["lm_head"].m == 2
    assert "all_reduce" not in ops                      # one package: nothing to reduce
    assert ops["embedding"].hbm_bytes == 200 * 4096 * 2


def test_passes_needs_a_buffer():
    with pytest.raises(ValueError, match="buffer_bytes must be positive, not 0"):
        passes(10, 0)
