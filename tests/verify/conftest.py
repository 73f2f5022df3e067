"""Fixtures of the verification tests: one build cache per session, so each block builds once."""

import warnings

import pytest
from amaranth.hdl import UnusedElaboratable

from tapeout.verify.simulators import available_simulators

warnings.filterwarnings("ignore", category=UnusedElaboratable)


@pytest.fixture(scope="session")
def sim_cache(tmp_path_factory):
    """Exported Verilog and simulator builds shared by every test of the session."""
    return tmp_path_factory.mktemp("sim_cache")


def simulators():
    """Simulators to run the testbenches on: Verilator, and Icarus when on PATH."""
    return [pytest.param(sim, marks=pytest.mark.skipif(sim not in available_simulators(),
                                                       reason=f"{sim} is not installed"))
            for sim in ("verilator", "icarus")]
