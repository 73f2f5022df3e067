"""The tapeout command line end to end in a scratch project: run, status, metrics, clean, errors."""

import json

import pytest

from tapeout.flow.cli import main


def test_run_then_nothing_to_do(project, capsys):
    assert main(["run", "arch"]) == 0
    out = capsys.readouterr().out
    assert "arch" in out and "ran" in out
    assert (project / "build" / "tc4x4" / "arch" / "arch.json").exists()
    assert (project / "build" / "tc4x4" / "arch" / "roofline.png").stat().st_size > 1000
    assert main(["run", "arch"]) == 0
    assert "nothing to do: 1 stage up to date in build/tc4x4/" in capsys.readouterr().out


def test_json_outputs(project, capsys):
    assert main(["run", "arch", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["stages"][0]["status"] == "ran"
    assert result["stages"][0]["metrics"]["arch__peak__macs_per_cycle"] == 16
    assert main(["metrics", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["arch__roofline_knee__ops_per_byte"] == 8.0
    assert main(["status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["status"] == "up to date"


def test_config_error_is_one_line_exit_2(project, capsys):
    bad = project / "designs" / "bad.toml"
    bad.write_text('[design]\nname = "bad"\nclock_period_ns = 10\n[tensor_core]\nrows = 0\ncols = 4\n')
    assert main(["run", "-d", "bad"]) == 2
    err = capsys.readouterr().err
    assert err == "error: designs/bad.toml: [tensor_core] rows must be an integer from 1 to 64, not 0\n"


def test_unknown_stage_exit_2(project, capsys):
    assert main(["run", "sinth"]) == 2
    assert capsys.readouterr().err.startswith("error: unknown stage 'sinth'; stages are: arch, rtl, verify, synth, place")


def test_unknown_design_exit_2(project, capsys):
    assert main(["status", "-d", "nope"]) == 2
    assert "error: no design 'nope' in designs/ or built in (known: " in capsys.readouterr().err


def test_designs_lists_the_default(project, capsys):
    assert main(["designs"]) == 0
    out = capsys.readouterr().out
    assert "tc4x4" in out and "10 ns" in out


def test_clean(project, capsys):
    main(["run", "arch"])
    assert main(["clean", "arch"]) == 0
    assert not (project / "build" / "tc4x4" / "arch").exists()
    assert main(["clean"]) == 0
    assert not (project / "build" / "tc4x4").exists()


def test_sim_and_fpga_name_errors(project, capsys):
    assert main(["sim", "nosuch"]) == 2
    assert capsys.readouterr().err.startswith("error: no block or test named 'nosuch'; expected one of ")
    assert main(["fpga", "--board", "de10"]) == 2
    assert capsys.readouterr().err == "error: unknown FPGA board 'de10'; known boards: icebreaker, ulx3s-85f\n"


def test_fpga_stages_are_not_part_of_a_plain_run(project, capsys):
    assert main(["run", "--to", "rtl", "--json", "-d", "counter"]) == 0
    stages = [s["stage"] for s in json.loads(capsys.readouterr().out)["stages"]]
    assert stages == ["rtl"]


def test_prove_unknown_property_set(project, capsys):
    assert main(["prove", "alu"]) == 2
    assert capsys.readouterr().err.startswith("error: no property set 'alu'; sets are: crossbar, ")


@pytest.mark.sim
def test_prove_one_property_set(project, capsys):
    assert main(["prove", "tile_buffer", "--depth", "4", "--out", "out"]) in (0, None)
    text = capsys.readouterr().out
    assert "tile_buffer          BMC              4  passed" in text
    assert "tile_buffer          k-induction      4  proven (k-induction)" in text
    assert (project / "out" / "formal.json").is_file()


def test_mutate_unknown_block(project, capsys):
    assert main(["mutate", "nosuch"]) == 2
    assert capsys.readouterr().err.startswith("error: no block 'nosuch' to mutate; blocks are: systolic_array")
