"""Explorations end to end on the fake flow: failures, timeouts and crashes recorded per trial, stages
shared between trials, results written, and --resume after a killed run repeating no finished trial."""

import csv
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tapeout.explore.errors import SpaceError
from tapeout.explore.executors import PoolExecutor
from tapeout.explore.runner import run_exploration
from tapeout.explore.space import load_space
from tests.conftest import ROOT
from tests.explore.conftest import runs
from tests.explore.fake_flow import FAKE_FLOW


def explore(path, build, workers=2, **kwargs):
    return run_exploration(load_space(path), build, PoolExecutor(workers, FAKE_FLOW, ()), flow=FAKE_FLOW, **kwargs)


def test_failed_timed_out_and_crashed_trials_are_recorded_and_the_rest_complete(make_space, tmp_path):
    space = make_space("tensor_core.rows = [1, 3, 5, 7]\ntensor_core.cols = [1, 2]", extra="trial_timeout_s = 8")
    outcome = explore(space, tmp_path / "build")
    folder = tmp_path / "build" / "explore" / "fake"
    assert outcome.folder == folder and outcome.ran_now == 8 and not outcome.interrupted
    records = outcome.results.records
    assert [records[t]["status"] for t in range(8)] == ["done"] * 2 + ["failed"] * 2 + ["timeout"] * 2 + ["crashed"] * 2
    assert records[2]["message"] == "stage speed failed: three rows are not allowed"
    assert records[2]["log"] == "trials/t0002/fake/speed.failed/log.txt"
    assert "three rows are not allowed" in (folder / records[2]["log"]).read_text()
    assert records[4]["message"] == "stopped after 8 s (trial timeout)"
    assert "stage speed: started" in (folder / records[4]["log"]).read_text()  # the log shows where it hung
    assert records[6]["message"] == "the trial's process was killed by SIGKILL"
    # 1x1 (area 10, 1000 cycles) is beaten by 1x2 (area 20, 500 cycles): the front is trial 1 alone
    assert outcome.results.front == [1]
    with (folder / "explore.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert [r["trial"] for r in rows[:1]] == ["1"] and rows[0]["pareto"] == "True" and len(rows) == 8
    assert rows[0]["tensor_core.rows"] == "1" and rows[0]["fake__cycles__count"] == "500.0"
    summary = json.loads((folder / "explore.json").read_text())
    assert summary["counts"] == {"finished": 8, "done": 2, "feasible": 2, "failed": 6, "pareto": 1}
    page = (folder / "explore.html").read_text()
    assert "href='trials/t0001/fake/report.html'" in page and (folder / "trials/t0001/fake/report.html").exists()
    picture = folder / "front_fake__area__um2_vs_fake__cycles__count.png"
    assert picture.stat().st_size > 10_000 and f"src='{picture.name}'" in page


def test_trials_share_finished_stages(make_space, tmp_path):
    space = make_space("tensor_core.rows = [1, 2]\ndesign.clock_period_ns = [5.0, 10.0]")
    outcome = explore(space, tmp_path / "build", workers=1)
    # shape reads rows and cols only: it runs once per row count; speed reads the clock: once per trial
    assert sorted(runs(tmp_path)) == ["shape 1x1", "shape 2x1", "speed 1x1", "speed 1x1", "speed 2x1", "speed 2x1"]
    assert outcome.results.records[1]["stages"] == {"shape": "reused", "speed": "ran"}
    design = (outcome.folder / "trials" / "t0001" / "design.toml").read_text()
    assert "clock_period_ns = 10.0" in design and "rows = 1" in design


def test_finished_trials_need_resume_and_are_not_run_again(make_space, tmp_path):
    space = make_space("tensor_core.rows = [1, 2]")
    explore(space, tmp_path / "build", workers=1)
    with pytest.raises(SpaceError, match=r"already holds 2 finished trials; add --resume to continue"):
        explore(space, tmp_path / "build", workers=1)
    before = runs(tmp_path)
    outcome = explore(space, tmp_path / "build", workers=1, resume=True)
    assert (outcome.ran_now, outcome.earlier, runs(tmp_path)) == (0, 2, before)
    space.write_text(space.read_text().replace("[1, 2]", "[1, 4]"))
    with pytest.raises(SpaceError, match=r"holds trials of a different space"):
        explore(space, tmp_path / "build", workers=1, resume=True)


KILLABLE = """
import signal
import sys
from pathlib import Path

from tapeout.explore.executors import PoolExecutor
from tapeout.explore.runner import run_exploration
from tapeout.explore.space import load_space
from tests.explore.fake_flow import FAKE_FLOW

if __name__ == "__main__":  # the pool's workers are spawned: they import this file
    signal.signal(signal.SIGINT, signal.default_int_handler)  # a background job inherits SIGINT ignored
    run_exploration(load_space(sys.argv[1]), Path(sys.argv[2]), PoolExecutor(1, FAKE_FLOW, ()), flow=FAKE_FLOW)
"""


def start_exploration(space, tmp_path):
    """The exploration of `space` in a process of its own (one worker), to be killed or interrupted."""
    script = tmp_path / "killable.py"
    script.write_text(KILLABLE)
    return subprocess.Popen([sys.executable, str(script), str(space), str(tmp_path / "build")], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_resume_after_a_killed_run_repeats_no_finished_trial(make_space, tmp_path, monkeypatch):
    monkeypatch.setenv("TAPEOUT_FAKE_SLEEP", "0.4")
    space = make_space("tensor_core.rows = [1, 2, 4, 6]\ntensor_core.cols = [1]")
    trials = tmp_path / "build" / "explore" / "fake" / "trials"
    process = start_exploration(space, tmp_path)
    deadline = time.monotonic() + 120
    while len(list(trials.glob("*/trial.json"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    time.sleep(1.5)  # the orphaned worker and trial notice their parent is gone and stop
    counted = runs(tmp_path)
    time.sleep(1.0)
    assert runs(tmp_path) == counted  # nothing runs on behind the killed exploration
    # taken once all has stopped: a trial in its last moments at the kill may still have recorded itself
    finished = {p.parent.name: p.read_bytes() for p in trials.glob("*/trial.json")}
    assert 2 <= len(finished) < 4

    outcome = explore(space, tmp_path / "build", workers=1, resume=True)
    assert outcome.earlier == len(finished) and outcome.ran_now == 4 - len(finished)
    assert all(outcome.results.records[t]["status"] == "done" for t in range(4))
    for name, content in finished.items():
        assert (trials / name / "trial.json").read_bytes() == content
    shape = {"t0000": "1x1", "t0001": "2x1", "t0002": "4x1", "t0003": "6x1"}
    for name in finished:
        assert runs(tmp_path).count(f"speed {shape[name]}") == 1  # a finished trial never ran again


def test_ctrl_c_stops_the_running_trials_cleanly_and_resume_finishes(make_space, tmp_path, monkeypatch):
    monkeypatch.setenv("TAPEOUT_FAKE_SLEEP", "3")
    space = make_space("tensor_core.rows = [1, 2, 4]\ntensor_core.cols = [1]")
    folder = tmp_path / "build" / "explore" / "fake"
    process = start_exploration(space, tmp_path)
    deadline = time.monotonic() + 120
    while not list((folder / "trials").glob("*/trial.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    while runs(tmp_path).count("speed 2x1") == 0 and time.monotonic() < deadline:
        time.sleep(0.05)  # trial 1 is inside its `speed` stage
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 0, process.stderr.read().decode()
    assert [p.parent.name for p in (folder / "trials").glob("*/trial.json")] == ["t0000"]
    assert not (folder / "trials" / "t0001" / "fake" / "speed").exists()  # the interrupted stage left nothing
    assert (folder / "trials" / "t0001" / "fake" / "shape" / "stamp.json").exists()  # its finished stage stays
    assert "interrupted" in (folder / "trials" / "t0001" / "trial.log").read_text()
    assert len((folder / "explore.csv").read_text().splitlines()) == 2  # the header and trial 0

    outcome = explore(space, tmp_path / "build", workers=1, resume=True)
    assert (outcome.earlier, outcome.ran_now) == (1, 2)
    assert outcome.results.records[1]["stages"] == {"shape": "up to date", "speed": "ran"}
