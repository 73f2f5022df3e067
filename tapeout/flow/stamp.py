"""A stage's stamp (`stamp.json`): the input hash it ran with and a record of every output.

Each output is recorded with its sha256, size (bytes) and modification time (ns). An output is
taken as unchanged when its size and mtime are those recorded; when only the mtime moved it is
hashed again and compared. So a missing, truncated or edited output is noticed, and a no-op run
hashes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from tapeout.flow.hashing import RUN_RECORDS, hash_file

BUILD_FORMAT = 2
"""Version of the build-directory layout and stamps; a stamp of another version asks for --force."""


def output_records(folder: Path) -> dict[str, dict]:
    """{relative name: {sha256, bytes, mtime_ns}} of every file in `folder` but the run records."""
    records = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name not in RUN_RECORDS:
            stat = path.stat()
            records[path.relative_to(folder).as_posix()] = {
                "sha256": hash_file(path), "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    return records


def write_stamp(folder: Path, **fields) -> None:
    stamp = {"format": BUILD_FORMAT, **fields, "outputs": output_records(folder)}
    (folder / "stamp.json").write_text(json.dumps(stamp, indent=1) + "\n")


def changed_output(folder: Path, stamp: dict, required: list[str]) -> str | None:
    """The first output of `folder` that is missing or not as recorded (a reason), or None."""
    outputs = stamp.get("outputs", {})
    for name in required:
        if name not in outputs:
            return f"{name} is not among its recorded outputs"
    if not (folder / "metrics.json").is_file():
        return "metrics.json is missing"
    for name, record in outputs.items():
        path = folder / name
        try:
            stat = path.stat()
        except OSError:
            return f"{name} is missing"
        if stat.st_size != record["bytes"]:
            return f"{name} changed size since it was written"
        if stat.st_mtime_ns != record.get("mtime_ns") and hash_file(path) != record["sha256"]:
            return f"{name} was changed since it was written"
    return None
