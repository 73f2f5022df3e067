"""Content hashes for make-style up-to-date checks."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

# Files of a stage directory that describe a run rather than its results.
RUN_RECORDS = {"stamp.json", "log.txt", "metrics.json"}


def hash_data(data) -> str:
    """sha256 of JSON-serialisable data, independent of dict order."""
    text = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def hash_file(path: Path, h=None) -> str:
    h = h or hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
