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


@pytest.fixture(scope="module")
def sky130_counter(sky130, tmp_path_factory):
    """(netlist, cell models written from the Liberty file) of the counter synthesised to SKY130."""
    from tapeout.verify.lec.liberty_models import cell_models

    out = tmp_path_factory.mktemp("gls_sky130")
    synthesize([DESIGNS / "src" / "counter.v"], "counter", sky130.liberty(), 10.0, out / "synth",
               macro_factory=sky130.macro_factory, dont_use=sky130.dont_use, fanout_buffer=sky130.fanout_buffer,
               delay_buffer=sky130.delay_buffer)
    return out / "synth" / "counter.v", cell_models(sky130, "sky130_fd_sc_hd", out / "models.v")


def run_sky130(sky130_counter, netlist, tmp_path, name):
    return simulate_netlist([sky130_counter[1][0], netlist], "counter", "src.counter_test", {}, tmp_path / name,
                            tmp_path / "cache", SIM, seed=1, name=name)


def test_sky130_counter_passes_its_test_with_the_liberty_models(sky130_counter, tmp_path, design_tests_importable):
    assert "sky130_fd_sc_hd__dfxtp" in sky130_counter[0].read_text()
    result = run_sky130(sky130_counter, sky130_counter[0], tmp_path, "good")
    assert (result["tests"], result["failures"]) == (1, 0), result["log"].read_text()[-2000:]


def test_swapped_sky130_gate_fails_the_test(sky130_counter, tmp_path, design_tests_importable):
    text = sky130_counter[0].read_text()
    cell, other = next((f"sky130_fd_sc_hd__{c}", f"sky130_fd_sc_hd__{o}") for c, o in
                       (("nor2_2", "nand2_2"), ("nand2_2", "nor2_2"), ("o21ai_2", "a21oi_2"), ("a21oi_2", "o21ai_2"))
                       if f"  sky130_fd_sc_hd__{c} " in text)
    broken = swap_first(sky130_counter[0], cell, other, tmp_path / "broken.v")
    result = run_sky130(sky130_counter, broken, tmp_path, "broken")
    assert (result["tests"], result["failures"]) == (1, 1)
