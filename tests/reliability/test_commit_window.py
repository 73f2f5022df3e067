"""A kill at any instant of a stage's commit loses nothing: the old or the new result survives, whole."""

import json

import pytest

from tapeout.flow.config import load_design
from tapeout.flow.engine import UP_TO_DATE, Engine
from tests.flow.fake_stages import chain

from .helpers import start_cli, write_design


@pytest.mark.parametrize("step", [0, 1, 2])
def test_a_kill_during_commit_keeps_a_whole_result(tmp_path, step):
    build = tmp_path / "build"
    design = write_design(tmp_path, rows=4)
    Engine(load_design(design), chain([]), build).run()
    design = write_design(tmp_path, rows=8)  # the next run writes new results for every stage
    proc = start_cli(["run", "first", "-d", str(design), "--build-dir", str(build)],
                     env={"TAPEOUT_FAULT": f"commit:{step}"})
    proc.communicate(timeout=60)
    assert proc.returncode == 137  # killed inside the commit
    runs = []
    engine = Engine(load_design(design), chain(runs), build)
    engine.run()
    first = build / "t" / "first"
    stamp = json.loads((first / "stamp.json").read_text())
    assert (first / "a.txt").read_text() == "rows=8\n"
    assert stamp["outputs"]["a.txt"]["bytes"] == len("rows=8\n")
    # from step 1 on the new result was complete and is kept; before, the old one was restored and rerun
    assert ("first" in runs) == (step == 0)
    assert {o.status for o in engine.status()} == {UP_TO_DATE}
    assert sorted(p.name for p in (build / "t").iterdir() if p.name.startswith(".")) == [".lock"]
