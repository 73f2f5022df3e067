"""Shared fixtures: the repository root and a scratch project with the shipped designs."""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A working directory holding a copy of designs/, as a user's checkout would."""
    shutil.copytree(ROOT / "designs", tmp_path / "designs")
    monkeypatch.chdir(tmp_path)
    return tmp_path
