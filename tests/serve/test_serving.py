"""TTFT, TPOT and tokens/s, checked by hand and against the public Llama-2-70B figure; bad input."""

import pytest

from tapeout.serve.chip import ServingChip
from tapeout.serve.errors import ServeError
from tapeout.serve.models import PRESETS
from tapeout.serve.roofline import IDEAL
from tapeout.serve.serving import ServingSetup, run_batch, run_batches


def test_llama_2_70b_fp16_on_two_h100_decodes_in_about_21_ms(h100):
    # Public check: 140 GB of FP16 weights over 2 x 3.35 TB/s = 21 ms per token at batch 1.
    setup = ServingSetup(PRESETS["llama-2-70b"], h100, tp=2, prompt=2048, output=256, derates=IDEAL)
    (r,) = run_batches(setup, [1])
    # by hand: each package streams half of the multiplied weights, its share of the KV cache (4 of 8
    # heads, 163,840 bytes per token) at the mean context, and 160 all-reduces of one hop + 16 KiB
    weights = (68_976_648_192 - 32000 * 8192 - 161 * 8192) * 2 / 2
    mean_context = 2048 + 254 / 2 + 1
    kv = mean_context * 163_840
    hand = (weights + kv) / 3.35e12 + 160 * (2e-6 + 8192 * 2 / 450e9)
    assert r.tpot_s == pytest.approx(hand, rel=2e-3)
    assert 20.0e-3 <= r.tpot_s <= 21.0e-3
    assert r.decode.bound == "memory" and r.prefill.bound == "compute"
    # prefill: 2 FLOPs per weight per prompt token (plus causal attention) at 989.5 TFLOPS per package
    matmul = 2048 * PRESETS["llama-2-70b"].matmul_flops_per_token / 2
    assert r.ttft_s > matmul / 989.5e12
    assert r.ttft_s == pytest.approx(matmul / 989.5e12, rel=0.12)     # + attention and all-reduces


def test_batching_amortises_the_weights(h100):
    setup = ServingSetup(PRESETS["llama-2-70b"], h100, tp=2, derates=IDEAL)
    one, eight = run_batches(setup, [1, 8])
    assert eight.decode_tokens_per_s > 7 * one.decode_tokens_per_s      # the weights are read once per step
    assert eight.fits and not run_batch(setup, 9).fits                  # HBM holds batch 8 at 2,304 tokens
    assert one.output_tokens_per_s(256) == pytest.approx(256 / one.e2e_s)


def test_derates_slow_it_down(h100):
    ideal = run_batch(ServingSetup(PRESETS["llama-2-7b"], h100, derates=IDEAL), 1)
    derated = run_batch(ServingSetup(PRESETS["llama-2-7b"], h100), 1)
    assert derated.tpot_s == pytest.approx(ideal.tpot_s / 0.9, rel=1e-3)     # memory-bound: / 0.90
    assert derated.ttft_s == pytest.approx(ideal.ttft_s / 0.75, rel=0.02)    # compute-bound: / 0.75


def test_decode_steps_grow_with_the_context(h100):
    r = run_batch(ServingSetup(PRESETS["llama-2-7b"], h100, prompt=3000, output=1000), 32)
    assert r.decode_steps == 999
    assert r.tpot_last_s > r.tpot_first_s
    assert r.tpot_first_s < r.tpot_s < r.tpot_last_s


def test_one_token_output_has_no_decode(h100):
    r = run_batch(ServingSetup(PRESETS["llama-2-7b"], h100, output=1), 4)
    assert r.decode_steps == 0 and r.tpot_s is None and r.decode_tokens_per_s is None
    assert r.e2e_s == r.ttft_s


def test_model_that_does_not_fit_says_by_how_much_and_suggests_tp(h100):
    setup = ServingSetup(PRESETS["llama-2-70b"], h100, tp=1)
    with pytest.raises(ServeError, match=r"^llama-2-70b does not fit 1 x H100 SXM even at batch 1: it needs 138\.7 GB "
                                         r"per package \(138\.0 GB of weights \+ 0\.75 GB of KV cache for 2,304 "
                                         r"tokens\), 72\.0 GB usable \(80 GB HBM less the 10% reserve\): 66\.7 GB "
                                         r"short; try --tp 2$"):
        run_batches(setup, [1])


@pytest.mark.parametrize("kwargs, message", [
    (dict(prompt=0), r"prompt length must be at least 1 token, not 0"),
    (dict(output=0), r"output length must be at least 1 token, not 0"),
    (dict(prompt=4000, output=200), r"prompt 4,000 \+ output 200 tokens exceed llama-2-7b's context window of "
                                    r"4,096 tokens"),
    (dict(tp=3), r"--tp 3 does not divide llama-2-7b's 32 attention heads"),
])
def test_bad_setup(h100, kwargs, message):
    with pytest.raises(ServeError, match=message):
        ServingSetup(PRESETS["llama-2-7b"], h100, **kwargs)


def test_batch_of_zero(h100):
    with pytest.raises(ServeError, match=r"batch size must be a positive integer, not 0"):
        run_batch(ServingSetup(PRESETS["llama-2-7b"], h100), 0)


def test_tensor_parallelism_needs_links():
    chip = ServingChip("no-links", 1e15, 8, 3e12, 80e9, 50e6)
    with pytest.raises(ServeError, match=r"--tp 2 needs NVLink-like links between the packages, and no-links has "
                                         r"none; give \[package\] nvlink_phys"):
        ServingSetup(PRESETS["llama-2-7b"], chip, tp=2)
