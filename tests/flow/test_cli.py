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


def test_version_ends_with_a_newline(capsys):
    import tapeout

    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"tapeout, version {tapeout.__version__}\n"


def test_designs_lists_the_built_in_designs_in_an_empty_directory(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["designs"]) == 0
    rows = {line.split("│")[1].strip(): line for line in capsys.readouterr().out.splitlines() if line.count("│") > 3}
    assert {"tc4x4", "counter", "h100_like", "b200_like", "icebreaker", "ulx3s-85f"} <= set(rows)
    assert all("built-in" in rows[name] for name in ("tc4x4", "counter", "icebreaker"))
    assert "verilog:" in rows["counter"] and "2x2" in rows["icebreaker"]


def test_designs_of_the_project_win_over_built_in_ones(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "designs" / "boards").mkdir(parents=True)
    (tmp_path / "designs" / "tc4x4.toml").write_text('[design]\nname = "tc4x4"\nclock_period_ns = 7\n'
                                                     '[tensor_core]\nrows = 2\ncols = 2\n')
    (tmp_path / "designs" / "broken.toml").write_text('[design]\nname = "broken"\n')
    (tmp_path / "designs" / "boards" / "icebreaker.toml").write_text('[board]\nname = "icebreaker"\nbaud = 9600\n')
    assert main(["designs"]) == 0
    rows = {line.split("│")[1].strip(): line for line in capsys.readouterr().out.splitlines() if line.count("│") > 3}
    assert "designs/tc4x4.toml" in rows["tc4x4"] and "7 ns" in rows["tc4x4"] and "2x2" in rows["tc4x4"]
    assert "designs/broken.toml" in rows["broken"] and "cannot load" in rows["broken"]
    assert "designs/boards/icebreaker.toml" in rows["icebreaker"] and "9600" in rows["icebreaker"]
    assert "built-in" in rows["counter"] and "built-in" in rows["ulx3s-85f"]


def test_run_a_built_in_design_from_an_empty_directory(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "arch", "-d", "h100_like"]) == 0
    assert (tmp_path / "build" / "h100_like" / "arch" / "arch.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]
