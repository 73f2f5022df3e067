"""Shared fixtures: the repository root and a scratch project with the shipped designs."""

import os
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


SHARED_PDK = Path(os.environ.get("PDK_ROOT") or ROOT.parent / "shared" / "pdk")
"""The SKY130 PDK root of the PDK tests: ``$PDK_ROOT``, else ../shared/pdk beside the repository."""


@pytest.fixture(scope="session")
def sky130_root():
    """The SKY130 PDK root beside the repository (../shared/pdk), or skip."""
    if not (SHARED_PDK / "sky130A" / "libs.ref" / "sky130_fd_sc_hd").is_dir():
        pytest.skip(f"no SKY130 PDK root at {SHARED_PDK} (install one with ciel/volare and set PDK_ROOT)")
    return SHARED_PDK


@pytest.fixture(scope="session")
def sky130(sky130_root):
    """The sky130_fd_sc_hd technology read from the shared PDK root."""
    from tapeout.tech.technology import technology_named

    return technology_named("sky130_fd_sc_hd", str(sky130_root))
