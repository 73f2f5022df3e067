"""The flow's hand-off files against OpenSTA (optional extra: runs when `sta` is on PATH)."""

import pytest

from tapeout.flow.cli import main
from tapeout.signoff.opensta import compare_endpoints, flow_timing, opensta_binary, run_opensta, sta_pin_name

pytestmark = [pytest.mark.opensta,
              pytest.mark.skipif(opensta_binary() is None, reason="OpenSTA (`sta`) is not installed")]


def test_every_endpoint_within_5ps_of_opensta(project, capsys):
    assert main(["run", "signoff", "-d", "counter"]) == 0
    design = project / "build" / "counter"
    theirs = run_opensta(design / "signoff")
    assert "Warning" not in theirs.log and "Error" not in theirs.log
    ours, graph = flow_timing(design, "counter")
    agreement = compare_endpoints(ours, theirs)
    assert not agreement.missing
    assert len(agreement.setup_diff_ns) == len(agreement.hold_diff_ns) == len(ours.endpoints)
    assert agreement.max_abs_ns <= 0.005, agreement.worst[:3]
    assert theirs.setup_ws_ns == pytest.approx(ours.wns_ns, abs=0.005)
    assert theirs.hold_ws_ns == pytest.approx(ours.hold_ws_ns, abs=0.005)
    # the clock tree is in the netlist and the clock pins' transitions agree
    clock_pins = [graph.pin_label(p) for p in range(graph.n_pins) if graph.pin_is_clock[p]]
    assert clock_pins and any(name.startswith("cts_buf_") for name in graph.cell_names)
    for label in clock_pins:
        p = graph.pin_labels().index(label)
        assert ours.pin_slew_ns[p] == pytest.approx(theirs.slew_ns[sta_pin_name(label)], abs=0.005)
