"""The make-style engine: runs a stage only when the hash of its inputs changed or an output is missing.

Layout of build/<design>/:
  <stage>/              the last successful run: outputs, log.txt, metrics.json, stamp.json
  <stage>.failed/       the last failed run's partial outputs and log (removed by the next success)
  .<stage>.tmp-<pid>    a run in progress; renamed to <stage>/ only when the stage succeeds
  .<stage>.inputs-<pid> links to the declared input artefacts of a running stage (nothing else)
  .lock                 held by the running `tapeout` process

A stage's input hash covers: its config sections and keys (by value), the content digests of the
upstream artefacts it declares (taken from the upstream stamps), files outside the build it reads,
the source and data files of every tapeout module it may import (`code_hash`), tool versions and
the hashed command-line options. `stamp.json` records that hash and the sha256 and size of every
output; an output that is missing or whose size changed makes the stage stale.
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
from tapeout.flow.code_hash import code_digest
from tapeout.flow.config import DesignConfig
from tapeout.flow.hashing import RUN_RECORDS, hash_data, hash_file
from tapeout.flow.lock import BuildLock
from tapeout.flow.stage import Stage, StageContext

RAN, UP_TO_DATE, FAILED, BLOCKED, NOT_APPLICABLE = "ran", "up to date", "failed", "blocked", "n/a"
STALE, NEVER_RUN = "stale", "never run"
BUILD_FORMAT = 2
"""Version of the build-directory layout and stamps; a stamp of another version asks for --force."""


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


class OldBuildError(UsageError):
    """A build directory written by another version of tapeout's build layout."""


