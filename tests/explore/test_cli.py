"""`tapeout explore` on the real flow's arch stage: results, exit statuses and one-line errors."""

import json

import pytest

from tapeout.flow.cli import main

SPACE = """
[explore]
design = "../tc4x4.toml"
stages = ["arch"]

[vary]
arch.offchip_bandwidth_gbps = [0.1, 1000.0]

[objectives]
arch__scalesim_cycles__count = "min"
arch__roofline_knee__ops_per_byte = "max"

[constraints]
arch__scalesim_utilization__ratio = ">= 0.1"
"""

pytestmark = pytest.mark.slow


def test_explore_command_end_to_end(project, capsys):
    space = project / "designs" / "explore" / "explore_bandwidth.toml"
    space.write_text(SPACE)
    assert main(["explore", str(space), "--workers", "1"]) == 0
    out = capsys.readouterr().out
    folder = project / "build" / "explore" / "bandwidth"
    assert "bandwidth: 2 trials run in" in out and f"results: {folder / 'explore.html'}" in out
    summary = json.loads((folder / "explore.json").read_text())
    # the bandwidth moves the roofline knee (peak / bandwidth), not the cycles: the slower feed has the higher knee
    assert summary["counts"] == {"finished": 2, "done": 2, "feasible": 2, "failed": 0, "pareto": 1}
    assert summary["pareto"] == [0]
    assert (folder / "trials" / "t0000" / "tc4x4" / "arch" / "roofline.png").exists()

    assert main(["explore", str(space)]) == 2
    assert capsys.readouterr().err == (f"error: {folder} already holds 2 finished trials; add --resume to continue "
                                       "(finished trials are not run again), or delete the folder to start afresh\n")
    assert main(["explore", str(space), "--resume"]) == 0
    assert "bandwidth: 0 trials run in" in capsys.readouterr().out


def test_trials_without_pictures_are_redrawn_by_an_ordinary_run(project, capsys):
    space = project / "designs" / "explore" / "explore_fast.toml"
    space.write_text(SPACE.replace("[explore]\n", "[explore]\npictures = false\n"))
    assert main(["explore", str(space), "--workers", "1"]) == 0
    trial = project / "build" / "explore" / "fast" / "trials" / "t0000"
    arch = trial / "tc4x4" / "arch"
    assert (arch / "arch.json").exists() and not (arch / "roofline.png").exists()
    assert "pictures not drawn (the stage ran with --no-pictures" in (trial / "tc4x4" / "report.md").read_text()
    capsys.readouterr()
    assert main(["run", "arch", "-d", str(trial / "design.toml"), "--build-dir", str(trial)]) == 0
    assert (arch / "roofline.png").exists()  # the run without pictures was not taken as up to date


def test_bad_space_and_options_exit_2(project, capsys):
    space = project / "designs" / "explore" / "explore_bad.toml"
    space.write_text(SPACE.replace("arch.offchip", "arch.ofchip"))
    assert main(["explore", str(space)]) == 2
    assert capsys.readouterr().err == (f"error: {space}: [vary] arch.ofchip_bandwidth_gbps: [arch] has no key "
                                       "'ofchip_bandwidth_gbps'; did you mean 'offchip_bandwidth_gbps'?\n")
    assert main(["explore", str(space), "--workers", "2", "--dask-local", "2"]) == 2
    assert capsys.readouterr().err == "error: give one of --workers, --dask and --dask-local\n"
    assert main(["explore", "nope.toml"]) == 2
    assert capsys.readouterr().err == "error: nope.toml: space file not found\n"
