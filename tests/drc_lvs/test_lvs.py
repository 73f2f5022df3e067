"""LVS on the hand-built two-net layout: a match, a short naming both nets, an open from a removed via,
and a wire-less layout that is not called a match."""

import pytest

from tapeout.drc_lvs.connectivity import extraction_layers
from tapeout.drc_lvs.drc import read_layout
from tapeout.drc_lvs.extract import extract
from tapeout.drc_lvs.lvs import NO_WIRING, compare
from tapeout.tech.technology import technology_named
from tests.drc_lvs.two_nets import write_two_nets

pytest.importorskip("klayout.db")
REFERENCE = {"a": {"d0/Y", "l0/A"}, "b": {"d1/Y", "l1/A"}}


def lvs(path, reference=REFERENCE, supplies=None):
    layout, cell = read_layout(path)
    metals, cuts = extraction_layers(technology_named("tap130"))
    return compare(reference, extract(layout, cell, metals, cuts).nets, supplies or {})


def test_two_nets_match(tmp_path):
    write_two_nets(tmp_path / "t.gds")
    report = lvs(tmp_path / "t.gds")
    assert report.status == "match" and report.mismatches == 0 and report.joined == 2
    assert report.metrics()["lvs__layout_mismatches__count"] == 0


def test_a_short_names_both_nets(tmp_path):
    write_two_nets(tmp_path / "t.gds", gap_um=0.1, short=True)
    report = lvs(tmp_path / "t.gds")
    assert report.status == "mismatch" and report.shorts == [["a", "b"]] and not report.opens
    assert "short between nets a, b" in report.text()


def test_a_removed_via_is_an_open(tmp_path):
    write_two_nets(tmp_path / "t.gds", drop_via="b")
    report = lvs(tmp_path / "t.gds")
    assert report.status == "mismatch" and report.opens == {"b": [["d1/Y"], ["l1/A"]]} and not report.shorts
    assert "open net b: 2 pieces: d1/Y | l1/A" in report.text()


def test_a_terminal_the_layout_lacks_is_reported(tmp_path):
    write_two_nets(tmp_path / "t.gds")
    report = lvs(tmp_path / "t.gds", {**REFERENCE, "a": REFERENCE["a"] | {"u9/B"}})
    assert report.missing == ["u9/B"] and report.status == "mismatch"


def test_without_signal_wiring_lvs_does_not_claim_a_match(tmp_path):
    write_two_nets(tmp_path / "t.gds", drop_via="a")
    both_open = lvs(tmp_path / "t.gds", {"a": REFERENCE["a"]})
    assert both_open.status == NO_WIRING and both_open.mismatches == 0
    assert "lvs__layout_mismatches__count" not in both_open.metrics()  # the gate does not apply


def test_a_supply_pin_on_a_signal_net_is_a_short():
    report = compare({"a": {"d0/Y", "l0/A"}}, [{"d0/Y", "l0/A", "d0/VPWR"}], {"VPWR": "VPWR"})
    assert report.shorts == [["VPWR", "a"]]


def test_supply_pins_on_two_pieces_are_an_open():
    report = compare({"a": {"d0/Y", "l0/A"}}, [{"d0/Y", "l0/A"}, {"d0/VGND"}, {"l0/VGND"}], {"VGND": "VGND"})
    assert report.supplies == {"VGND": 2} and report.supply_opens == ["VGND"]
    assert report.status == "mismatch" and report.mismatches == 1
    assert "supply VGND: pins on 2 extracted nets (open)" in report.text()
