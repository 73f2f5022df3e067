"""Crash-safe replacement of a stage's result directory, and recovery after a kill.

The sequence, for stage `s` in build/<design>/ (the caller holds the build lock, so no other run
touches these names):

  0. the stage ran in `.s.tmp/`; its `stamp.json` is written last, so a `.s.tmp/` with a stamp is a
     complete result and one without is not;
  1. `s/` (the previous result, if any) is renamed to `.s.old/`;
  2. `.s.tmp/` is renamed to `s/`;
  3. `.s.old/` and `s.failed/` are deleted.

Each rename is atomic. A kill between any two steps leaves one of these states, which `recover`
(run at the start of every run and status, under the lock) resolves without losing a result:

  - `s/` present: steps 2 or 3 were reached; delete `.s.old/` and any `.s.tmp/`;
  - `s/` missing, `.s.tmp/` complete: killed between 1 and 2; the new result is finished, keep it;
  - `s/` missing, `.s.old/` present: the old result is restored;
  - otherwise: an incomplete `.s.tmp/` (killed while the stage ran) is deleted.

`TAPEOUT_FAULT=commit:<step>` makes the process exit abruptly just after step <step> (0 = after the
stamp is written); tests use it to check each window.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

STAMP = "stamp.json"


def paths(build_dir: Path, name: str) -> tuple[Path, Path, Path]:
    """(final, tmp, old) directories of stage `name`."""
    return build_dir / name, build_dir / f".{name}.tmp", build_dir / f".{name}.old"


def _fault(step: int) -> None:
    if os.environ.get("TAPEOUT_FAULT") == f"commit:{step}":
        os._exit(137)


def commit(build_dir: Path, name: str, failed_dir: Path) -> None:
    """Swap the finished `.name.tmp/` in place of `name/` (steps 1-3 above)."""
    final, tmp, old = paths(build_dir, name)
    _fault(0)
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    _fault(1)
    tmp.rename(final)
    _fault(2)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(failed_dir, ignore_errors=True)


def recover(build_dir: Path, name: str) -> str | None:
    """Bring stage `name` back to a consistent state after a kill; say what was done (or None)."""
    final, tmp, old = paths(build_dir, name)
    done = None
    if not final.exists():
        if (tmp / STAMP).is_file():
            tmp.rename(final)
            done = f"finished the interrupted commit of {name}"
        elif old.is_dir():
            old.rename(final)
            done = f"restored the previous result of {name}"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(build_dir / f".{name}.inputs", ignore_errors=True)
    return done
