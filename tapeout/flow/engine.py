"""The make-style engine: runs a stage only when the hash of its inputs changed or an output is missing.

Layout of build/<design>/:
  <stage>/            the last successful run: outputs, log.txt, metrics.json, stamp.json
  <stage>.failed/     the last failed run's partial outputs and log (removed by the next success)
  .<stage>.tmp-<pid>  a run in progress; renamed to <stage>/ only when the stage succeeds
  .lock               held by the running `tapeout` process
"""

from __future__ import annotations

import json
import os
import shutil
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tapeout.errors import StageError, TapeoutError, UsageError
from tapeout.flow.config import DesignConfig
from tapeout.flow.hashing import hash_data, hash_file, hash_tree
from tapeout.flow.lock import BuildLock
from tapeout.flow.stage import Stage, StageContext

RAN, UP_TO_DATE, FAILED, BLOCKED, NOT_APPLICABLE = "ran", "up to date", "failed", "blocked", "n/a"
STALE, NEVER_RUN = "stale", "never run"


@dataclass
class StageOutcome:
    """What happened to one stage in a run (or, for `status`, what state it is in)."""

    name: str
    status: str
    runtime_s: float = 0.0
    metrics: dict = field(default_factory=dict)
    message: str = ""
    log: Path | None = None


class Interrupted(TapeoutError):
    exit_code = 130


@dataclass
class Hooks:
    """Callbacks the CLI uses to show progress; all optional."""

    stage_start: Callable[[Stage], None] = lambda stage: None
    progress: Callable[[float | None, str], None] = lambda fraction, message: None
    stage_end: Callable[[StageOutcome], None] = lambda outcome: None
    echo: Callable[[str], None] | None = None


