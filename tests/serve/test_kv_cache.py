"""HBM plan: weights and KV cache per package, tokens and batch that fit."""

import pytest

from tapeout.serve.kv_cache import kv_bytes_per_token_per_package, memory_plan
from tapeout.serve.models import PRESETS


def test_llama_2_70b_on_two_h100(h100):
    m = PRESETS["llama-2-70b"]
    plan = memory_plan(m, h100, tp=2)
    assert plan.weight_bytes == pytest.approx(68.98e9, rel=1e-4)
    assert plan.usable_bytes == pytest.approx(72e9)                      # 80 GB less 10 %
    assert plan.kv_bytes_per_token == 80 * 2 * 4 * 128 * 2 == 163_840   # half the KV heads each
    assert plan.max_tokens == int((72e9 - 68_976_648_192) // 163_840)     # 18,453 tokens
    assert plan.max_batch(2048 + 256) == 8
    assert plan.shortfall_bytes(8, 2304) == 0 and plan.shortfall_bytes(9, 2304) > 0


def test_one_h100_cannot_hold_llama_2_70b(h100):
    plan = memory_plan(PRESETS["llama-2-70b"], h100, tp=1)
    assert plan.max_tokens == 0 and plan.max_batch(100) == 0
    assert plan.shortfall_bytes(1, 2304) == pytest.approx(137.95e9 + 2304 * 327_680 - 72e9, rel=1e-4)


def test_replicated_kv_heads_cost_memory():
    m = PRESETS["llama-2-70b"]
    assert kv_bytes_per_token_per_package(m, 8) == kv_bytes_per_token_per_package(m, 16) == 80 * 2 * 128 * 2
