"""The make-style engine: up-to-date detection, selective reruns, failures, interrupts, the lock."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tapeout.errors import LockedError, UsageError
from tapeout.flow.config import load_design
from tapeout.flow.engine import BLOCKED, FAILED, NEVER_RUN, RAN, STALE, UP_TO_DATE, Engine, Interrupted
from tapeout.flow.lock import BuildLock

from .fake_stages import Buggy, Drawing, First, Forgetful, Second, SometimesStandalone, Undrawn, chain

DESIGN = """
[design]
name = "t"
clock_period_ns = {clock}

[tensor_core]
rows = {rows}
cols = 4

[tile_buffer]
width = 256
"""


def make_engine(tmp_path, runs, rows=4, clock=10.0, stages=None):
    path = tmp_path / "t.toml"
    path.write_text(DESIGN.format(rows=rows, clock=clock))
    return Engine(load_design(path), stages or chain(runs), tmp_path / "build")


def statuses(outcomes):
    return {o.name: o.status for o in outcomes}


def test_first_run_runs_everything_and_writes_records(tmp_path):
    runs = []
    engine = make_engine(tmp_path, runs)
    outcomes = engine.run()
    assert runs == ["first", "second", "third"]
    assert statuses(outcomes) == {"first": RAN, "second": RAN, "third": RAN}
    folder = tmp_path / "build" / "t" / "third"
    assert (folder / "c.txt").read_text() == "rows=4\ncols=4\n"
    assert json.loads((folder / "metrics.json").read_text())["third__runtime__s"] >= 0
    assert (folder / "log.txt").exists() and (folder / "stamp.json").exists()


def test_second_run_with_nothing_changed_does_nothing(tmp_path):
    runs = []
    make_engine(tmp_path, runs).run()
    runs.clear()
    outcomes = make_engine(tmp_path, runs).run()
    assert runs == []
    assert set(statuses(outcomes).values()) == {UP_TO_DATE}


def test_changing_one_key_reruns_its_reader_and_those_after(tmp_path):
    runs = []
    make_engine(tmp_path, runs).run()
    runs.clear()
    make_engine(tmp_path, runs, clock=5.0).run()
    assert runs == ["third"]
    runs.clear()
    make_engine(tmp_path, runs, rows=8).run()
    assert runs == ["first", "second", "third"]


def test_a_missing_output_reruns_the_stage(tmp_path):
    runs = []
    engine = make_engine(tmp_path, runs)
    engine.run()
    runs.clear()
    (engine.stage_dir("second") / "b.txt").unlink()
    engine.run()
    assert runs == ["second"]  # b.txt comes back identical, so third stays up to date


def test_targets_pull_in_dependencies_only(tmp_path):
    runs = []
    make_engine(tmp_path, runs).run(["second"])
    assert runs == ["first", "second"]


def test_a_stage_may_need_fewer_inputs_for_some_designs(tmp_path):
    runs = []
    stages = [First(runs), Second(runs), SometimesStandalone(runs)]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    outcomes = make_engine(tmp_path / "a", runs, rows=8, stages=stages).run(["third"])
    assert runs == ["third"] and statuses(outcomes) == {"third": RAN}
    assert (tmp_path / "a" / "build" / "t" / "third" / "c.txt").read_text() == "stated\n"
    runs.clear()
    make_engine(tmp_path / "b", runs, rows=4, stages=stages).run(["third"])
    assert runs == ["first", "second", "third"]


def test_force_from_and_to(tmp_path):
    runs = []
    engine = make_engine(tmp_path, runs)
    engine.run()
    runs.clear()
    engine.run(["first"], force=True)
    assert runs == ["first"]
    runs.clear()
    engine.run(start="second")
    assert runs == ["second", "third"]
    runs.clear()
    engine.run(start="first", stop="second")
    assert runs == ["first", "second"]


def test_unknown_stage_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="unknown stage 'sinth'; stages are: first, second, third"):
        make_engine(tmp_path, []).run(["sinth"])


def test_failed_stage_keeps_earlier_results_and_blocks_later_ones(tmp_path):
    runs = []
    engine = make_engine(tmp_path, runs)
    engine.run()
    good = (engine.stage_dir("second") / "b.txt").read_text()
    outcomes = make_engine(tmp_path, runs, rows=8).run(options={"fail": True})
    assert statuses(outcomes) == {"first": RAN, "second": FAILED, "third": BLOCKED}
    failed = next(o for o in outcomes if o.status == FAILED)
    assert failed.message == "second: asked to fail"
    assert failed.log == tmp_path / "build" / "t" / "second.failed" / "log.txt"
    assert "FAILED: second: asked to fail" in failed.log.read_text()
    # the previous good result is still there, and is not taken as up to date
    assert (engine.stage_dir("second") / "b.txt").read_text() == good
    status = statuses(make_engine(tmp_path, []).status())
    assert status["second"] == FAILED and status["third"] == STALE


def test_success_after_failure_clears_the_failed_run(tmp_path):
    engine = make_engine(tmp_path, [])
    engine.run(options={"fail": True})
    assert engine.failed_dir("second").exists()
    engine.run()
    assert not engine.failed_dir("second").exists()
    assert set(statuses(engine.status()).values()) == {UP_TO_DATE}


def test_stage_that_forgets_an_output_fails(tmp_path):
    runs = []
    outcome, = make_engine(tmp_path, runs, stages=[Forgetful(runs)]).run()
    assert outcome.status == FAILED
    assert outcome.message == "stage forgetful did not write never.txt"


def test_internal_error_is_one_line_with_traceback_in_log(tmp_path):
    outcome, = make_engine(tmp_path, [], stages=[Buggy([])]).run()
    assert outcome.status == FAILED
    assert outcome.message == "internal error: KeyError: 'missing'"
    assert "Traceback" in outcome.log.read_text()


def test_interrupted_stage_is_discarded(tmp_path):
    runs = []
    engine = make_engine(tmp_path, runs)
    engine.run()
    stamp = (engine.stage_dir("second") / "stamp.json").read_text()
    with pytest.raises(Interrupted, match="interrupted during stage second"):
        make_engine(tmp_path, runs, rows=8).run(options={"interrupt": True})
    assert (engine.stage_dir("second") / "stamp.json").read_text() == stamp
    assert not list((tmp_path / "build" / "t").glob(".second.tmp"))
    assert statuses(engine.status())["second"] == STALE


KILLED_RUN = """
import sys
sys.path.insert(0, {root!r})
from pathlib import Path
from tapeout.flow.config import load_design
from tapeout.flow.engine import Engine
from tests.flow.fake_stages import chain
engine = Engine(load_design({design!r}), chain([]), Path({build!r}))
engine.run(force=True, options={{"hang_marker": {marker!r}}})
"""


def test_killed_run_is_never_taken_as_done(tmp_path):
    runs = []
    engine = make_engine(tmp_path, runs)
    engine.run()
    marker = tmp_path / "started"
    script = KILLED_RUN.format(root=str(Path(__file__).parents[2]), design=str(tmp_path / "t.toml"),
                               build=str(tmp_path / "build"), marker=str(marker))
    proc = subprocess.Popen([sys.executable, "-c", script])
    for _ in range(300):
        if marker.exists():
            break
        time.sleep(0.05)
    assert marker.exists(), "the child run never reached the hanging stage"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert list((tmp_path / "build" / "t").glob(".second.tmp"))  # left behind by the kill
    runs.clear()
    outcomes = engine.run()
    # first was rerun by the killed process (forced) and succeeded; second's partial run is discarded
    assert statuses(outcomes)["third"] in (RAN, UP_TO_DATE)
    assert not list((tmp_path / "build" / "t").glob(".second.tmp"))
    assert (engine.stage_dir("third") / "c.txt").read_text() == "rows=4\ncols=4\n"


def test_lock_keeps_a_second_run_out(tmp_path):
    engine = make_engine(tmp_path, [])
    with BuildLock(engine.dir):
        with pytest.raises(LockedError, match=r"build/t is in use by another tapeout run \(pid \d+\)"):
            engine.run()
    assert statuses(engine.run())["first"] == RAN


def test_status_before_and_after(tmp_path):
    engine = make_engine(tmp_path, [])
    assert set(statuses(engine.status()).values()) == {NEVER_RUN}
    engine.run(["first"])
    assert statuses(engine.status()) == {"first": UP_TO_DATE, "second": NEVER_RUN, "third": NEVER_RUN}
    stale = make_engine(tmp_path, [], rows=2)
    assert statuses(stale.status())["first"] == STALE


def test_metrics_and_clean(tmp_path):
    engine = make_engine(tmp_path, [])
    engine.run()
    assert engine.metrics()["first__rows__count"] == 4
    engine.clean("second")
    assert not engine.stage_dir("second").exists()
    assert statuses(engine.status())["second"] == NEVER_RUN
    engine.clean()
    assert not engine.dir.exists()


NO_PICTURES = {"no_pictures": True}


def test_a_run_without_pictures_is_not_up_to_date_for_a_run_with_them(tmp_path):
    runs = []
    engine = make_engine(tmp_path, runs, stages=[First(runs), Drawing(runs)])
    folder = engine.stage_dir("drawing")
    assert statuses(engine.run(options=NO_PICTURES)) == {"first": RAN, "drawing": RAN}
    assert (folder / "d.json").exists() and not (folder / "d.png").exists()
    assert json.loads((folder / "stamp.json").read_text())["options"] == NO_PICTURES
    assert statuses(engine.run(options=NO_PICTURES)) == {"first": UP_TO_DATE, "drawing": UP_TO_DATE}
    runs.clear()
    assert statuses(engine.run()) == {"first": UP_TO_DATE, "drawing": RAN}  # only the stage that declares it
    assert runs == ["drawing"] and (folder / "d.png").read_bytes() == b"\x89PNG drawn"
    assert statuses(engine.run()) == {"first": UP_TO_DATE, "drawing": UP_TO_DATE}


def test_status_takes_a_run_without_pictures_by_its_recorded_options(tmp_path):
    runs = []
    engine = make_engine(tmp_path, runs, stages=[Drawing(runs)])
    engine.run(options=NO_PICTURES)
    assert statuses(engine.status()) == {"drawing": UP_TO_DATE}
    (engine.stage_dir("drawing") / "d.json").unlink()
    assert statuses(engine.status()) == {"drawing": STALE}


def test_a_stage_must_draw_its_pictures_unless_asked_not_to(tmp_path):
    runs = []
    engine = make_engine(tmp_path, runs, stages=[Undrawn(runs)])
    outcome, = engine.run()
    assert outcome.status == FAILED and "did not write u.png" in outcome.message
    assert statuses(engine.run(options=NO_PICTURES)) == {"undrawn": RAN}
