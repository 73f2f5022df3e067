"""A trial's design file: the base design with the trial's values, written into the trial's folder.

The file is an ordinary design TOML, so `tapeout run/status/report -d <trial>/design.toml --build-dir
<trial>` work on it. Files the base design names relative to its own folder (`[design] verilog`,
`[signoff] sdc`, ...) are written as absolute paths so that they still resolve from the trial folder.
"""

from __future__ import annotations

import copy
from pathlib import Path

import tomli_w

from tapeout.flow.config import read_toml


def trial_design_data(base: Path, values: dict) -> dict:
    """The base design's TOML data with each `section.key` of `values` set."""
    data = copy.deepcopy(read_toml(base))
    for key, value in values.items():
        section, _, item = key.partition(".")
        data.setdefault(section, {})[item] = value
    return _absolute_files(data, base.parent.resolve())


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
