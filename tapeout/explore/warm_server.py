"""A warm process that forks trials, for executors whose workers are threaded (Dask).

A Dask worker runs tasks in threads, where forking is unsafe, so it cannot fork warm children itself.
Each worker thread instead keeps one server, `python -m tapeout.explore.warm_server`, started on its
first trial: the server imports the flow and hashes the stages' code once (`isolation.warm_up`), then
for each job (one JSON line on its stdin) forks a child that runs the trial, answers `started PID`,
and when the child ends `ended PID CODE` (CODE as `os.waitstatus_to_exitcode` gives it). So the
imports (numba, amaranth, ...) are paid once per worker thread, not once per trial. The server leaves
when its stdin closes or its worker process dies (then it stops the running trial first, as a killed
exploration does); a server that died is replaced on the next trial.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import threading
import time

_local = threading.local()


def _read_line(fd: int) -> str:
    """One line from an unbuffered pipe ('' at end of file)."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = os.read(fd, 1)
        if not chunk:
            return ""
        data += chunk
    return data.decode().strip()


class WarmServer:
    """The calling thread's server process (see the module docstring)."""

    def __init__(self):
        self.process = subprocess.Popen([sys.executable, "-m", "tapeout.explore.warm_server"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, bufsize=0, start_new_session=True)

    def alive(self) -> bool:
        return self.process.poll() is None

    def start(self, job: dict) -> int:
        """Send a job; return the pid of the trial's process (it leads a process group of its own)."""
        self.process.stdin.write((json.dumps(job) + "\n").encode())
        answer = _read_line(self.process.stdout.fileno())
        if not answer.startswith("started "):
            raise OSError(f"the warm trial server stopped (answered {answer!r})")
        return int(answer.split()[1])

    def wait(self, seconds: float) -> None:
        """Return when the trial's end is reported or after `seconds`."""
        select.select([self.process.stdout], [], [], seconds)

    def ended(self) -> int | None:
        """The trial's exit code once it ended (1 when the server itself died), else None."""
        if not select.select([self.process.stdout], [], [], 0)[0]:
            return None
        answer = _read_line(self.process.stdout.fileno())
        return int(answer.split()[2]) if answer.startswith("ended ") else 1


def server_for_this_thread() -> WarmServer:
    """The calling thread's warm server, started (again) when there is none alive."""
    server = getattr(_local, "server", None)
    if server is None or not server.alive():
        server = _local.server = WarmServer()
    return server


def serve() -> None:
    """The server's loop: warm up on the first job, then fork one child per job and report its end."""
    from tapeout.explore.isolation import _child_main, warm_up
    from tapeout.explore.trial import trial_dir
    from tapeout.flow.stage import NO_PICTURES

    worker = os.getppid()
    warm = False
    for line in sys.stdin.buffer:
        job = {**json.loads(line), "isolation": "fork"}  # the child is forked, as in a local pool worker
        if not warm:
            warm_up(job["flow"], job["stages"], job.get("design"),
                    pictures=not (job.get("options") or {}).get(NO_PICTURES.key))
            warm = True
        folder = trial_dir(job["explore_dir"], job["trial"])
        folder.mkdir(parents=True, exist_ok=True)
        pid = os.fork()
        if pid == 0:
            log = os.open(folder / "child.stderr", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
            os.dup2(log, 1)  # the protocol owns the server's stdout; the trial's output goes to its folder
            os.dup2(log, 2)
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            _child_main(job)  # never returns
        try:
            os.setpgid(pid, pid)  # before its pid is handed out: a signal to the group must reach it
        except OSError:
            pass  # the child did it first
        started = _answer(f"started {pid}")
        ended = _answer(f"ended {pid} {_wait_for(pid, worker)}")
        if not (started and ended) or os.getppid() != worker:
            return  # the worker is gone: nobody will send another trial


def _wait_for(pid: int, worker: int) -> int:
    """The trial's exit code; if the worker process dies meanwhile, the trial is stopped as a killed
    exploration stops its trials (SIGINT, then SIGKILL after GRACE_S)."""
    from tapeout.explore.isolation import GRACE_S, open_pidfd, signal_group, wait_on_pidfd

    pidfd = open_pidfd(pid)
    stopping = None
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
            now = time.monotonic()
            if stopping is None and os.getppid() != worker:
                stopping = now
                signal_group(pid, signal.SIGINT)
            elif stopping is not None and now - stopping > GRACE_S:
                signal_group(pid, signal.SIGKILL)
            wait_on_pidfd(pidfd, 0.5)
    finally:
        if pidfd is not None:
            os.close(pidfd)


def _answer(text: str) -> bool:
    """Write one protocol line; False when the worker's end of the pipe is gone."""
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
        return True
    except OSError:
        return False


if __name__ == "__main__":
    serve()
