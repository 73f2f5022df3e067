"""Model shapes: parameter counts, weight and KV-cache bytes, FLOPs per token, by hand."""

import pytest

from tapeout.serve.errors import ServeError
from tapeout.serve.models import PRESETS, TransformerModel, model_preset, with_shape


def test_llama_2_7b_by_hand():
    m = PRESETS["llama-2-7b"]
    # per layer: Q, K, V, O 4 x 4096^2 + FFN 3 x 4096 x 11008 + 2 norms of 4096
    per_layer = 4 * 4096 ** 2 + 3 * 4096 * 11008 + 2 * 4096
    assert m.params_per_layer == per_layer == 202_383_360
    assert m.params == 32 * per_layer + 2 * 32000 * 4096 + 4096 == 6_738_415_616   # "7B": 6.74 B
    assert m.kv_bytes_per_token_per_layer == 2 * 32 * 128 * 2 == 16_384
    assert m.kv_bytes_per_token == 32 * 16_384 == 524_288                            # 512 KiB per token


def test_llama_2_70b_by_hand():
    m = PRESETS["llama-2-70b"]
    assert m.head_dim == 128
    # Q 8192 x 8192, K and V 8192 x (8 x 128) each (GQA), O 8192 x 8192; FFN 3 x 8192 x 28672
    attention = 8192 * 8192 + 2 * 8192 * 1024 + 8192 * 8192
    assert m.attention_params_per_layer == attention == 150_994_944
    assert m.params == 80 * (attention + 3 * 8192 * 28672 + 2 * 8192) + 2 * 32000 * 8192 + 8192
    assert m.params == 68_976_648_192                                                # "70B": 68.98 B
    assert m.weight_bytes == pytest.approx(137.95e9, rel=1e-4)                       # 140 GB of FP16
    assert m.kv_bytes_per_token_per_layer == 2 * 8 * 128 * 2 == 4096
    assert m.kv_bytes_per_token == 327_680   # x 128K tokens = 43 GB (seed: "~40 GB" for 70B at 128K)
    # FLOPs per token: 2 per multiplied weight (embedding lookup and norms excluded)
    assert m.matmul_flops_per_token == 2 * (68_976_648_192 - 32000 * 8192 - (2 * 80 + 1) * 8192)


def test_llama_3_8b_by_hand():
    m = PRESETS["llama-3-8b"]
    per_layer = 4096 * (4096 + 2 * 1024) + 4096 * 4096 + 3 * 4096 * 14336 + 2 * 4096
    assert m.params == 32 * per_layer + 2 * 128256 * 4096 + 4096 == 8_030_261_248   # "8B": 8.03 B
    assert m.kv_bytes_per_token_per_layer == 2 * 8 * 128 * 2 == 4096
    assert m.max_context == 8192


def test_bits_scale_bytes():
    fp8 = with_shape(PRESETS["llama-2-70b"], weight_bits=8, kv_bits=8)
    assert fp8.name == "llama-2-70b"
    assert fp8.weight_bytes == PRESETS["llama-2-70b"].weight_bytes / 2
    assert fp8.kv_bytes_per_token_per_layer == 2048


def test_reshaped_model_is_named_so():
    m = with_shape(PRESETS["llama-2-70b"], kv_heads=4, layers=0)
    assert (m.name, m.kv_heads, m.layers) == ("llama-2-70b (reshaped)", 4, 80)


def test_unknown_model_lists_the_known_ones():
    with pytest.raises(ServeError, match=r"^unknown model 'gpt-5'; known models: llama-2-7b, llama-2-70b, "
                                         r"llama-3-8b$"):
        model_preset("gpt-5")


@pytest.mark.parametrize("changes, message", [
    (dict(hidden=1000), r"hidden 1000 must be a multiple of heads 64"),
    (dict(kv_heads=6), r"heads 64 must be a multiple of kv_heads 6"),
])
def test_inconsistent_shapes(changes, message):
    with pytest.raises(ServeError, match=message):
        with_shape(PRESETS["llama-2-70b"], **changes)


def test_bad_value():
    with pytest.raises(ServeError, match=r"model x: layers must be a positive integer, not 0"):
        TransformerModel("x", 0, 64, 1, 1, 64, 10, 16)
