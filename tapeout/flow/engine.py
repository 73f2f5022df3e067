"""The make-style engine: runs a stage only when the hash of its inputs changed or an output changed.

Layout of build/<design>/:
  <stage>/           the last successful run: outputs, log.txt, metrics.json, stamp.json
  <stage>.failed/    the last failed run's partial outputs and log, with `attempt.json` (the input
                     hash it failed with); removed by the next success
  .<stage>.tmp/      a run in progress; renamed to <stage>/ only when the stage succeeds (`commit`)
  .<stage>.inputs/   links to the declared input artefacts of a running stage (nothing else)
  .lock              held by the running `tapeout` process (one run at a time per directory)

A stage's input hash covers: its config sections and keys (by value), the content digests of the
upstream artefacts it declares (taken from the upstream stamps), files outside the build it reads,
the source and data files of every tapeout module it may import (`code_hash`), tool versions and
the hashed command-line options. `stamp.json` records that hash and every output (`stamp`); a stage
whose outputs are missing or no longer as recorded is rerun, and the run says why.
"""

from __future__ import annotations

import json
import shutil
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tapeout.errors import BuildDirError, StageError, TapeoutError, UsageError, os_error_reason
from tapeout.flow.code_hash import code_digest
from tapeout.flow.commit import commit, paths, recover
from tapeout.flow.config import DesignConfig
from tapeout.flow.hashing import hash_data, hash_file
from tapeout.flow.lock import BuildLock
from tapeout.flow.stage import Stage, StageContext
from tapeout.flow.stamp import BUILD_FORMAT, changed_output, write_stamp

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
    """The run was stopped by Ctrl-C (exit 130), SIGTERM (143) or SIGHUP (129)."""

    def __init__(self, message: str, exit_code: int = 130):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class Hooks:
    """Callbacks the CLI uses to show progress; all optional."""

    stage_start: Callable[[Stage], None] = lambda stage: None
    progress: Callable[[float | None, str], None] = lambda fraction, message: None
    stage_end: Callable[[StageOutcome], None] = lambda outcome: None
    echo: Callable[[str], None] | None = None
    note: Callable[[str], None] = lambda message: None


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
        applicable = [n for n in self.order
                      if self.stages[n].in_default_run(self.config) and self.stages[n].applies(self.config)]
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

    def staleness(self, stage: Stage, digest: str | None) -> str | None:
        """Why the stage must run again (a short reason), or None when it is up to date."""
        stamp = self.read_stamp(stage.name)
        if stamp is None:
            return "never run"
        if digest is None or stamp.get("input_hash") != digest:
            return "inputs changed"
        required = [a.file_name(self.config.design.top)
                    for a in stage.required_outputs(self.config, stamp.get("options"))]
        changed = changed_output(self.stage_dir(stage.name), stamp, required)
        return f"its output {changed}" if changed else None

    def is_up_to_date(self, stage: Stage, digest: str | None) -> bool:
        return self.staleness(stage, digest) is None

    # ----------------------------------------------------------------- running
    def run(self, targets=(), force=False, start=None, stop=None, hooks: Hooks | None = None,
            options: dict | None = None) -> list[StageOutcome]:
        hooks = hooks or Hooks()
        names, forced = self.selection(targets, start, stop)
        outcomes: list[StageOutcome] = []
        try:
            with BuildLock(self.dir):
                self._recover(hooks)
                failed: set[str] = set()
                for name in names:
                    outcome = self._visit(self.stages[name], force or name in forced, failed, hooks, options or {})
                    if outcome.status in (FAILED, BLOCKED):
                        failed.add(name)
                    outcomes.append(outcome)
                    hooks.stage_end(outcome)
        except OSError as exc:
            raise BuildDirError(f"cannot write {exc.filename or self.dir}: {os_error_reason(exc)}") from None
        return outcomes

    def _visit(self, stage: Stage, rerun: bool, failed: set[str], hooks: Hooks, options: dict) -> StageOutcome:
        name = stage.name
        if not stage.applies(self.config):
            return StageOutcome(name, NOT_APPLICABLE, message=stage.skip_reason(self.config))
        if any(n in failed for n in stage.needs_for(self.config)):
            return StageOutcome(name, BLOCKED, message="an earlier stage failed")
        if not rerun:
            reason = self.staleness(stage, self.input_hash(stage, options))
            if reason is None:
                return StageOutcome(name, UP_TO_DATE, metrics=self.read_metrics(name),
                                    log=self.stage_dir(name) / "log.txt")
            if reason.startswith("its output"):
                hooks.note(f"{name}: rerunning, {reason}")
        hooks.stage_start(stage)
        return self._run_stage(stage, hooks, options)

    def _recover(self, hooks: Hooks) -> None:
        """Finish or undo commits cut short by a kill; drop partial runs (we hold the lock)."""
        for name in self.order:
            done = recover(self.dir, name)
            if done:
                hooks.note(done)

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
        _, tmp, _ = paths(self.dir, stage.name)
        views = self.dir / f".{stage.name}.inputs"
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
            missing = [a.file_name(top) for a in stage.required_outputs(self.config, options)
                       if not (tmp / a.file_name(top)).exists()]
            if missing:
                raise StageError(f"stage {stage.name} did not write {', '.join(missing)}")
        except KeyboardInterrupt as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            code = getattr(exc, "exit_code", 130)
            what = {143: "terminated (SIGTERM)", 129: "hung up (SIGHUP)"}.get(code, "interrupted")
            raise Interrupted(f"{what} during stage {stage.name}: its partial outputs were discarded; "
                              "results of earlier stages are kept", code) from None
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none escapes as a traceback
            return self._record_failure(stage, tmp, log_file, exc, digest, options,
                                        time.perf_counter() - started)
        finally:
            shutil.rmtree(views, ignore_errors=True)
        runtime = time.perf_counter() - started
        metrics = {**metrics, f"{stage.name}__runtime__s": round(runtime, 3)}
        (tmp / "metrics.json").write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n")
        write_stamp(tmp, stage=stage.name, input_hash=digest,
                    options={o.key: options.get(o.key) for o in stage.options if o.hashed},
                    finished=time.strftime("%Y-%m-%dT%H:%M:%S%z"), runtime_s=round(runtime, 3))
        commit(self.dir, stage.name, self.failed_dir(stage.name))
        return StageOutcome(stage.name, RAN, runtime, metrics, log=self.stage_dir(stage.name) / "log.txt")

    def _record_failure(self, stage, tmp, log_file, exc, digest, options, runtime) -> StageOutcome:
        """Keep a failed run's outputs and log in <stage>.failed/ with the input hash it failed with."""
        if isinstance(exc, TapeoutError):
            message = str(exc)
        elif isinstance(exc, OSError) and exc.filename:
            message = f"{exc.filename}: {os_error_reason(exc)}"
        else:
            message = f"internal error: {type(exc).__name__}: {exc}"
        with log_file.open("a") as fh:
            fh.write(f"\nFAILED: {message}\n")
            if not isinstance(exc, TapeoutError):
                fh.write(traceback.format_exc())
        attempt = {"input_hash": digest, "design_file": str(self.config.path),
                   "options": {o.key: options.get(o.key) for o in stage.options if o.hashed}}
        (tmp / "attempt.json").write_text(json.dumps(attempt) + "\n")
        failed = self.failed_dir(stage.name)
        shutil.rmtree(failed, ignore_errors=True)
        tmp.rename(failed)
        return StageOutcome(stage.name, FAILED, runtime, message=message.splitlines()[0], log=failed / "log.txt")

    # ----------------------------------------------------------------- inspection
    def failed_now(self, stage: Stage) -> bool:
        """True when the stage's last failed run had the inputs (and options) it would have now."""
        try:
            attempt = json.loads((self.failed_dir(stage.name) / "attempt.json").read_text())
            return attempt["input_hash"] == self.input_hash(stage, attempt["options"])
        except (OSError, ValueError, KeyError, TypeError):
            return False

    def status(self) -> list[StageOutcome]:
        """State of every stage: up to date, stale, failed, never run or n/a.

        A stage is `failed` when its last failed run had the inputs it has now; a failure with other
        inputs (an earlier config, or another design file of the same name) does not count.
        """
        rows, behind = [], set()
        for name in self.order:
            stage = self.stages[name]
            if not stage.applies(self.config):
                rows.append(StageOutcome(name, NOT_APPLICABLE, message=stage.skip_reason(self.config)))
                continue
            try:
                stamp = self.read_stamp(name)
                options = (stamp or {}).get("options", {})
                digest = self.input_hash(stage, options)
                reason = self.staleness(stage, digest)
            except OldBuildError as exc:
                rows.append(StageOutcome(name, STALE, message=str(exc)))
                behind.add(name)
                continue
            if any(n in behind for n in stage.needs_for(self.config)) and not self.failed_now(stage):
                state, message = (STALE, "an earlier stage is not up to date") if stamp else (NEVER_RUN, "")
            elif self.failed_now(stage):
                state, message = FAILED, ""
            elif stamp is None:
                state, message = NEVER_RUN, ""
            elif reason:
                state, message = STALE, reason
            else:
                state, message = UP_TO_DATE, ""
            if state != UP_TO_DATE:
                behind.add(name)
            log = self.failed_dir(name) / "log.txt" if state == FAILED else self.stage_dir(name) / "log.txt"
            rows.append(StageOutcome(name, state, (stamp or {}).get("runtime_s", 0.0), self.read_metrics(name),
                                     message=message, log=log if log.exists() else None))
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
