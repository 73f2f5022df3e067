"""One trial: the base design with the trial's values, run through the flow in the trial's own folder.

A trial folder `<explore>/trials/t0007/` holds `design.toml` (the trial's design), `<design>/` (an
ordinary build directory: `tapeout status -d .../t0007/design.toml --build-dir .../t0007` shows it),
`trial.log` (which stage started, ended, was reused) and `trial.json`, written last and atomically:
a trial with a `trial.json` is finished and never run again by `--resume`.

A job is plain data (it travels to a process pool or a Dask worker):
  trial (int), values ({key: value}), explore_dir, design (base TOML), stages ([names]),
  index (stage index folder), flow ("module:function" giving the stage list), timeout_s, isolation,
  options (the engine's run options, e.g. {"no_pictures": true}; hashed like `tapeout run`'s).
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
from pathlib import Path

DEFAULT_FLOW = "tapeout.flow.stages:flow_stages"
DONE, FAILED, TIMEOUT, CRASHED = "done", "failed", "timeout", "crashed"


def trial_dir(explore_dir: Path, trial: int) -> Path:
    return Path(explore_dir) / "trials" / f"t{trial:04d}"


def result_path(explore_dir: Path, trial: int) -> Path:
    return trial_dir(explore_dir, trial) / "trial.json"


def read_result(explore_dir: Path, trial: int) -> dict | None:
    """The finished trial's record, or None when it has not finished."""
    try:
        record = json.loads(result_path(explore_dir, trial).read_text())
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and record.get("trial") == trial else None


def write_result(explore_dir: Path, record: dict) -> dict:
    """Write `trial.json` atomically; the trial counts as finished from then on."""
    path = result_path(explore_dir, record["trial"])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".trial.json.{os.getpid()}")
    tmp.write_text(json.dumps(record, indent=1, default=str) + "\n")
    tmp.replace(path)
    return record


def load_flow(flow: str):
    module, _, function = flow.partition(":")
    return getattr(importlib.import_module(module), function)()


def base_record(job: dict) -> dict:
    folder = trial_dir(job["explore_dir"], job["trial"])
    return {"trial": job["trial"], "values": job["values"], "status": FAILED, "message": "",
            "log": str((folder / "trial.log").relative_to(job["explore_dir"])), "report": None,
            "runtime_s": 0.0, "metrics": {}, "stages": {}}


class TrialLog:
    """Engine hooks that write one line per stage event into trial.log."""

    def __init__(self, path: Path):
        self.path = path
        self.started = time.perf_counter()

    def line(self, text: str) -> None:
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(f"[{time.perf_counter() - self.started:8.2f} s] {text}\n")

    def hooks(self):
        from tapeout.flow.engine import Hooks

        return Hooks(stage_start=lambda stage: self.line(f"stage {stage.name}: started"),
                     stage_end=lambda o: self.line(f"stage {o.name}: {o.status}"
                                                   + (f" ({o.message})" if o.message else "")))


def run_trial(job: dict) -> dict:
    """Run the job's trial in this process; write and return its record (status done or failed)."""
    from tapeout.errors import TapeoutError
    from tapeout.explore.stage_index import publish_stages, reuse_stages
    from tapeout.explore.trial_design import write_trial_design
    from tapeout.flow.config import load_design
    from tapeout.flow.engine import FAILED as STAGE_FAILED
    from tapeout.flow.engine import RAN, Engine, Interrupted
    from tapeout.flow.report import write_report

    started = time.perf_counter()
    explore_dir = Path(job["explore_dir"])
    folder = trial_dir(explore_dir, job["trial"])
    folder.mkdir(parents=True, exist_ok=True)
    log = TrialLog(folder / "trial.log")
    log.line(f"trial {job['trial']}: {json.dumps(job['values'])} (pid {os.getpid()})")
    record = base_record(job)
    base = Path(job["design"])
    if str(base.parent) not in sys.path:  # an Amaranth component next to the base design imports as in `tapeout run`
        sys.path.append(str(base.parent))
    try:
        config = load_design(write_trial_design(base, job["values"], folder / "design.toml"))
        engine = Engine(config, load_flow(job.get("flow", DEFAULT_FLOW)), folder)
        names, _ = engine.selection(job["stages"])
        options = job.get("options") or {}
        reused = reuse_stages(engine, names, Path(job["index"]), options)
        for name in reused:
            log.line(f"stage {name}: reused from another trial")
        outcomes = engine.run(job["stages"], hooks=log.hooks(), options=options)
    except Interrupted:
        log.line("interrupted: the trial is not finished and runs again with --resume")
        raise
    except TapeoutError as exc:
        message = str(exc).splitlines()[0]
        log.line(f"FAILED: {message}")
        record.update(message=message, runtime_s=round(time.perf_counter() - started, 3))
        return write_result(explore_dir, record)
    ran = [o.name for o in outcomes if o.status == RAN]
    publish_stages(engine, ran, Path(job["index"]))
    record["stages"] = {o.name: "reused" if o.name in reused else o.status for o in outcomes}
    record["metrics"] = {k: v for o in outcomes for k, v in o.metrics.items()}
    html_path, _ = write_report(engine)
    record["report"] = str(html_path.relative_to(explore_dir))
    failed = [o for o in outcomes if o.status == STAGE_FAILED]
    if failed:
        record["message"] = f"stage {failed[0].name} failed: {failed[0].message}"
        record["log"] = str(failed[0].log.relative_to(explore_dir)) if failed[0].log else record["log"]
    else:
        record["status"] = DONE
    record["runtime_s"] = round(time.perf_counter() - started, 3)
    log.line(f"trial {job['trial']}: {record['status']} in {record['runtime_s']:.2f} s")
    return write_result(explore_dir, record)
