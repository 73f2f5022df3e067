"""`tapeout init`: the starter project, its commented design file, and refusing to overwrite."""

from __future__ import annotations

import re

import pytest

from tapeout import __version__
from tapeout.flow.cli import main
from tapeout.flow.config import BUILTIN_DESIGNS, load_design
from tapeout.flow.init_project import defaults_block, toml_value

STARTER = {"designs/tc4x4.toml", "designs/counter.toml", "designs/src/counter.v", "designs/src/counter_test.py",
           "Makefile", ".gitignore"}


def files_in(directory):
    return {p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file()}


@pytest.fixture
def empty(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_init_writes_a_starter_project_and_prints_the_next_command(empty, capsys):
    assert main(["init", "demo"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "next: cd demo && tapeout run"
    demo = empty / "demo"
    assert files_in(demo) == STARTER
    assert (demo / ".gitignore").read_text().splitlines()[-1] == "build/"
    assert "\nDESIGN  ?= tc4x4\n" in (demo / "Makefile").read_text()
    assert (demo / "designs" / "src" / "counter.v").read_text() == (BUILTIN_DESIGNS / "src" / "counter.v").read_text()
    text = (demo / "designs" / "tc4x4.toml").read_text()
    assert text.startswith(f"# tc4x4.toml: a copy of the built-in design 'tc4x4', written by `tapeout init` "
                           f"(tapeout {__version__}).\n")
    copy, built_in = load_design(demo / "designs" / "tc4x4.toml"), load_design(BUILTIN_DESIGNS / "tc4x4.toml")
    assert copy.sections == built_in.sections


def test_the_starter_design_runs_from_the_project(empty, capsys, monkeypatch):
    main(["init", "demo"])
    capsys.readouterr()
    (empty / "demo" / "designs" / "tc4x4.toml").write_text(
        (empty / "demo" / "designs" / "tc4x4.toml").read_text().replace('name = "tc4x4"', 'name = "mine"'))
    monkeypatch.chdir(empty / "demo")
    assert main(["run", "arch"]) == 0  # the project's designs/tc4x4.toml, not the built-in one
    assert (empty / "demo" / "build" / "mine" / "arch" / "arch.json").is_file()


def test_the_defaults_block_uncommented_changes_nothing(empty):
    main(["init", "demo"])
    path = empty / "demo" / "designs" / "tc4x4.toml"
    text = path.read_text()
    block = text[text.index("# ---- Every other setting"):]
    assert "# [signoff]\n" in block and "# max_iterations = 50 " in block
    assert "[place]" not in block  # the file sets [place]: its keys are not repeated
    uncommented = text.replace(block, re.sub(r"^# ?", "", block, flags=re.MULTILINE).split("\n", 1)[1])
    path.write_text(uncommented)
    config = load_design(path)
    assert {"synth", "floorplan", "route", "signoff"} <= config.written
    assert config.sections == load_design(BUILTIN_DESIGNS / "tc4x4.toml").sections


def test_init_from_counter(empty, capsys):
    assert main(["init", "c", "--from", "counter"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "next: cd c && tapeout run -d counter"
    assert files_in(empty / "c") == {"designs/counter.toml", "designs/src/counter.v", "designs/src/counter_test.py",
                                     "Makefile", ".gitignore"}
    assert "\nDESIGN  ?= counter\n" in (empty / "c" / "Makefile").read_text()
    assert load_design(empty / "c" / "designs" / "counter.toml").verilog_paths[0].is_file()


def test_init_in_the_current_directory_next_to_other_files(empty, capsys):
    (empty / "README.md").write_text("mine\n")
    assert main(["init"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "next: tapeout run"
    assert files_in(empty) == STARTER | {"README.md"}


def test_init_refuses_an_existing_project_and_writes_nothing(empty, capsys):
    main(["init", "demo"])
    capsys.readouterr()
    (empty / "demo" / "designs" / "counter.toml").unlink()
    (empty / "demo" / "Makefile").write_text("mine\n")
    assert main(["init", "demo"]) == 2
    assert capsys.readouterr().err == ("error: demo/designs/tc4x4.toml already exists; tapeout init overwrites "
                                       "nothing (give a new or empty directory: tapeout init DIR)\n")
    assert (empty / "demo" / "Makefile").read_text() == "mine\n"
    assert not (empty / "demo" / "designs" / "counter.toml").exists()


def test_init_refuses_a_file_as_its_directory(empty, capsys):
    (empty / "notes").write_text("mine\n")
    assert main(["init", "notes"]) == 2
    assert capsys.readouterr().err == "error: notes is a file, not a directory; tapeout init DIR writes a project into DIR\n"
    assert (empty / "notes").read_text() == "mine\n"


def test_init_from_an_unknown_design(empty, capsys):
    assert main(["init", "demo", "--from", "tc4x5"]) == 2
    assert capsys.readouterr().err == "error: no design 'tc4x5' in designs/ or built in; did you mean 'tc4x4'?\n"
    assert not (empty / "demo").exists()


def test_init_refuses_verilog_outside_the_design_folder(empty, capsys):
    (empty / "top.v").write_text("module top(input a, output b); assign b = a; endmodule\n")
    (empty / "designs").mkdir()
    (empty / "designs" / "x.toml").write_text('[design]\nname = "x"\ntop = "top"\nclock_period_ns = 5\n'
                                              'verilog = ["../top.v"]\n')
    assert main(["init", "demo", "--from", "x"]) == 2
    assert capsys.readouterr().err == ("error: designs/x.toml: [design] verilog file '../top.v' is outside the "
                                       "design's folder; tapeout init copies only files below it\n")


def test_toml_values():
    assert [toml_value(v) for v in (True, 3, 0.2, "a\"b", ("right", "top"), ((1, 2), (3, 4)))] == \
        ["true", "3", "0.2", '"a\\"b"', '["right", "top"]', "[[1, 2], [3, 4]]"]
    with pytest.raises(TypeError):
        toml_value(None)


def test_defaults_block_leaves_out_sections_the_file_has():
    block = defaults_block({"design", "tensor_core", "synth"})
    assert "# [synth]" not in block and "# [route]" in block and "# [tile_buffer]" in block
    assert "# [tensor_core]" not in block  # rows and cols have no default
    assert "# [package]" not in block  # checks itself; a die size has no default
