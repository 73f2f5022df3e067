"""The exploration loop: start trials while there is room, collect the finished ones, write the results.

Layout of build/explore/<space name>/:
  space.json            what decides the trials (a changed space file is refused by --resume)
  trials/t0007/         one trial: design.toml, <design>/ (its build), trial.log, trial.json
  optuna.journal        the Optuna study (nsga2/tpe search)
  explore.csv, explore.json, explore.html, front_*.png    the results
  .lock, .stop          one exploration at a time; Ctrl-C asks every running trial to stop
Finished stages are shared between trials (and explorations) through build/explore/.stage-index/.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from tapeout.explore.errors import SpaceError
from tapeout.explore.evaluation import evaluate
from tapeout.explore.html_page import write_page
from tapeout.explore.isolation import GRACE_S, INTERRUPTED
from tapeout.explore.live import LiveTable
from tapeout.explore.pictures import draw_fronts
from tapeout.explore.results import Results, collect, write_tables
from tapeout.explore.search import make_search
from tapeout.explore.space import Space
from tapeout.explore.trial import CRASHED, DEFAULT_FLOW, base_record, read_result, write_result
from tapeout.flow.lock import BuildLock
from tapeout.flow.stage import NO_PICTURES


@dataclass
class Outcome:
    """What an exploration left: its folder, the results, how many trials ran now, whether it was cut short."""

    folder: Path
    results: Results
    ran_now: int
    earlier: int
    interrupted: bool
    rate_per_min: float
    outputs: list[Path]


def explore_folder(space: Space, build_dir: Path) -> Path:
    return (Path(build_dir) / "explore" / space.name).resolve()


def finished_records(folder: Path) -> dict:
    """trial number -> record of every finished trial in the folder."""
    records = {}
    for path in sorted((folder / "trials").glob("t[0-9]*/trial.json")):
        trial = int(path.parent.name[1:])
        record = read_result(folder, trial)
        if record is not None:
            records[trial] = record
    return records


def _check_folder(space: Space, folder: Path, resume: bool, records: dict) -> None:
    """A folder of another space, or finished trials without --resume, is refused (nothing is overwritten)."""
    try:
        previous = json.loads((folder / "space.json").read_text())["identity"]
    except (OSError, ValueError, KeyError, TypeError):
        previous = None
    if previous is not None and previous != space.identity() and (records or resume):
        raise SpaceError(f"{folder} holds trials of a different space (design, stages, search, seed or [vary] "
                         f"changed); delete it or give the space another [explore] name")
    if records and not resume:
        raise SpaceError(f"{folder} already holds {len(records)} finished trials; add --resume to continue "
                         "(finished trials are not run again), or delete the folder to start afresh")


def run_exploration(space: Space, build_dir: Path, executor, trials: int | None = None, resume: bool = False,
                    trial_timeout_s: float | None = None, flow: str = DEFAULT_FLOW) -> Outcome:
    """Run the space's trials on `executor` (see executors.py), write the results, close the executor."""
    interrupted = False
    try:
        from tapeout.flow.config import load_design

        load_design(space.design)  # a broken base design stops here, with its own one-line message
        folder = explore_folder(space, build_dir)
        folder.mkdir(parents=True, exist_ok=True)
        with BuildLock(folder):
            records = finished_records(folder)
            _check_folder(space, folder, resume, records)
            if not resume:
                shutil.rmtree(folder / "trials", ignore_errors=True)
                (folder / "optuna.journal").unlink(missing_ok=True)
            (folder / "space.json").write_text(json.dumps({"identity": space.identity(),
                                                           "space": str(space.path)}) + "\n")
            (folder / ".stop").unlink(missing_ok=True)
            evaluations = {t: evaluate(r, space) for t, r in records.items()}
            search = make_search(space, trials or space.trials, set(records), folder, evaluations)
            earlier = len(records)
            job = {"explore_dir": str(folder), "design": str(space.design), "stages": list(space.stages),
                   "index": str(folder.parent / ".stage-index"), "flow": flow, "isolation": executor.isolation,
                   "options": {} if space.pictures else {NO_PICTURES.key: True},
                   "timeout_s": trial_timeout_s if trial_timeout_s is not None else space.trial_timeout_s}
            display = LiveTable(space, search.total(), earlier, executor.description)
            dispatcher = _Dispatcher(executor, search, space, job, records, display)
            with display:
                try:
                    dispatcher.run()
                except KeyboardInterrupt:
                    interrupted = True
                    (folder / ".stop").touch()
                    display.note("interrupted: stopping the running trials (their finished stages are kept)")
                    dispatcher.drain()
            rate = display.rate()
            results = collect(space, records)
            outputs = [*write_tables(results, folder)]
            pictures = draw_fronts(results, folder)
            outputs += [write_page(results, pictures, folder), *pictures]
            return Outcome(folder, results, display.finished_now(), earlier, interrupted, rate, outputs)
    finally:
        executor.close(cancel=interrupted)


class _Dispatcher:
    """Keeps the executor busy: starts trials while there is room and records those that finish."""

    def __init__(self, executor, search, space: Space, job: dict, records: dict, display: LiveTable):
        self.executor, self.search, self.space, self.job = executor, search, space, job
        self.records, self.display = records, display
        self.inflight: dict = {}  # future -> the trial's job

    def run(self) -> None:
        while True:
            while len(self.inflight) < self.executor.capacity():
                proposal = self.search.next_trial()
                if proposal is None:
                    break
                trial, values = proposal
                trial_job = {**self.job, "trial": trial, "values": values}
                self.inflight[self.executor.submit(trial_job)] = trial_job
                self.display.started_trial(trial, values)
            if not self.inflight:
                return
            if not self.collect_done():
                self.executor.wait(list(self.inflight), 0.25)
                self.display.refresh()

    def collect_done(self) -> int:
        """Record every finished trial; return how many there were."""
        done = [f for f in self.inflight if f.done()]
        for future in done:
            job = self.inflight.pop(future)
            record = _record_of(future, job)
            if record["status"] == INTERRUPTED:
                self.search.abandoned(job["trial"])
                continue
            self.records[job["trial"]] = record
            evaluation = evaluate(record, self.space)
            self.search.finished(evaluation)
            self.display.finished_trial(record, evaluation)
        return len(done)

    def drain(self) -> None:
        """After Ctrl-C: wait (briefly) for the running trials to stop; keep those that finished anyway."""
        deadline = time.monotonic() + GRACE_S + 5
        while self.inflight and time.monotonic() < deadline:
            if not self.collect_done():
                time.sleep(0.05)
        for job in self.inflight.values():
            self.search.abandoned(job["trial"])
        self.inflight.clear()


def _record_of(future, job: dict) -> dict:
    """The trial's record; a worker that died (not the trial's own process) is recorded as a crash."""
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a broken worker must not lose the other trials
        record = read_result(Path(job["explore_dir"]), job["trial"])
        if record is not None:
            return record
        record = base_record(job)
        record.update(status=CRASHED, message=f"the worker running the trial failed: {type(exc).__name__}: {exc}")
        return write_result(Path(job["explore_dir"]), record)
