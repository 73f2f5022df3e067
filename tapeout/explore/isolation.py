"""Each trial in a child process of its own, so that a crash or a timeout ends that trial only.

`fork` (the local process pool): the pool worker imported the flow and hashed its code once
(`warm_up`); it forks a child per trial, which starts warm in milliseconds. `warm` (Dask workers run
tasks in threads, where forking is unsafe): the thread's warm server (`warm_server.py`), a process
that warmed up the same way, forks the child.

The child leads a process group of its own: a timeout kills it with every process it started (Yosys,
Verilator). Ctrl-C makes the exploration ask every running trial to stop: the child's running stage
stops cleanly and leaves nothing that looks finished. A child whose parent dies stops as well (a
watchdog thread), so killing `tapeout explore` leaves no trial running behind it.
"""

from __future__ import annotations

import _thread
import os
import select
import signal
import threading
import time
import traceback
from pathlib import Path

from tapeout.explore.trial import CRASHED, TIMEOUT, base_record, read_result, run_trial, trial_dir, write_result

INTERRUPTED = "interrupted"
GRACE_S = 10.0
"""How long an interrupted child may take to stop cleanly before it is killed."""
_exploration_pid: int | None = None
"""The exploration's process id, in a pool worker (set by `start_pool_worker`): a trial queued on a worker whose
exploration was killed must not start."""
POLL_S = 0.2
"""How often a running trial's timeout and the exploration's stop request are checked (s); the trial's end
itself is noticed at once (a pidfd)."""


def start_pool_worker(flow: str, stages, design: str | None = None, pictures: bool = True) -> None:
    """Initializer of a local pool worker: note the exploration's pid, die with it, warm up."""
    global _exploration_pid
    _exploration_pid = os.getppid()
    _die_with_parent()
    warm_up(flow, stages, design, pictures)


def warm_up(flow: str, stages, design: str | None = None, pictures: bool = True) -> None:
    """Import the modules the stages (and those they depend on) may use, hash their code and, when trials
    draw and a stage has pictures, draw one small picture (matplotlib's import, fonts and backends), so
    that every forked child starts warm. With the base `design` only the
    stages it needs are warmed (a design that states its tile needs no physical flow before `package`).
    Runs in each pool worker and warm server; they ignore Ctrl-C, the exploration stops their trials."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from importlib import import_module

    import tapeout.explore.trial_design  # noqa: F401 - used by every trial
    import tapeout.flow.report  # noqa: F401 - used by every trial
    from tapeout.explore.trial import load_flow
    from tapeout.flow.code_hash import code_digest, import_closure
    from tapeout.flow.config import all_sections

    all_sections()  # imports every stage module of the flow (their config sections)
    flow_stages = {s.name: s for s in load_flow(flow)}
    needs = _needs_of(design)
    todo = list(stages or [n for n, s in flow_stages.items() if s.default])
    needed = set()
    while todo:
        name = todo.pop()
        if name not in needed:
            needed.add(name)
            todo.extend(needs(flow_stages[name]))
    stage_modules = frozenset(type(s).__module__ for s in flow_stages.values())
    for name in sorted(needed):
        module = type(flow_stages[name]).__module__
        for dependency in sorted(import_closure(module, stage_modules - {module})):
            try:
                import_module(dependency)
            except Exception:  # noqa: BLE001 - warming up is an optimisation; the trial reports real errors
                pass
        code_digest(module, stage_modules - {module})
    if pictures and any(flow_stages[name].pictures for name in needed):
        _draw_once()


def _die_with_parent() -> None:
    """Have the kernel end this pool worker when the exploration dies (Linux `PR_SET_PDEATHSIG`): a killed
    exploration's worker would otherwise wait forever on its call queue, whose write end it holds itself.
    Its running trial notices the worker's end and stops (`_watch_parent`)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return  # not Linux: the worker outlives a killed exploration, idle
    if os.getppid() != _exploration_pid:  # it died before the request took effect
        os._exit(1)


def _needs_of(design: str | None):
    """stage -> the stages it needs: for the base design when it loads, else every stage it may need."""
    if design is not None:
        try:
            from tapeout.explore.trial_design import trial_design_data
            from tapeout.flow.config import load_design

            config = load_design(Path(design))
            trial_design_data(Path(design), {})  # parsed once here, for every trial forked from this process
            return lambda stage: stage.needs_for(config) if stage.applies(config) else ()
        except Exception:  # noqa: BLE001 - the trials report a broken design themselves
            pass
    return lambda stage: stage.needs


