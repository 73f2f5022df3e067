"""Loading the synth stage's netlist puts each net's driver first."""

import numpy as np

from tapeout.flow.cli import main
from tapeout.netlist.from_synth import load_synthesized


def test_drivers_come_first(project, capsys):
    assert main(["run", "synth", "-d", "counter"]) == 0
    netlist = load_synthesized(project / "build" / "counter" / "synth", "counter")
    drivers = netlist.net_driver()
    driven = np.flatnonzero(drivers >= 0)
    assert len(driven) > 0
    assert np.array_equal(netlist.net_pins[netlist.net_ptr[driven]], drivers[driven])
    assert sorted(netlist.net_pins) == list(range(netlist.num_pins))
