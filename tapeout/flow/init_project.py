"""`tapeout init`: a starter project in a directory, ready for `tapeout run`.

It holds a copy of a design (the built-in tc4x4 unless told otherwise) with a header comment and, at
its end, every setting the design leaves out with its default and meaning, commented out; the built-in
`counter` design with its Verilog under `designs/src/` as the example of a design of one's own; a
Makefile with the usual targets; and a `.gitignore` for `build/`. Nothing that exists is overwritten.
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
from pathlib import Path

from tapeout import __version__
from tapeout.errors import UsageError
from tapeout.flow.config import (
    BUILTIN_DESIGNS,
    DEFAULT_DESIGN,
    all_sections,
    defaults_of,
    find_design,
    load_design,
    read_toml,
)
from tapeout.resources import package_path

TEMPLATES = package_path("tapeout.flow", "templates")
OWN_VERILOG_EXAMPLE = "counter"
"""The built-in design every starter project gets as its example of a design from one's own Verilog."""


def init_project(directory: Path, source: str = DEFAULT_DESIGN) -> list[Path]:
    """Write a starter project into `directory` (created if missing) from design `source` (a name or a
    TOML path, as `-d` takes); return the files written.

    Raises UsageError, writing nothing, when any of the files exists already.
    """
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} is a file, not a directory; tapeout init DIR writes a project into DIR")
    files = starter_files(source)
    existing = [directory / name for name in files if (directory / name).exists()]
    if existing:
        raise UsageError(f"{existing[0]} already exists; tapeout init overwrites nothing "
                         "(give a new or empty directory: tapeout init DIR)")
    written = []
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def starter_files(source: str) -> dict[str, str]:
    """``{relative path: text}`` of the starter project made from design `source`."""
    path = find_design(source)
    config = load_design(path)
    files = _design_files(path, config)
    if config.name != OWN_VERILOG_EXAMPLE:
        example = find_design(OWN_VERILOG_EXAMPLE)
        files.update(_design_files(example, load_design(example)))
    files["Makefile"] = (TEMPLATES / "Makefile.tmpl").read_text().replace("@DESIGN@", config.name)
    files[".gitignore"] = (TEMPLATES / "gitignore.tmpl").read_text()
    return files


def _design_files(path: Path, config) -> dict[str, str]:
    """The design's TOML (as designs/<name>.toml, with a header and the defaults block), its Verilog and
    its cocotb test modules."""
    name = config.name
    origin = f"built-in design {path.stem!r}" if path.parent == BUILTIN_DESIGNS else f"design {path}"
    header = (TEMPLATES / "design_header.tmpl").read_text()
    for key, value in (("@NAME@", name), ("@ORIGIN@", origin), ("@VERSION@", __version__)):
        header = header.replace(key, value)
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
    files = {f"designs/{name}.toml": header + text + defaults_block(set(read_toml(path)))}
    tests = [(f"{module.replace('.', '/')}.py", "[verify] tests module") for module in config.verify.tests]
    for relative, what in [*((v, "[design] verilog file") for v in config.design.verilog), *tests]:
        source = (path.parent / relative).resolve()
        if not source.is_relative_to(path.parent.resolve()):
            raise UsageError(f"{path}: {what} {relative!r} is outside the design's folder; "
                             "tapeout init copies only files below it")
        if source.is_file() or what.startswith("[design]"):
            files[f"designs/{Path(relative).as_posix()}"] = source.read_text(encoding="utf-8")
    return files


def defaults_block(written: set[str]) -> str:
    """Every section a design file leaves out, with each key's default and meaning, as TOML comments
    (uncommented, the block changes nothing). Sections without defaults for every key are left out."""
    lines = ["", "# ---- Every other setting, at its default; uncomment a section and a key to change it. ----"]
    for section, cls in all_sections().items():
        fields = dataclasses.fields(cls)
        if section in written or defaults_of(cls) is None or not all("spec" in f.metadata for f in fields):
            continue
        lines += ["#", f"# [{section}]"]
        for f in fields:
            spec, doc = f.metadata["spec"], f.metadata.get("doc", "")
            setting = f"# {f.name} = {toml_value(f.default)}"
            try:
                spec.check(tomllib.loads(setting[2:])[f.name])  # the value as a user uncommenting it gives it
            except ValueError:  # unset by default (an empty path): a comment even when uncommented
                setting = f"# # {f.name} = ..."
                doc = f"{doc} ({spec.describe()}; not set by default)".lstrip()
            lines.append(f"{setting:<40} # {doc}" if doc else setting)
    return "\n".join(lines) + "\n"


def toml_value(value) -> str:
    """`value` (bool, int, float, str, or a tuple/list of them) written as TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")
