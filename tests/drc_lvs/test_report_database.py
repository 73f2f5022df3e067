"""DRC markers in a KLayout report database: one category per rule, one item per violation."""

import pytest

from tapeout.drc_lvs.drc import run_drc
from tapeout.drc_lvs.report_database import write_report_database
from tapeout.drc_lvs.sky130_rules import SKY130_RULES
from tests.drc_lvs.two_nets import write_two_nets

rdb = pytest.importorskip("klayout.rdb")


def test_markers_reload_in_klayout(tmp_path):
    write_two_nets(tmp_path / "t.gds", extra_met1=(3.0, -0.24, 4.0, -0.10))
    report = run_drc(tmp_path / "t.gds", SKY130_RULES)
    write_report_database(report, tmp_path / "t.gds", tmp_path / "drc.lyrdb")
    database = rdb.ReportDatabase("")
    database.load(str(tmp_path / "drc.lyrdb"))
    names = [c.name() for c in database.each_category()]
    assert names == [rule.name for rule in SKY130_RULES]
    counts = {c.name(): c.num_items() for c in database.each_category()}
    assert counts["m1.2"] == 1 and sum(counts.values()) == 1
    assert database.top_cell_name == "two_nets"
    item, = database.each_item()
    value, = item.each_value()
    assert value.is_edge_pair() and value.edge_pair().bbox().top == pytest.approx(0.0)  # in um
    assert value.edge_pair().bbox().bottom == pytest.approx(-0.10)
