"""The flow report: written after a run, every picture it shows exists, gates and links present."""

from html.parser import HTMLParser

from tapeout.flow.cli import main


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images, self.links = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.images.append(attrs["src"])
        elif tag == "a" and not attrs["href"].startswith("#"):
            self.links.append(attrs["href"])


def test_report_after_the_counter_flow(project, capsys):
    assert main(["run", "-d", "counter"]) == 0
    assert "report: build/counter/report.html" in capsys.readouterr().out
    folder = project / "build" / "counter"
    parser = Links()
    parser.feed((folder / "report.html").read_text())
    assert set(parser.images) == {"place/placement.png", "place/density.png", "cts/clock_tree.png",
                                  "route/congestion.png", "droute/routes.png", "droute/region.svg",
                                  "gds/layout.png", "drc_lvs/drc.png", "signoff/slack_histogram.png",
                                  "signoff/layout_drc.png"}
    for path in parser.images + parser.links:
        assert (folder / path).exists(), path
    assert "signoff/timing.rpt" in parser.links and "place/counter.def" in parser.links \
        and "resize/counter.def" in parser.links
    md = (folder / "report.md").read_text()
    assert "| signoff | up to date | PASS setup met, PASS hold met, PASS no DRC violation" in md \
        or "| signoff | ran | PASS setup met" in md


def test_report_command_before_any_run(project, capsys):
    assert main(["report", "-d", "counter"]) == 0
    md = (project / "build" / "counter" / "report.md").read_text()
    assert "| synth | never run |" in md


def test_report_says_when_a_stage_ran_without_pictures(tmp_path):
    from tapeout.flow.config import load_design
    from tapeout.flow.engine import Engine
    from tapeout.flow.report import write_report

    from .fake_stages import Drawing
    from .test_engine import DESIGN

    (tmp_path / "t.toml").write_text(DESIGN.format(rows=4, clock=10.0))
    engine = Engine(load_design(tmp_path / "t.toml"), [Drawing([])], tmp_path / "build")
    engine.run(options={"no_pictures": True})
    html_path, md_path = write_report(engine)
    note = "pictures not drawn (the stage ran with --no-pictures; `tapeout run drawing` draws them)"
    assert note in md_path.read_text() and note in html_path.read_text()
    parser = Links()
    parser.feed(html_path.read_text())
    assert parser.images == [] and parser.links == ["drawing/d.json", "drawing/log.txt"]
    engine.run()
    parser = Links()
    parser.feed(write_report(engine)[0].read_text())
    assert parser.images == ["drawing/d.png"] and note not in md_path.read_text()