class Engine:
    """Runs an ordered list of stages (the flow) for one design under build_root/<design>/."""

    def __init__(self, config: DesignConfig, stages: list[Stage], build_root: Path = Path("build")):
        self.config = config
        self.stages = {s.name: s for s in stages}
        self.order = [s.name for s in stages]
        self.dir = Path(build_root) / config.name

    # ----------------------------------------------------------------- paths and records
    def stage_dir(self, name: str) -> Path:
        return self.dir / name

    def failed_dir(self, name: str) -> Path:
        return self.dir / f"{name}.failed"

    def read_stamp(self, name: str) -> dict | None:
        try:
            return json.loads((self.stage_dir(name) / "stamp.json").read_text())
        except (OSError, ValueError):
            return None

    def read_metrics(self, name: str) -> dict:
        try:
            return json.loads((self.stage_dir(name) / "metrics.json").read_text())
        except (OSError, ValueError):
            return {}

    # ----------------------------------------------------------------- selection
    def check_stage_names(self, names) -> None:
        for name in names:
            if name not in self.stages:
                raise UsageError(f"unknown stage {name!r}; stages are: {', '.join(self.order)}")

    def closure(self, targets) -> set[str]:
        """The targets and every stage they depend on."""
        seen, todo = set(), list(targets)
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(self.stages[name].needs)
        return seen

    def downstream(self, name: str) -> set[str]:
        """`name` and every stage that depends on it, directly or not."""
        result = {name}
        for other in self.order:
            if any(n in result for n in self.stages[other].needs):
                result.add(other)
        return result

    def selection(self, targets=(), start=None, stop=None) -> tuple[list[str], set[str]]:
        """Stages to visit in flow order, and the ones --from forces to rerun.

        targets -- stages wanted (default: every applicable stage); their dependencies come along
        start   -- --from: this stage and everything after it rerun even if up to date
        stop    -- --to: nothing after this stage runs
        """
        self.check_stage_names([*targets, *(s for s in (start, stop) if s)])
        if targets and stop:
            raise UsageError("give either stage names or --to, not both")
        applicable = [n for n in self.order if self.stages[n].default and self.stages[n].applies(self.config)]
        wanted = [stop] if stop else (list(targets) or applicable)
        chosen = self.closure(wanted)
        forced = set()
        if start:
            if start not in chosen:
                raise UsageError(f"--from {start} is not part of this run (it comes after {', '.join(wanted)})")
            forced = self.downstream(start) & chosen
        return [n for n in self.order if n in chosen], forced

    # ----------------------------------------------------------------- hashing
    def input_hash(self, stage: Stage, options: dict | None = None) -> str | None:
        """Hash of everything the stage reads; None when an upstream stage has no valid result."""
        upstream = {}
        for need in stage.needs:
            if not self.stages[need].applies(self.config):
                continue
            stamp = self.read_stamp(need)
            if stamp is None:
                return None
            upstream[need] = stamp["outputs_digest"]
        return hash_data({
            "stage": stage.name,
            "config": {key: self.config.section_data(key) for key in stage.reads},
            "outputs": stage.output_files(self.config),
            "files": {str(p): hash_file(p) if p.is_file() else None for p in stage.input_files(self.config)},
            "upstream": upstream,
            "code": {str(d.name): hash_tree(d, "**/*.py") for d in stage.code_dirs()},
            "tools": stage.tool_versions(),
            "options": {k: (options or {}).get(k) for k in stage.option_keys},
        })

    def is_up_to_date(self, stage: Stage, digest: str | None) -> bool:
        stamp = self.read_stamp(stage.name)
        if digest is None or stamp is None or stamp.get("input_hash") != digest:
            return False
        folder = self.stage_dir(stage.name)
        return all((folder / out).exists() for out in stage.output_files(self.config))

    # ----------------------------------------------------------------- running
    def run(self, targets=(), force=False, start=None, stop=None, hooks: Hooks | None = None,
            options: dict | None = None) -> list[StageOutcome]:
        hooks = hooks or Hooks()
        names, forced = self.selection(targets, start, stop)
        outcomes: list[StageOutcome] = []
        with BuildLock(self.dir):
            self._remove_abandoned_runs()
            failed: set[str] = set()
            for name in names:
                stage = self.stages[name]
                if not stage.applies(self.config):
                    outcome = StageOutcome(name, NOT_APPLICABLE, message="nothing to do for this design")
                elif any(n in failed for n in stage.needs):
                    outcome = StageOutcome(name, BLOCKED, message="an earlier stage failed")
                else:
                    digest = self.input_hash(stage, options)
                    if not force and name not in forced and self.is_up_to_date(stage, digest):
                        outcome = StageOutcome(name, UP_TO_DATE, metrics=self.read_metrics(name),
                                               log=self.stage_dir(name) / "log.txt")
                    else:
                        hooks.stage_start(stage)
                        outcome = self._run_stage(stage, hooks, options or {})
                if outcome.status in (FAILED, BLOCKED):
                    failed.add(name)
                outcomes.append(outcome)
                hooks.stage_end(outcome)
        return outcomes

    def _run_stage(self, stage: Stage, hooks: Hooks, options: dict) -> StageOutcome:
        digest = self.input_hash(stage, options)
        tmp = self.dir / f".{stage.name}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        log_file = tmp / "log.txt"
        log_file.write_text(f"# tapeout stage {stage.name} for {self.config.path}\n")
        ctx = StageContext(
            config=self.config, out_dir=tmp,
            input_dirs={n: self.stage_dir(n) for n in stage.needs},
            log_file=log_file, progress=hooks.progress, echo=hooks.echo, options=options,
            failed_dir=self.failed_dir(stage.name),
        )
        started = time.perf_counter()
        try:
            metrics = stage.run(ctx) or {}
            missing = [o for o in stage.output_files(self.config) if not (tmp / o).exists()]
            if missing:
                raise StageError(f"stage {stage.name} did not write {', '.join(missing)}")
        except KeyboardInterrupt:
            shutil.rmtree(tmp, ignore_errors=True)
            raise Interrupted(f"interrupted during stage {stage.name}: its partial outputs were "
                              "discarded; results of earlier stages are kept") from None
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none escapes as a traceback
            runtime = time.perf_counter() - started
            message = str(exc) if isinstance(exc, TapeoutError) else f"internal error: {type(exc).__name__}: {exc}"
            with log_file.open("a") as fh:
                fh.write(f"\nFAILED: {message}\n")
                if not isinstance(exc, TapeoutError):
                    fh.write(traceback.format_exc())
            failed = self.failed_dir(stage.name)
            shutil.rmtree(failed, ignore_errors=True)
            tmp.rename(failed)
            return StageOutcome(stage.name, FAILED, runtime, message=message.splitlines()[0],
                                log=failed / "log.txt")
        runtime = time.perf_counter() - started
        metrics = {**metrics, f"{stage.name}__runtime__s": round(runtime, 3)}
        (tmp / "metrics.json").write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n")
        stamp = {"stage": stage.name, "input_hash": digest, "outputs_digest": hash_tree(tmp),
                 "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "runtime_s": round(runtime, 3)}
        (tmp / "stamp.json").write_text(json.dumps(stamp, indent=2) + "\n")
        self._commit(stage.name, tmp)
        return StageOutcome(stage.name, RAN, runtime, metrics, log=self.stage_dir(stage.name) / "log.txt")

    def _commit(self, name: str, tmp: Path) -> None:
        """Swap the finished temporary directory in place of the previous result."""
        final, old = self.stage_dir(name), self.dir / f".{name}.old-{os.getpid()}"
        if final.exists():
            final.rename(old)
        tmp.rename(final)
        shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(self.failed_dir(name), ignore_errors=True)

    def _remove_abandoned_runs(self) -> None:
        """Temporary directories of killed runs are never results; delete them (we hold the lock)."""
        for leftover in self.dir.glob(".*.tmp-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        for leftover in self.dir.glob(".*.old-*"):
            shutil.rmtree(leftover, ignore_errors=True)

    # ----------------------------------------------------------------- inspection
    def status(self) -> list[StageOutcome]:
        """State of every stage: up to date, stale, failed, never run or n/a."""
        rows, behind = [], set()
        for name in self.order:
            stage = self.stages[name]
            stamp = self.read_stamp(name)
            failed = self.failed_dir(name)
            if not stage.applies(self.config):
                rows.append(StageOutcome(name, NOT_APPLICABLE))
                continue
            if failed.exists() and (stamp is None or failed.stat().st_mtime >= self.stage_dir(name).stat().st_mtime):
                state = FAILED
            elif stamp is None:
                state = NEVER_RUN
            elif any(n in behind for n in stage.needs) or not self.is_up_to_date(stage, self.input_hash(stage)):
                state = STALE
            else:
                state = UP_TO_DATE
            if state != UP_TO_DATE:
                behind.add(name)
            log = failed / "log.txt" if state == FAILED else self.stage_dir(name) / "log.txt"
            rows.append(StageOutcome(name, state, (stamp or {}).get("runtime_s", 0.0),
                                     self.read_metrics(name), log=log if log.exists() else None))
        return rows

    def metrics(self) -> dict:
        """All stages' metrics of the last successful runs, merged."""
        merged = {}
        for name in self.order:
            merged.update(self.read_metrics(name))
        return merged

    def clean(self, stage: str | None = None) -> list[Path]:
        """Delete one stage's results (and its failed run), or the whole design's build directory."""
        if stage is not None:
            self.check_stage_names([stage])
        if not self.dir.exists():
            return []
        with BuildLock(self.dir):
            if stage is None:
                victims = [p for p in self.dir.iterdir() if p.name != ".lock"]
            else:
                victims = [self.stage_dir(stage), self.failed_dir(stage)]
            removed = []
            for path in victims:
                if path.is_dir():
                    shutil.rmtree(path)
                    removed.append(path)
                elif path.exists():
                    path.unlink()
                    removed.append(path)
        if stage is None:
            (self.dir / ".lock").unlink(missing_ok=True)
            try:
                self.dir.rmdir()
            except OSError:
                pass
        return removed
