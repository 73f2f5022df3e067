"""The warm server of a threaded worker: one process per thread forks every trial; crashes and timeouts
end the trial, not the server."""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from tapeout.explore.isolation import GRACE_S, run_isolated
from tapeout.explore.trial import CRASHED, DONE, FAILED, TIMEOUT
from tapeout.explore.warm_server import server_for_this_thread
from tests.conftest import ROOT
from tests.explore.conftest import BASE, runs
from tests.explore.fake_flow import FAKE_FLOW


def test_one_server_per_thread_forks_every_trial(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # the server imports the fake flow from tests/
    monkeypatch.setenv("TAPEOUT_FAKE_RUNS", str(tmp_path / "runs.txt"))
    (tmp_path / "base.toml").write_text(BASE)
    job = {"explore_dir": str(tmp_path / "explore"), "design": str(tmp_path / "base.toml"), "stages": [],
           "index": str(tmp_path / "index"), "flow": FAKE_FLOW, "isolation": "warm"}

    def trial(number, rows, timeout_s=None):
        values = {"tensor_core.rows": rows, "tensor_core.cols": 1}
        return run_isolated({**job, "trial": number, "values": values, "timeout_s": timeout_s})

    assert trial(0, 1)["status"] == DONE
    server = server_for_this_thread()
    assert trial(1, 3)["status"] == FAILED
    assert trial(2, 5, timeout_s=2)["status"] == TIMEOUT  # killed with its process group; the server lives on
    crashed = trial(3, 7)
    assert crashed["status"] == CRASHED and crashed["message"] == "the trial's process was killed by SIGKILL"
    assert trial(4, 2)["status"] == DONE
    assert server_for_this_thread() is server and server.alive()
    pids = {int(line.split("(pid ")[1].rstrip(")\n")) for n in range(5)
            for line in (tmp_path / "explore" / "trials" / f"t{n:04d}" / "trial.log").read_text().splitlines()[:1]}
    assert len(pids) == 5 and server.process.pid not in pids and os.getpid() not in pids
    assert runs(tmp_path) == ["shape 1x1", "speed 1x1", "shape 3x1", "speed 3x1", "shape 5x1", "speed 5x1",
                              "shape 7x1", "speed 7x1", "shape 2x1", "speed 2x1"]

    other = []
    thread = threading.Thread(target=lambda: other.append(server_for_this_thread()))
    thread.start()
    thread.join()
    assert other[0] is not server  # each worker thread has its own
    other[0].process.stdin.close()
    assert other[0].process.wait(timeout=30) == 0  # a server whose worker is gone leaves
    server.process.stdin.close()
    assert server.process.wait(timeout=30) == 0


WORKER = """
import json, sys, time
from tapeout.explore.warm_server import WarmServer
server = WarmServer()
print(server.process.pid, server.start(json.loads(sys.argv[1])), flush=True)
time.sleep(600)
"""


def gone(pid: int) -> bool:
    """The process has ended (a zombie waiting for a parent that does not reap counts as ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_a_server_whose_worker_dies_stops_its_trial_and_leaves(tmp_path, monkeypatch):
    (tmp_path / "base.toml").write_text(BASE)
    job = {"explore_dir": str(tmp_path / "explore"), "design": str(tmp_path / "base.toml"), "stages": [],
           "index": str(tmp_path / "index"), "flow": FAKE_FLOW, "isolation": "warm", "trial": 0,
           "values": {"tensor_core.rows": 5, "tensor_core.cols": 1}}  # 5 rows: the trial hangs
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TAPEOUT_FAKE_RUNS": str(tmp_path / "runs.txt")}
    worker = subprocess.Popen([sys.executable, "-c", WORKER, json.dumps(job)], stdout=subprocess.PIPE, text=True,
                              env=env)
    server, trial = (int(word) for word in worker.stdout.readline().split())
    deadline = time.monotonic() + 60
    while runs(tmp_path) != ["shape 5x1", "speed 5x1"] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert runs(tmp_path) == ["shape 5x1", "speed 5x1"]  # the trial hangs in `speed`
    worker.kill()
    worker.wait()
    deadline = time.monotonic() + GRACE_S + 30
    while not (gone(trial) and gone(server)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert gone(trial) and gone(server)
    assert "interrupted" in (tmp_path / "explore" / "trials" / "t0000" / "trial.log").read_text()
