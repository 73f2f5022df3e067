"""The three serving pictures are drawn, as PNG and without warnings, from a report."""

import warnings

import pytest

from tapeout.serve.models import PRESETS
from tapeout.serve.pictures import draw_memory_wall, draw_throughput, draw_time_split
from tapeout.serve.report import serving_report
from tapeout.serve.serving import ServingSetup, run_batch, run_batches


@pytest.mark.parametrize("output", [64, 1])      # 1: a prefill alone, no decode step to draw
def test_pictures(tmp_path, h100, output):
    setup = ServingSetup(PRESETS["llama-2-7b"], h100, output=output)
    results = run_batches(setup, [1, 16, 512])
    report = serving_report("h100", setup, results, [run_batch(setup, b) for b in (1, 4, 16, 64, 256, 512)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for draw, name in ((draw_throughput, "t.png"), (draw_time_split, "s.png"), (draw_memory_wall, "w.png")):
            draw(report, tmp_path / name)
            data = (tmp_path / name).read_bytes()
            assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, name
