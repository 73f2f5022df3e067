"""On-disk cache of parsed Liberty libraries, as JSON: content-addressed, verified on read, no code run.

A cache file `liberty-<format>-<sha256 of the .lib>.json` holds `{"format", "source_sha256",
"payload_sha256", "payload"}`; `payload` is the library as plain data (cells, pins, arcs, NLDM tables
as lists). Reading checks the format, that the source digest matches the file asked for, and the
payload's own digest, so a truncated, edited or foreign cache is ignored and rebuilt. Floats round-trip
exactly through JSON (shortest repr).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np

from tapeout.tech.nldm import Table

CACHE_FORMAT = 4


def cache_dir() -> Path:
    return Path(os.environ.get("TAPEOUT_CACHE_DIR") or Path.home() / ".cache" / "tapeout")


def _table(t: Table | None):
    if t is None:
        return None
    return {"index_1": t.index_1.tolist(), "index_2": t.index_2.tolist(), "shape": list(t.values.shape),
            "values": t.values.reshape(-1).tolist()}


def _untable(d) -> Table | None:
    if d is None:
        return None
    values = np.asarray(d["values"], dtype=float).reshape(d["shape"])
    return Table(np.asarray(d["index_1"], dtype=float), np.asarray(d["index_2"], dtype=float), values)


def library_to_data(library) -> dict:
    cells = []
    for c in library.cells.values():
        cells.append({
            "name": c.name, "area_um2": c.area_um2, "width_sites": c.width_sites, "leakage_nw": c.leakage_nw,
            "pins": [vars(p) for p in c.pins.values()],
            "arcs": [{**{k: getattr(a, k) for k in ("pin", "related_pin", "timing_type", "timing_sense")},
                      "tables": {k: _table(t) for k, t in a.tables.items()}} for a in c.arcs + c.checks],
            "power": [{"pin": p.pin, "related_pin": p.related_pin, "rise": _table(p.rise), "fall": _table(p.fall)}
                      for p in c.power],
            "flop": c.flop, "dont_use": c.dont_use, "is_clock_cell": c.is_clock_cell,
        })
    return {"name": library.name, "units": library.units, "cells": cells}


def library_from_data(data: dict):
    from tapeout.tech.library import LibCell, Library, Pin, PowerArc, TimingArc

    cells = []
    for c in data["cells"]:
        arcs = [TimingArc(a["pin"], a["related_pin"], a["timing_type"], a["timing_sense"],
                          {k: _untable(t) for k, t in a["tables"].items()}) for a in c["arcs"]]
        cells.append(LibCell(
            name=c["name"], area_um2=c["area_um2"], width_sites=c["width_sites"], leakage_nw=c["leakage_nw"],
            pins={p["name"]: Pin(**p) for p in c["pins"]},
            arcs=[a for a in arcs if not a.is_check], checks=[a for a in arcs if a.is_check],
            power=[PowerArc(p["pin"], p["related_pin"], _untable(p["rise"]), _untable(p["fall"])) for p in c["power"]],
            flop=c["flop"], dont_use=c["dont_use"], is_clock_cell=c["is_clock_cell"]))
    return Library(data["name"], cells, data["units"])


def cache_path(source_sha256: str) -> Path:
    return cache_dir() / f"liberty-{CACHE_FORMAT}-{source_sha256}.json"


def read_cached(source_sha256: str):
    """The cached library for a .lib of this digest, or None (absent, damaged or not matching)."""
    try:
        record = json.loads(cache_path(source_sha256).read_text(encoding="utf-8"))
        payload = json.dumps(record["payload"], sort_keys=True, separators=(",", ":"))
        if (record.get("format") != CACHE_FORMAT or record.get("source_sha256") != source_sha256
                or hashlib.sha256(payload.encode()).hexdigest() != record.get("payload_sha256")):
            return None
        return library_from_data(record["payload"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_cached(source_sha256: str, library) -> None:
    """Store the library (best effort: an unwritable cache directory is not an error)."""
    data = library_to_data(library)
    payload = json.dumps(data, sort_keys=True, separators=(",", ":"))
    record = {"format": CACHE_FORMAT, "source_sha256": source_sha256,
              "payload_sha256": hashlib.sha256(payload.encode()).hexdigest(), "payload": data}
    path = cache_path(source_sha256)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(record, sort_keys=True, separators=(",", ":")), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass
