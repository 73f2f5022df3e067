"""Stages shared between trials: an index from (stage, input hash) to a trial's finished stage folder.

Every trial has its own build directory, and the engine's up-to-date check only looks there. Before a
trial runs, each stage whose input hash (the engine's own `input_hash`) matches a stage another trial
already finished gets that folder copied in as hard links (the engine never writes into a finished
stage folder, so sharing the files is safe); the engine then finds it up to date and starts at the
first stage whose inputs differ, e.g. a new utilisation reuses arch, rtl and synth and starts at place.

Index entries are small files `<index>/<stage>/<input hash>` holding the folder's path relative to the
index; they are written atomically, and an entry whose folder is gone or changed is ignored.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from tapeout.flow.engine import Engine
from tapeout.flow.lock import BuildLock


def _link_or_copy(src, dst):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
    return dst


def _donor(index: Path, stage: str, digest: str) -> Path | None:
    """The finished stage folder recorded for this input hash, if it still holds that result."""
    entry = index / stage / digest
    try:
        folder = (index / entry.read_text().strip()).resolve()
        stamp = json.loads((folder / "stamp.json").read_text())
    except (OSError, ValueError):
        return None
    return folder if isinstance(stamp, dict) and stamp.get("input_hash") == digest else None


def reuse_stages(engine: Engine, names: list[str], index: Path, options: dict | None = None) -> list[str]:
    """Copy in, in flow order, every stage of `names` that is not up to date in `engine`'s build but
    that another trial finished with the same input hash (with the run's `options`, so a stage run
    without pictures serves only runs without pictures). Returns the names of the stages copied."""
    reused = []
    with BuildLock(engine.dir):
        for name in names:
            stage = engine.stages[name]
            if not stage.applies(engine.config):
                continue
            digest = engine.input_hash(stage, options)
            if digest is None or engine.is_up_to_date(stage, digest):
                continue
            donor = _donor(index, name, digest)
            if donor is None or donor == engine.stage_dir(name).resolve():
                continue
            tmp = engine.dir / f".{name}.reuse"  # a copy cut short by a kill is removed by the next one
            shutil.rmtree(tmp, ignore_errors=True)
            try:
                shutil.copytree(donor, tmp, copy_function=_link_or_copy)
            except (OSError, shutil.Error):  # the donor changed while copying: run the stage instead
                shutil.rmtree(tmp, ignore_errors=True)
                continue
            shutil.rmtree(engine.stage_dir(name), ignore_errors=True)
            shutil.rmtree(engine.failed_dir(name), ignore_errors=True)
            tmp.rename(engine.stage_dir(name))
            if engine.is_up_to_date(stage, digest):
                reused.append(name)
    return reused


def publish_stages(engine: Engine, names: list[str], index: Path) -> None:
    """Record the finished stages `names` of `engine`'s build in the index for other trials."""
    for name in names:
        try:
            stamp = json.loads((engine.stage_dir(name) / "stamp.json").read_text())
        except (OSError, ValueError):
            continue
        folder = index / name
        folder.mkdir(parents=True, exist_ok=True)
        entry = folder / stamp["input_hash"]
        tmp = folder / f".{stamp['input_hash']}.{os.getpid()}"
        tmp.write_text(os.path.relpath(engine.stage_dir(name).resolve(), index.resolve()) + "\n")
        tmp.replace(entry)
