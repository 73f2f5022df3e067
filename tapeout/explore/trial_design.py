"""A trial's design file: the base design with the trial's values, written into the trial's folder.

The file is an ordinary design TOML, so `tapeout run/status/report -d <trial>/design.toml --build-dir
<trial>` work on it. Files the base design names relative to its own folder (`[design] verilog`,
`[signoff] sdc`, ...) are written as absolute paths so that they still resolve from the trial folder.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

import tomli_w

from tapeout.flow.config import read_toml


def trial_design_data(base: Path, values: dict) -> dict:
    """The base design's TOML data with each `section.key` of `values` set."""
    stat = Path(base).stat()
    data = copy.deepcopy(_base_data(str(base), stat.st_size, stat.st_mtime_ns))
    folder = Path(base).parent.resolve()
    for key, value in values.items():
        section, _, item = key.partition(".")
        data.setdefault(section, {})[item] = _absolute_files(value, folder)
    return data


@lru_cache(maxsize=8)
def _base_data(base: str, size: int, mtime_ns: int) -> dict:
    """The base design read and its file names made absolute, once per process and version of the file (an
    explore worker reads it while warming up; the trials forked from it find it parsed)."""
    return _absolute_files(read_toml(Path(base)), Path(base).parent.resolve())


def _absolute_files(value, folder: Path):
    """Every string naming an existing file relative to `folder`, made absolute."""
    if isinstance(value, dict):
        return {k: _absolute_files(v, folder) for k, v in value.items()}
    if isinstance(value, list):
        return [_absolute_files(v, folder) for v in value]
    if isinstance(value, str) and value and not Path(value).is_absolute() and (folder / value).is_file():
        return str(folder / value)
    return value


def write_trial_design(base: Path, values: dict, path: Path) -> Path:
    """Write the trial's design file to `path` (atomically) and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(f"# trial design: {base} with {_describe(values)}\n"
                   + tomli_w.dumps(trial_design_data(base, values)), encoding="utf-8")
    tmp.replace(path)
    return path


def _describe(values: dict) -> str:
    return ", ".join(f"{k} = {v!r}" for k, v in values.items())
