"""Synthesis fixtures: the test designs and one cached synthesis run per design."""

from pathlib import Path

import pytest

from tapeout.synth import synthesize
from tapeout.synth.yosys_process import run_yosys_steps
from tapeout.tech.generate import LIBERTY_PATH

DATA = Path(__file__).resolve().parent / "data"
MINI_LIB = DATA / "mini.lib"


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory):
    """``synthesized(design, liberty=LIBERTY_PATH)``: SynthResult of tests/synth/data/<design>.v (cached)."""
    cache = {}

    def run(design, liberty=LIBERTY_PATH):
        key = (design, str(liberty))
        if key not in cache:
            out = tmp_path_factory.mktemp(f"synth_{design}")
            cache[key] = synthesize([DATA / f"{design}.v"], design, liberty, 5.0, out)
        return cache[key]

    return run


def assert_equivalent(gold_verilog, top, gate_verilog, work_dir, liberty=LIBERTY_PATH):
    """Prove `gate_verilog` (cells of `liberty`) equivalent to the RTL `gold_verilog` with Yosys.

    The library cells are read with their Liberty functions (``read_liberty`` without
    ``-lib``), then ``equiv_make``/``equiv_simple``/``equiv_induct``/``equiv_status -assert``.
    Raises SynthError when an equivalence stays unproven.
    """
    work_dir = Path(work_dir)
    steps = [f"read_liberty -ignore_miss_func {liberty}",
             f"read_verilog {gate_verilog}", f"rename {top} gate",
             f"read_verilog {gold_verilog}", f"rename {top} gold",
             "hierarchy", "proc", "flatten", "opt_clean",
             "equiv_make gold gate equiv", "hierarchy -top equiv",
             "equiv_simple -seq 5", "equiv_induct -seq 5", "equiv_status -assert"]
    run_yosys_steps(steps, work_dir / "equiv_script.json", work_dir / "equiv.log")
