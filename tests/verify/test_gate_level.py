"""Gate-level simulation (tapeout/verify/gate_level.py): the counter of designs/ synthesised to tap130,
run with the cell models under its own cocotb test; a netlist with one gate swapped must fail it."""

import sys
from pathlib import Path

import pytest

from tapeout.synth import synthesize
from tapeout.tech.generate import LIBERTY_PATH, VERILOG_PATH
from tapeout.verify.gate_level import simulate_netlist
from tapeout.verify.simulators import is_available

from .test_equivalence import swap_first

DESIGNS = Path(__file__).resolve().parents[2] / "designs"
SIM = "icarus" if is_available("icarus") else "verilator"

pytestmark = pytest.mark.sim


@pytest.fixture(scope="module")
def counter_netlist(tmp_path_factory):
    out = tmp_path_factory.mktemp("gls_counter")
    synthesize([DESIGNS / "src" / "counter.v"], "counter", LIBERTY_PATH, 5.0, out)
    return out / "counter.v"


@pytest.fixture
def design_tests_importable():
    sys.path.insert(0, str(DESIGNS))
    yield
    sys.path.remove(str(DESIGNS))


def run(netlist, tmp_path, name):
    return simulate_netlist([VERILOG_PATH, netlist], "counter", "src.counter_test", {}, tmp_path / name,
                            tmp_path / "cache", SIM, seed=1, name=name)


def test_synthesised_counter_passes_its_test(counter_netlist, tmp_path, design_tests_importable):
    result = run(counter_netlist, tmp_path, "good")
    assert (result["tests"], result["failures"]) == (1, 0), result["log"].read_text()[-2000:]


def test_swapped_gate_fails_the_test(counter_netlist, tmp_path, design_tests_importable):
    text = counter_netlist.read_text()
    cell, other = next((c, o) for c, o in (("NOR2_1", "NAND2_1"), ("NAND2_1", "NOR2_1"), ("AND2_1", "OR2_1"))
                       if f"  {c} " in text)
    broken = swap_first(counter_netlist, cell, other, tmp_path / "broken.v")
    result = run(broken, tmp_path, "broken")
    assert (result["tests"], result["failures"]) == (1, 1)
