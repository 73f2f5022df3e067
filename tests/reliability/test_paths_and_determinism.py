"""The real flow in a folder whose path has spaces, quotes and non-ASCII letters; and twice, byte for byte."""

import json
import shutil

import pytest

from tapeout.flow.cli import main
from tests.conftest import ROOT

RECORDS = {"log.txt", "metrics.json", "stamp.json", "yosys.log"}


def counter_project(folder):
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "designs" / "counter.toml", folder / "counter.toml")
    shutil.copytree(ROOT / "designs" / "src", folder / "src")
    return folder / "counter.toml"


def outputs(build):
    """{relative path: bytes} of every stage output (run records and logs left out)."""
    return {p.relative_to(build).as_posix(): p.read_bytes() for p in sorted(build.rglob("*"))
            if p.is_file() and p.name not in RECORDS and not p.name.startswith(".")}


@pytest.mark.slow
def test_a_path_with_a_double_quote_is_refused_in_one_line(tmp_path, monkeypatch, capsys):
    folder = tmp_path / 'say "hi"'
    design = counter_project(folder)
    assert main(["run", "rtl", "-d", str(design), "--build-dir", str(folder / "build")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("error: stage rtl failed: ") and err[0].endswith(
        "Yosys cannot read or write a path that contains a double quote or a line break; rename the folder")


@pytest.mark.slow
def test_a_path_with_spaces_quotes_and_unicode(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "my designs" / "it's quoted – ünïcode"
    design = counter_project(folder)
    monkeypatch.chdir(folder)
    assert main(["run", "signoff", "-d", str(design), "--build-dir", str(folder / "build out")]) == 0, \
        capsys.readouterr().err
    assert (folder / "build out" / "counter" / "signoff" / "timing.rpt").is_file()


@pytest.mark.slow
def test_the_flow_twice_gives_the_same_bytes(tmp_path, monkeypatch, capsys):
    design = counter_project(tmp_path / "p")
    monkeypatch.chdir(tmp_path / "p")
    assert main(["run", "signoff", "-d", str(design)]) == 0
    first = outputs(tmp_path / "p" / "build")
    assert main(["run", "signoff", "-d", str(design), "--force"]) == 0
    second = outputs(tmp_path / "p" / "build")
    assert first.keys() == second.keys() and len(first) > 30
    assert [name for name in first if first[name] != second[name]] == []
    # a forced synthesis rerun gives the same netlist, so nothing after it runs again
    assert main(["run", "synth", "-d", str(design), "--force"]) == 0
    capsys.readouterr()
    assert main(["run", "signoff", "-d", str(design), "--json"]) == 0
    outcome = {s["stage"]: s["status"] for s in json.loads(capsys.readouterr().out)["stages"]}
    assert outcome["place"] == "up to date" and outcome["signoff"] == "up to date"