class Engine:
    """Runs an ordered list of stages (the flow) for one design under build_root/<design>/."""

    def __init__(self, config: DesignConfig, stages: list[Stage], build_root: Path = Path("build")):
        self.config = config
        self.stages = {s.name: s for s in stages}
        self.order = [s.name for s in stages]
        self.dir = Path(build_root) / config.name
        self._check_declarations()

    def _check_declarations(self) -> None:
        """Every input artefact is declared as an output of an earlier stage (a programming error if not)."""
        for position, name in enumerate(self.order):
            stage = self.stages[name]
            for need in stage.needs:
                if need not in self.order[:position]:
                    raise ValueError(f"stage {name} needs {need}, which is not an earlier stage of the flow")
            for artifact in stage.inputs:
                if artifact not in self.stages[artifact.stage].outputs:
                    raise ValueError(f"stage {name} reads {artifact.pattern} of {artifact.stage}, "
                                     f"which {artifact.stage} does not declare as an output")

    # ----------------------------------------------------------------- paths and records
    def stage_dir(self, name: str) -> Path:
        return self.dir / name

    def failed_dir(self, name: str) -> Path:
        return self.dir / f"{name}.failed"

    def read_stamp(self, name: str) -> dict | None:
        """The stage's stamp; None if there is none (or it is unreadable); OldBuildError if of another format."""
        try:
            stamp = json.loads((self.stage_dir(name) / "stamp.json").read_text())
        except (OSError, ValueError):
            return None
        if not isinstance(stamp, dict):
            return None
        if stamp.get("format") != BUILD_FORMAT:
            raise OldBuildError(
                f"{self.stage_dir(name)} was written by another version of tapeout (build format "
                f"{stamp.get('format', 1)}, this version reads {BUILD_FORMAT}); rerun with --force "
                f"(or `tapeout clean -d {self.config.name}`)")
        return stamp

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
                todo.extend(self.stages[name].needs_for(self.config))
        return seen

    def downstream(self, name: str) -> set[str]:
        """`name` and every stage that depends on it, directly or not."""
        result = {name}
        for other in self.order:
            if any(n in result for n in self.stages[other].needs_for(self.config)):
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
    def code_files(self, stage: Stage) -> dict[str, str]:
        """Digests of the tapeout source and data files the stage may use."""
        others = frozenset(type(s).__module__ for s in self.stages.values() if type(s) is not type(stage))
        return code_digest(type(stage).__module__, others)

    def input_hash(self, stage: Stage, options: dict | None = None) -> str | None:
        """Hash of everything the stage reads; None when an upstream stage has no valid result."""
        top = self.config.design.top
        upstream = {}
        for need in stage.needs_for(self.config):
            if not self.stages[need].applies(self.config):
                continue
            stamp = self.read_stamp(need)
            if stamp is None:
                return None
            upstream[need] = None
        for artifact in stage.input_artifacts(self.config):
            if artifact.stage not in upstream:
                continue
            record = self.read_stamp(artifact.stage)["outputs"].get(artifact.file_name(top))
            if record is None and not artifact.optional:
                return None
            upstream[f"{artifact.stage}/{artifact.file_name(top)}"] = record and record["sha256"]
        hashed_options = {o.key: (options or {}).get(o.key) for o in stage.options if o.hashed}
        return hash_data({
            "stage": stage.name,
            "config": {key: self.config.section_data(key) for key in stage.config_keys()},
            "outputs": [a.file_name(top) for a in stage.output_artifacts(self.config)],
            "files": {str(p): hash_file(p) if p.is_file() else None for p in stage.input_files(self.config)},
            "upstream": upstream,
            "code": self.code_files(stage),
            "tools": stage.tool_versions(),
            "options": hashed_options,
        })

    def is_up_to_date(self, stage: Stage, digest: str | None) -> bool:
        """Same input hash, and every output still there at the size it was written with."""
        stamp = self.read_stamp(stage.name)
        if digest is None or stamp is None or stamp.get("input_hash") != digest:
            return False
        folder = self.stage_dir(stage.name)
        for name, record in stamp.get("outputs", {}).items():
            try:
                if (folder / name).stat().st_size != record["bytes"]:
                    return False
            except OSError:
                return False
        required = [a.file_name(self.config.design.top) for a in stage.output_artifacts(self.config)
                    if not a.optional]
        return all(name in stamp.get("outputs", {}) for name in required)

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
                elif any(n in failed for n in stage.needs_for(self.config)):
                    outcome = StageOutcome(name, BLOCKED, message="an earlier stage failed")
                else:
                    rerun = force or name in forced
                    digest = None if rerun else self._input_hash_or_old(stage, options)
                    if not rerun and self.is_up_to_date(stage, digest):
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

    def _input_hash_or_old(self, stage: Stage, options: dict | None) -> str | None:
        """The input hash; an old-format stamp of the stage itself raises OldBuildError (rerun with --force)."""
        self.read_stamp(stage.name)
        return self.input_hash(stage, options)

    def _input_views(self, stage: Stage, root: Path) -> dict[str, Path]:
        """A folder per upstream stage holding links to the declared input artefacts only."""
        top = self.config.design.top
        views = {}
        for need in stage.needs_for(self.config):
            views[need] = root / need
            views[need].mkdir(parents=True, exist_ok=True)
        for artifact in stage.input_artifacts(self.config):
            source = self.stage_dir(artifact.stage) / artifact.file_name(top)
            if source.exists():
                (views[artifact.stage] / artifact.file_name(top)).symlink_to(source.resolve())
        return views

    def _run_stage(self, stage: Stage, hooks: Hooks, options: dict) -> StageOutcome:
        digest = self.input_hash(stage, options)
        tmp = self.dir / f".{stage.name}.tmp-{os.getpid()}"
        views = self.dir / f".{stage.name}.inputs-{os.getpid()}"
        for folder in (tmp, views):
            shutil.rmtree(folder, ignore_errors=True)
        tmp.mkdir(parents=True)
        log_file = tmp / "log.txt"
        log_file.write_text(f"# tapeout stage {stage.name} for {self.config.path}\n")
        ctx = StageContext(
            config=self.config, out_dir=tmp, input_dirs=self._input_views(stage, views),
            log_file=log_file, progress=hooks.progress, echo=hooks.echo, options=options,
            failed_dir=self.failed_dir(stage.name),
        )
        started = time.perf_counter()
        try:
            metrics = stage.run(ctx) or {}
            top = self.config.design.top
            missing = [a.file_name(top) for a in stage.output_artifacts(self.config)
                       if not a.optional and not (tmp / a.file_name(top)).exists()]
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
        finally:
            shutil.rmtree(views, ignore_errors=True)
        runtime = time.perf_counter() - started
        metrics = {**metrics, f"{stage.name}__runtime__s": round(runtime, 3)}
        (tmp / "metrics.json").write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n")
        outputs = {p.relative_to(tmp).as_posix(): {"sha256": hash_file(p), "bytes": p.stat().st_size}
                   for p in sorted(tmp.rglob("*")) if p.is_file() and p.name not in RUN_RECORDS}
        stamp = {"format": BUILD_FORMAT, "stage": stage.name, "input_hash": digest,
                 "options": {o.key: options.get(o.key) for o in stage.options if o.hashed}, "outputs": outputs,
                 "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "runtime_s": round(runtime, 3)}
        (tmp / "stamp.json").write_text(json.dumps(stamp, indent=1) + "\n")
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
        for leftover in [*self.dir.glob(".*.old-*"), *self.dir.glob(".*.inputs-*")]:
            shutil.rmtree(leftover, ignore_errors=True)

    # ----------------------------------------------------------------- inspection
    def status(self) -> list[StageOutcome]:
        """State of every stage: up to date, stale, failed, never run or n/a."""
        rows, behind = [], set()
        for name in self.order:
            stage = self.stages[name]
            failed = self.failed_dir(name)
            if not stage.applies(self.config):
                rows.append(StageOutcome(name, NOT_APPLICABLE))
                continue
            try:
                stamp = self.read_stamp(name)
                current = stamp is not None and self.is_up_to_date(stage, self.input_hash(stage, stamp["options"]))
            except OldBuildError as exc:
                rows.append(StageOutcome(name, STALE, message=str(exc)))
                behind.add(name)
                continue
            if failed.exists() and (stamp is None or failed.stat().st_mtime >= self.stage_dir(name).stat().st_mtime):
                state = FAILED
            elif stamp is None:
                state = NEVER_RUN
            elif any(n in behind for n in stage.needs_for(self.config)) or not current:
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
