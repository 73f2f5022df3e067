"""Executors: the Dask executor runs a small space on a LocalCluster; a missing scheduler is one line."""

import pytest

from tapeout.explore.errors import ExploreError
from tapeout.explore.runner import run_exploration
from tapeout.explore.space import load_space
from tests.conftest import ROOT
from tests.explore.conftest import runs
from tests.explore.fake_flow import FAKE_FLOW

pytest.importorskip("distributed", reason="the Dask executor needs dask.distributed (pip install 'tapeout[dask]')")
pytestmark = [pytest.mark.dask, pytest.mark.slow]


def test_dask_local_cluster_runs_every_trial(make_space, tmp_path, monkeypatch):
    from tapeout.explore.executors import DaskExecutor

    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # the trials' processes import the fake flow from tests/
    space = load_space(make_space("tensor_core.rows = [1, 2, 3]\ntensor_core.cols = [1]"))
    executor = DaskExecutor(local_workers=2)
    assert executor.capacity() == 2 and executor.isolation == "warm"
    outcome = run_exploration(space, tmp_path / "build", executor, flow=FAKE_FLOW)
    records = outcome.results.records
    assert [records[t]["status"] for t in range(3)] == ["done", "done", "failed"]
    assert records[2]["message"] == "stage speed failed: three rows are not allowed"
    assert sorted(r for r in runs(tmp_path) if r.startswith("shape")) == ["shape 1x1", "shape 2x1", "shape 3x1"]
    assert outcome.results.front == [1]  # 2x1: more area, fewer cycles


def test_unreachable_scheduler_is_one_line():
    from tapeout.explore.executors import DaskExecutor

    with pytest.raises(ExploreError, match=r"^cannot start or reach the Dask scheduler at tcp://127.0.0.1:9: "):
        DaskExecutor("tcp://127.0.0.1:9", connect_timeout_s=1)
