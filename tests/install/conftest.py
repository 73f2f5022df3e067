"""Packaging fixtures: the sdist and the wheel, built once per session with `python -m build` (the wheel
from the sdist, as a user's `pip install tapeout` from PyPI would)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT


@dataclass(frozen=True)
class Dist:
    """What `python -m build` made: the wheel, the sdist and everything it printed."""

    wheel: Path
    sdist: Path
    output: str

    def wheel_record(self) -> set[str]:
        """The paths the wheel's RECORD lists."""
        with zipfile.ZipFile(self.wheel) as wheel:
            record = next(n for n in wheel.namelist() if n.endswith(".dist-info/RECORD"))
            return {line.split(",")[0] for line in wheel.read(record).decode().splitlines() if line}

    def wheel_text(self, suffix: str) -> str:
        """The text of the wheel's member whose name ends with `suffix` (e.g. ".dist-info/METADATA")."""
        with zipfile.ZipFile(self.wheel) as wheel:
            return wheel.read(next(n for n in wheel.namelist() if n.endswith(suffix))).decode()


def source_files() -> list[str]:
    """The repository's files as a fresh clone has them (tracked, plus new ones not ignored), relative."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    return sorted({name for name in listed.stdout.split("\0") if name and os.path.lexists(ROOT / name)})


def clean_copy(destination: Path) -> Path:
    """A copy of the source files alone (links kept as links): no build leftovers such as an egg-info
    folder, whose file list setuptools would otherwise reuse."""
    for name in source_files():
        source, target = ROOT / name, destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)
    return destination


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> Dist:
    source = clean_copy(tmp_path_factory.mktemp("source"))
    out = tmp_path_factory.mktemp("dist")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # as on a user's machine
    result = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(source)],
                            capture_output=True, text=True, env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"python -m build failed:\n{output[-4000:]}"
    return Dist(wheel=next(out.glob("*.whl")), sdist=next(out.glob("*.tar.gz")), output=output)
