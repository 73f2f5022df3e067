"""One run at a time per build directory: an advisory lock released when the process ends."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from tapeout.errors import LockedError


class BuildLock:
    """`with BuildLock(build_dir):` holds build_dir/.lock or raises LockedError at once."""

    def __init__(self, build_dir: Path):
        self.path = build_dir / ".lock"
        self._fh = None

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = self.path.open("a+")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown"
            fh.close()
            raise LockedError(
                f"{self.path.parent} is in use by another tapeout run (pid {holder}); "
                "wait for it to finish, then try again"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh
        return self

    def __exit__(self, *exc):
        fcntl.flock(self._fh, fcntl.LOCK_UN)
        self._fh.close()
        self._fh = None
