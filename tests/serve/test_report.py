"""serve.json and serve_report.md from a run on the datasheet H100."""

import json

import pytest

from tapeout.serve.models import PRESETS
from tapeout.serve.report import decode_knee_batch, render_markdown, serving_report
from tapeout.serve.roofline import IDEAL
from tapeout.serve.serving import ServingSetup, run_batch, run_batches


@pytest.fixture
def report(h100):
    setup = ServingSetup(PRESETS["llama-2-70b"], h100, tp=2)
    results = run_batches(setup, [1, 8, 64])
    return serving_report("h100", setup, results, [run_batch(setup, b) for b in (1, 2, 4, 8, 16)])


def test_knee_batch_by_hand(h100):
    # FP16 weights on 989.5 TFLOPS / 3.35 TB/s = 295.4 FLOP/byte; a decode GEMM does 2 x batch FLOPs per
    # 2-byte weight, so it is compute-bound from batch 296 (derated 0.75 / 0.90: 246.2 -> 247)
    setup = ServingSetup(PRESETS["llama-2-70b"], h100, tp=2)
    assert decode_knee_batch(setup, ideal=True) == 296
    assert decode_knee_batch(setup) == 247
    assert decode_knee_batch(ServingSetup(PRESETS["llama-2-70b"], h100, tp=2, derates=IDEAL)) == 296


def test_report_content(report):
    assert json.loads(json.dumps(report)) == report                 # plain JSON
    assert report["model"]["kv_bytes_per_token_per_layer"] == 4096
    assert report["memory"]["max_batch"] == 8
    rows = {r["batch"]: r for r in report["batches"]}
    assert rows[1]["fits"] and rows[8]["fits"] and not rows[64]["fits"]
    assert rows[1]["decode_bound"] == "memory" and rows[1]["prefill_bound"] == "compute"
    assert rows[8]["decode_tokens_per_s"] == pytest.approx(8 / (rows[8]["tpot_ms"] / 1e3), rel=1e-3)
    # operations of the smallest batch and of the largest that fits
    assert [group["batch"] for group in report["operations"]] == [1, 8]
    names = [op["name"] for op in report["operations"][0]["decode"]]
    assert names == ["embedding", "qkv_projection", "attention", "out_projection", "ffn_gate_up", "ffn_down",
                     "lm_head", "all_reduce"]


def test_markdown(report):
    text = render_markdown(report)
    assert text.startswith("# Serving report: llama-2-70b on 2 x h100\n")
    assert "| 64 | NO |" in text and "| 8 | yes |" in text
    assert "KV cache for 18,453 tokens = batch 8 at 2,304 tokens each" in text
    assert "## Operations of one decode step at 2,175 tokens of context, batch 1 (per package)" in text
