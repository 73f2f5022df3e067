from tapeout.signoff.constraints import parse_sdc
from tapeout.signoff.report import plot_slack_histogram, write_timing_report
from tapeout.signoff.sta import run_sta

from .test_sta import ff_to_ff


def test_report_text_and_histogram(tmp_path, library):
    r = run_sta(ff_to_ff(library), parse_sdc("create_clock -name clk -period 2 [get_ports clk]"))
    write_timing_report(r, tmp_path / "t.rpt")
    text = (tmp_path / "t.rpt").read_text()
    assert "Startpoint: ff1/CLK (clocked by clk)" in text
    assert "Endpoint: ff2/D (clocked by clk)" in text
    assert f"{r.wns_ns:8.3f}          slack (MET)" in text
    assert "   0.310    0.310   0.070  v ff1/Q (DFF)" in text
    plot_slack_histogram(r, tmp_path / "s.png")
    assert (tmp_path / "s.png").read_bytes()[:4] == b"\x89PNG"
