"""The stage contract: declarations drive the engine; inputs are what is declared; hand-offs are safe."""

import json

import numpy as np
import pytest

from tapeout.errors import TapeoutError
from tapeout.flow.config import load_design
from tapeout.flow.engine import FAILED, RAN, STALE, UP_TO_DATE, Engine, OldBuildError
from tapeout.flow.stage import Artifact, Stage
from tapeout.flow.stage_table import stages_markdown
from tapeout.flow.stages import flow_stages
from tapeout.pnr.formats.arrays_file import HandoffError, load_arrays, save_arrays
from tests.conftest import ROOT

from .fake_stages import A_TXT, First, chain
from .test_engine import make_engine, statuses


def test_every_declared_input_is_an_earlier_stages_output():
    engine = Engine(load_design(ROOT / "designs" / "tc4x4.toml"), flow_stages())
    assert engine.order[:15] == ["arch", "rtl", "verify", "synth", "place", "resize", "cts", "route", "droute",
                                 "finish", "gds", "drc_lvs", "signoff", "package", "serve"]


def test_an_undeclared_input_is_a_programming_error(tmp_path):
    class Sneaky(Stage):
        name = "sneaky"
        inputs = (Artifact("first", "secret.txt", "text"),)

        def run(self, ctx):
            return {}

    with pytest.raises(ValueError, match="sneaky reads secret.txt of first, which first does not declare"):
        make_engine(tmp_path, [], stages=[First([]), Sneaky()])


def test_a_stage_sees_only_the_files_it_declares(tmp_path):
    class Writer(First):
        def run(self, ctx):
            (ctx.out_dir / "extra.txt").write_text("not declared\n")
            return super().run(ctx)

    class Reader(Stage):
        name = "reader"
        inputs = (A_TXT,)

        def run(self, ctx):
            assert ctx.path(A_TXT).read_text() == "rows=4\n"
            (ctx.input_dirs["first"] / "extra.txt").read_text()  # not declared: not there
            return {}

    outcomes = make_engine(tmp_path, [], stages=[Writer([]), Reader()]).run()
    assert statuses(outcomes) == {"first": RAN, "reader": FAILED}
    assert "extra.txt" in outcomes[1].message and "no such file" in outcomes[1].message


def test_a_truncated_output_makes_the_stage_stale(tmp_path):
    runs = []
    engine = make_engine(tmp_path, runs)
    engine.run()
    (engine.stage_dir("second") / "b.txt").write_text("rows=")
    assert statuses(engine.status())["second"] == STALE
    runs.clear()
    engine.run()
    assert runs == ["second"]
    assert (engine.stage_dir("second") / "b.txt").read_text() == "rows=4\ncols=4\n"


def test_an_older_build_directory_asks_for_force(tmp_path):
    engine = make_engine(tmp_path, [])
    engine.run()
    stamp_file = engine.stage_dir("first") / "stamp.json"
    stamp = json.loads(stamp_file.read_text())
    del stamp["format"]  # as the stamps of tapeout 0.1 were
    stamp_file.write_text(json.dumps(stamp))
    with pytest.raises(OldBuildError, match=r"build/t/first was written by another version of tapeout "
                                            r"\(build format 1, this version reads 2\); rerun with --force"):
        engine.run()
    assert statuses(engine.status())["first"] == STALE
    assert statuses(engine.run(force=True)) == {"first": RAN, "second": RAN, "third": RAN}
    assert statuses(engine.run()) == {"first": UP_TO_DATE, "second": UP_TO_DATE, "third": UP_TO_DATE}


def test_status_uses_the_options_of_the_last_run(tmp_path):
    engine = make_engine(tmp_path, [], stages=chain([]))
    engine.run(options={"hang_marker": None, "fail": None})
    assert set(statuses(engine.status()).values()) == {UP_TO_DATE}


def test_handoff_files_refuse_other_kinds_versions_and_garbage(tmp_path):
    path = tmp_path / "p.npz"
    save_arrays(path, "placement", 1, x=np.arange(3.0))
    assert load_arrays(path, "placement", 1)["x"].tolist() == [0.0, 1.0, 2.0]
    with pytest.raises(HandoffError, match="placement format 1, this tapeout reads 2; .* rerun with --force"):
        load_arrays(path, "placement", 2)
    with pytest.raises(HandoffError, match="not a global_route file"):
        load_arrays(path, "global_route", 1)
    path.write_bytes(b"PK\x03\x04 garbage")
    with pytest.raises(HandoffError, match="not a readable placement file"):
        load_arrays(path, "placement", 1)
    assert issubclass(HandoffError, TapeoutError)


def test_object_arrays_are_never_loaded(tmp_path):
    path = tmp_path / "evil.npz"
    np.savez(path, _kind=np.array("placement"), _version=np.array(1), x=np.array([object()], dtype=object))
    with pytest.raises(HandoffError, match="not a readable placement file"):
        load_arrays(path, "placement", 1)


def test_readme_stage_table_is_generated_from_the_declarations():
    readme = (ROOT / "README.md").read_text()
    start, end = "<!-- stage table: tapeout stages --markdown -->\n", "\n<!-- end of stage table -->"
    assert start in readme and end in readme
    table = readme.split(start, 1)[1].split(end, 1)[0]
    assert table == stages_markdown(flow_stages())


def test_run_help_lists_every_stage_option():
    from click.testing import CliRunner

    from tapeout.flow.cli import cli

    text = CliRunner().invoke(cli, ["run", "--help"]).output
    for stage in flow_stages():
        for option in stage.options:
            assert option.flag in text