def _draw_once() -> None:
    """Load matplotlib's fonts and backends (most of a small picture's cost in a fresh process)."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], label="warm-up")
    ax.set_title("warm-up")
    ax.legend()
    for kind in ("png", "svg"):
        fig.savefig(io.BytesIO(), format=kind)
    plt.close(fig)


def run_isolated(job: dict) -> dict:
    """Run the job's trial in a child process; return its record. A record with status "interrupted"
    is not written to disk: the trial is not finished and runs again with --resume.

    The child is stopped (SIGINT, then SIGKILL after GRACE_S) when the exploration asks every trial to
    stop (it creates `<explore>/.stop` on Ctrl-C) or dies; it is killed at once past its timeout."""
    started = time.monotonic()
    parent = _exploration_pid or os.getppid()
    stop_file = Path(job["explore_dir"]) / ".stop"
    if stop_file.exists() or os.getppid() != parent:  # queued when the exploration was stopped or killed
        return {**base_record(job), "status": INTERRUPTED, "message": "interrupted before it started"}
    child = _Child(job)
    timeout = job.get("timeout_s") or None
    timed_out = interrupted = False
    kill_at = None
    while (code := child.poll()) is None:
        now = time.monotonic()
        if timeout and now - started > timeout and not timed_out:
            timed_out = True
            child.signal(signal.SIGKILL)
        if not interrupted and (stop_file.exists() or os.getppid() != parent):
            interrupted, kill_at = True, now + GRACE_S
            child.signal(signal.SIGINT)
        if kill_at is not None and now > kill_at:
            child.signal(signal.SIGKILL)
        child.wait(POLL_S)
    child.close()
    explore_dir = Path(job["explore_dir"])
    record = read_result(explore_dir, job["trial"])
    if record is not None:
        return record
    record = base_record(job)
    record["runtime_s"] = round(time.monotonic() - started, 3)
    if timed_out:
        record.update(status=TIMEOUT, message=f"stopped after {timeout:g} s (trial timeout)")
    elif interrupted or code == 130:
        record.update(status=INTERRUPTED, message="interrupted")
        return record
    else:
        how = f"was killed by {signal.Signals(-code).name}" if code < 0 else f"ended with exit status {code}"
        record.update(status=CRASHED, message=f"the trial's process {how}")
    return write_result(explore_dir, record)


def open_pidfd(pid: int) -> int | None:
    """A descriptor that becomes readable when process `pid` ends (Linux 5.3+), or None."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def wait_on_pidfd(pidfd: int | None, seconds: float) -> None:
    """Return when the process behind `pidfd` has ended or after `seconds` (a short sleep without one:
    then the caller polls)."""
    if pidfd is None:
        time.sleep(min(seconds, 0.02))
    else:
        select.select([pidfd], [], [], seconds)


def signal_group(pid: int, signum: int) -> None:
    """Send `signum` to the process group that `pid` leads (nothing if it is gone)."""
    try:
        os.killpg(pid, signum)
    except OSError:
        pass


class _Child:
    """The trial's process: forked from this (single-threaded) process, or by the thread's warm server."""

    def __init__(self, job: dict):
        self.pidfd = self.server = self.code = None
        if job.get("isolation", "fork") == "fork":
            self.pid = os.fork()
            if self.pid == 0:
                _child_main(job)  # never returns
            try:
                os.setpgid(self.pid, self.pid)
            except OSError:
                pass  # the child did it first
            self.pidfd = open_pidfd(self.pid)
        else:
            from tapeout.explore.warm_server import server_for_this_thread

            self.server = server_for_this_thread()
            self.pid = self.server.start(job)

    def wait(self, seconds: float) -> None:
        """Return when the process has ended or after `seconds`, whichever comes first."""
        if self.server is not None:
            self.server.wait(seconds)
        else:
            wait_on_pidfd(self.pidfd, seconds)

    def close(self) -> None:
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None

    def poll(self) -> int | None:
        if self.server is not None:
            if self.code is None:
                self.code = self.server.ended()
            return self.code
        pid, status = os.waitpid(self.pid, os.WNOHANG)
        return None if pid == 0 else os.waitstatus_to_exitcode(status)

    def signal(self, signum: int) -> None:
        signal_group(self.pid, signum)


def _watch_parent() -> None:
    """Stop this process cleanly (KeyboardInterrupt in the main thread) when its parent dies."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        _thread.interrupt_main()
        time.sleep(GRACE_S)
        os._exit(130)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def _child_main(job: dict) -> None:
    """Body of the trial's (forked) process: run the trial; exit 0 when a record was written, 130 when
    interrupted."""
    code = 1
    try:
        os.setpgid(0, 0)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        _watch_parent()
        run_trial(job)
        code = 0
    except KeyboardInterrupt:
        code = 130
    except BaseException as exc:  # noqa: BLE001 - interrupted stages and bugs alike end as one record
        from tapeout.flow.engine import Interrupted

        if isinstance(exc, Interrupted):
            code = 130
        else:
            record = base_record(job)
            record["message"] = f"internal error: {type(exc).__name__}: {exc}"
            with (trial_dir(job["explore_dir"], job["trial"]) / "trial.log").open("a") as fh:
                fh.write(traceback.format_exc())
            write_result(Path(job["explore_dir"]), record)
            code = 0
    finally:
        os._exit(code)
