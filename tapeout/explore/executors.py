"""Where trials run: a local process pool (the default) or a Dask cluster.

An executor submits a job (plain data, see `trial.py`) and returns a future with `done()` and
`result()`; both `concurrent.futures` and `dask.distributed` futures have them. `capacity()` is how
many trials should be in flight at once; `wait(futures, seconds)` returns when one of them is done
or the time is up. Trials read and write the exploration's folder, so a
cluster's workers must see it at the same path (a shared filesystem, as on any Slurm/PBS/LSF site).
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor
from concurrent.futures import wait as wait_for_first

from tapeout.explore.errors import ExploreError
from tapeout.explore.isolation import run_isolated, start_pool_worker


class PoolExecutor:
    """`workers` local processes (spawned, so the exploration's own threads are not forked); each warms
    up once (imports and code digests of the stages the base `design` needs; matplotlib only when the
    trials draw `pictures`) and forks one child per trial."""

    isolation = "fork"

    def __init__(self, workers: int | None, flow: str, stages, design=None, pictures: bool = True):
        self.workers = workers or os.cpu_count() or 1
        self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=start_pool_worker,
                                        initargs=(flow, list(stages), design and str(design), pictures))
        self.description = f"{self.workers} local worker process{'es' * (self.workers != 1)}"

    def capacity(self) -> int:
        """Two trials per worker: each worker has its next trial queued and forks it as soon as the last one
        ends, without waiting for the exploration to hear of the end and send another."""
        return 2 * self.workers

    def submit(self, job: dict):
        return self.pool.submit(run_isolated, job)

    def wait(self, futures, seconds: float) -> None:
        wait_for_first(futures, timeout=seconds, return_when=FIRST_COMPLETED)

    def close(self, cancel: bool = False) -> None:
        self.pool.shutdown(wait=True, cancel_futures=cancel)


class DaskExecutor:
    """Trials as tasks on a Dask cluster: an existing scheduler (`address`) or a LocalCluster of
    `local_workers` single-threaded worker processes. Each worker thread forks its trials from a warm
    server of its own (`warm_server.py`), so a worker imports the flow once, not once per trial."""

    isolation = "warm"

    def __init__(self, address: str | None = None, local_workers: int | None = None, connect_timeout_s: float = 20):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ExploreError("--dask and --dask-local need dask.distributed: pip install 'tapeout[dask]'") from None
        self.cluster = None
        try:
            if local_workers:
                self.cluster = LocalCluster(n_workers=local_workers, threads_per_worker=1, processes=True,
                                            dashboard_address=None)
                self.client = Client(self.cluster)
                self.description = f"a Dask LocalCluster of {local_workers} worker{'s' * (local_workers != 1)}"
            else:
                self.client = Client(address, timeout=f"{connect_timeout_s}s")
                self.description = f"the Dask scheduler at {address}"
        except (OSError, TimeoutError, ValueError) as exc:
            self.close()
            where = f"the Dask scheduler at {address}" if address else "a Dask LocalCluster"
            raise ExploreError(f"cannot start or reach {where}: {exc}") from None

    def capacity(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def submit(self, job: dict):
        return self.client.submit(run_isolated, job, pure=False, key=f"tapeout-trial-{job['trial']}-{os.getpid()}")

    def wait(self, futures, seconds: float) -> None:
        """A short sleep: the dispatcher polls Dask futures."""
        time.sleep(min(seconds, 0.05))

    def close(self, cancel: bool = False) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self.cluster is not None:
            self.cluster.close()
