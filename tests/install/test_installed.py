"""tapeout as a user installs it: the wheel into a fresh virtual environment (not editable), run in an
empty directory far from the source tree. `make test-install` runs this (CI too); `make test` leaves it
out (it installs about 1.6 GB of dependencies, from pip's cache when warm).

The stages run touch every kind of package data: the built-in designs and their Verilog (`-d tc4x4`,
`-d counter`), the board designs (`tapeout designs`), the `init` templates, the Liberty file (synth), the
LEF (place), the formal property files and the cocotb testbenches (verify); the reviewed-mutant list is
read through the installed module; `gds` checks that KLayout comes with the wheel's dependencies.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import tapeout
from tests.conftest import ROOT

pytestmark = [pytest.mark.install, pytest.mark.slow, pytest.mark.sim]


@pytest.fixture(scope="module")
def venv_bin(dist, tmp_path_factory) -> Path:
    """The bin/ folder of a fresh virtual environment with the wheel installed (dependencies from PyPI)."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(dist.wheel)],
                   check=True, stdout=subprocess.DEVNULL)
    return venv / "bin"


def run(venv_bin: Path, cwd: Path, *args: str) -> str:
    """Run a command of the fresh environment in `cwd`, as a user's shell would (its bin/ first on PATH,
    nothing of the source tree on PYTHONPATH); return its output, failing with it on a non-zero status."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv_bin}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run([str(venv_bin / args[0]), *args[1:]], cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(args)} in {cwd}: status {result.returncode}\n" \
                                   f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def test_the_installed_wheel_runs_the_flow_in_an_empty_directory(venv_bin, tmp_path):
    here = tmp_path / "empty"
    here.mkdir()
    assert run(venv_bin, here, "tapeout", "--version") == f"tapeout, version {tapeout.__version__}\n"
    location = run(venv_bin, here, "python", "-c", "import tapeout; print(tapeout.__file__)").strip()
    assert not Path(location).is_relative_to(ROOT) and Path(location).is_relative_to(venv_bin.parent)

    out = run(venv_bin, here, "tapeout", "init", "demo")
    assert "next: cd demo && tapeout run" in out
    assert (here / "demo" / "designs" / "src" / "counter.v").is_file()

    listing = run(venv_bin, here, "tapeout", "designs")
    rows = {line.split("│")[1].strip(): line for line in listing.splitlines() if line.count("│") > 3}
    for name in ("tc4x4", "counter", "h100_like", "b200_like", "icebreaker", "ulx3s-85f"):
        assert "built-in" in rows[name] and "cannot load" not in rows[name], rows.get(name)

    outcome = json.loads(run(venv_bin, here, "tapeout", "run", "synth", "verify", "-d", "tc4x4", "--json"))
    assert [(s["stage"], s["status"]) for s in outcome["stages"]] == [("rtl", "ran"), ("verify", "ran"),
                                                                      ("synth", "ran")]
    metrics = {k: v for s in outcome["stages"] for k, v in s["metrics"].items()}
    assert metrics["verify__failures__count"] == 0 and metrics["verify__formal_proven__count"] == 3
    assert metrics["synth__macros__count"] == 2
    assert (here / "build" / "tc4x4" / "synth" / "tensor_tile.v").is_file()

    demo = here / "demo"
    outcome = json.loads(run(venv_bin, demo, "tapeout", "run", "gds", "-d", "counter", "--json"))
    assert [(s["stage"], s["status"]) for s in outcome["stages"]] == [
        ("rtl", "ran"), ("synth", "ran"), ("place", "ran"), ("resize", "ran"), ("cts", "ran"), ("route", "ran"),
        ("droute", "ran"), ("finish", "ran"), ("gds", "ran")]
    assert (demo / "build" / "counter" / "place" / "counter.def").is_file()
    assert (demo / "build" / "counter" / "gds" / "counter.gds").stat().st_size > 0

    reviewed = run(venv_bin, here, "python", "-c", "from tapeout.verify.mutation import reviewed_equivalents; "
                                                   "print(len(reviewed_equivalents('tensor_tile')))")
    assert int(reviewed) > 0
