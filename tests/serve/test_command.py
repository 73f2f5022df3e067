"""`tapeout serve` end to end in a scratch project: the presets, tables and pictures; bad input."""

import json

import pytest

from tapeout.flow.cli import main

PICTURES = ("throughput.png", "time_split.png", "memory_wall.png")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["h100_like", "b200_like"])
def test_serve_a_preset(project, capsys, name):
    # the presets state their signed-off tile, so only arch, package and serve run
    assert main(["serve", "-d", name, "--batch", "1,8,64"]) == 0
    out = capsys.readouterr().out
    assert "llama-2-70b on" in out and "TTFT ms" in out and "batch 64: time by bound (ms)" in out
    build = project / "build" / name
    assert sorted(p.name for p in build.iterdir() if p.is_dir()) == ["arch", "package", "serve"]
    for picture in PICTURES:
        assert (build / "serve" / picture).stat().st_size > 10_000
    report = json.loads((build / "serve" / "serve.json").read_text())
    assert [row["batch"] for row in report["batches"]] == [1, 8, 64]
    assert "throughput.png" in (build / "report.html").read_text()
    package = json.loads((build / "package" / "package.json").read_text())
    assert package["tile_source"].startswith("stated in [package]")


@pytest.mark.slow
def test_h100_like_check_and_errors(project, capsys):
    assert main(["serve", "-d", "h100_like", "--batch", "1", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    # the public check: Llama-2-70B FP16 on 2 x H100-class decodes in about 21 ms per token (derated: / 0.9)
    assert report["settings"]["tp"] == 2
    assert 20.0 / 0.9 <= report["batches"][0]["tpot_ms"] <= 21.5 / 0.9
    # one package cannot hold it: exit 1, how much is missing, and what tp would
    assert main(["serve", "-d", "h100_like", "--tp", "1"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: stage serve failed: llama-2-70b does not fit 1 x h100_like even at batch 1: "
                          "it needs 138.7 GB per package")
    assert "GB short; try --tp 2\n" in err


@pytest.mark.parametrize("args, message", [
    (["--model", "gpt-5"], "error: unknown model 'gpt-5'; known models: llama-2-7b, llama-2-70b, llama-3-8b\n"),
    (["--tp", "3"], "error: --tp 3 does not divide llama-2-70b's 64 attention heads; use one of 1, 2, 4, 8, 16, 32, "
                    "64\n"),
    (["--batch", "1,0"], "error: --batch sizes must be from 1 to 1048576, not 0\n"),
    (["--prompt", "0"], "error: --prompt must be from 1 to 16,777,216 tokens, not 0\n"),
    (["--output", "0"], "error: --output must be from 1 to 16,777,216 tokens, not 0\n"),
])
def test_bad_command_line_is_one_line_exit_2(project, capsys, args, message):
    assert main(["serve", "-d", "h100_like", *args]) == 2
    assert capsys.readouterr().err == message
    assert not (project / "build").exists()          # refused before anything ran


def test_a_design_without_a_package_cannot_serve(project, capsys):
    assert main(["serve", "-d", "counter"]) == 2
    assert capsys.readouterr().err == ("error: designs/counter.toml: serving needs a [package] section (and the "
                                       "[tensor_core] it packages)\n")
