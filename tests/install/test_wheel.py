"""The wheel and sdist that `python -m build` makes: no warning, every data file the code opens, metadata."""

from __future__ import annotations

import ast
import os
import re
import tarfile
import tomllib
from pathlib import Path

import tapeout
from tests.conftest import ROOT
from tests.install.conftest import source_files

PACKAGE = ROOT / "tapeout"


def package_path_calls() -> list[tuple[str, int, str, str]]:
    """``(file, line, package, name)`` of every `package_path(...)` call under tapeout/ (found by parsing
    each module, so a call anywhere is seen). A call whose arguments are not literal strings fails here:
    the check below could not know which file it opens."""
    calls = []
    for module in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if func != "package_path":
                continue
            where = f"{module.relative_to(ROOT)}:{node.lineno}"
            literal = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            assert len(literal) == len(node.args) == 2 and not node.keywords, \
                f"{where}: package_path takes two literal strings (package, name), so that this test can follow it"
            calls.append((where, node.lineno, *literal))
    return calls


def tracked_files() -> set[Path]:
    """The source files a clone has, resolved (tapeout/designs is a link to designs/)."""
    return {(ROOT / name).resolve() for name in source_files()}


def files_below(path: Path, tracked: set[Path]) -> list[Path]:
    """`path` itself if a file, else the tracked files below it (following links), as paths below `path`."""
    if path.is_file():
        return [path]
    below = (Path(folder) / name for folder, _, names in os.walk(path, followlinks=True) for name in names)
    return sorted(p for p in below if p.resolve() in tracked)


def wheel_name(path: Path) -> str:
    """Where a file of the source package lands in the wheel: ``tapeout/...``."""
    return path.relative_to(ROOT).as_posix()


def test_the_build_prints_no_warning(dist):
    warnings = [line for line in dist.output.splitlines() if re.search(r"warn|deprecat", line, re.IGNORECASE)]
    assert warnings == []


def test_every_file_the_code_opens_is_in_the_wheel(dist):
    calls = package_path_calls()
    opened = {(package, name) for _, _, package, name in calls}
    assert {("tapeout.tech", "data/tap130.lib"), ("tapeout.tech", "data/tap130.lef"),
            ("tapeout.verify", "properties"), ("tapeout.verify", "equivalent_mutants.toml"),
            ("tapeout", "designs"), ("tapeout.flow", "templates")} <= opened
    record, tracked = dist.wheel_record(), tracked_files()
    for where, _, package, name in calls:
        source = ROOT.joinpath(*package.split("."), *name.split("/") if name else ())
        assert source.exists(), f"{where}: package_path({package!r}, {name!r}) names {source}, which does not exist"
        files = files_below(source, tracked)
        assert files, f"{where}: {source} holds no tracked file"
        missing = [wheel_name(f) for f in files if wheel_name(f) not in record]
        assert missing == [], f"{where}: package_path({package!r}, {name!r}): not in the wheel: {missing}"


def test_every_tracked_file_of_the_package_is_in_the_wheel_and_the_sdist(dist):
    files = [wheel_name(f) for f in files_below(PACKAGE, tracked_files())]
    assert {"tapeout/designs/tc4x4.toml", "tapeout/designs/src/counter.v", "tapeout/designs/boards/icebreaker.toml",
            "tapeout/flow/templates/Makefile.tmpl", "tapeout/verify/properties/crossbar_props.sv"} <= set(files)
    record = dist.wheel_record()
    assert [f for f in files if f not in record] == []
    with tarfile.open(dist.sdist) as sdist:
        top = sdist.getnames()[0].split("/")[0]
        members = {name.removeprefix(f"{top}/") for name in sdist.getnames()}
    assert [f for f in files if f not in members] == []
    assert {"README.md", "LICENSE", "pyproject.toml"} <= members


def test_metadata_names_the_version_licence_and_readme(dist):
    metadata = dist.wheel_text(".dist-info/METADATA")
    assert f"\nVersion: {tapeout.__version__}\n" in metadata
    assert "\nLicense-Expression: Apache-2.0\n" in metadata
    assert "\nLicense-File: LICENSE\n" in metadata
    assert "\nRequires-Python: >=3.11\n" in metadata
    assert "\nDescription-Content-Type: text/markdown\n" in metadata
    assert "\nClassifier: Topic :: Scientific/Engineering :: Electronic Design Automation (EDA)\n" in metadata
    assert "# tapeout" in metadata  # the README is the long description
    assert dist.wheel.name == f"tapeout-{tapeout.__version__}-py3-none-any.whl"
    assert "tapeout = tapeout.flow.cli:main" in dist.wheel_text(".dist-info/entry_points.txt")


def test_the_version_is_stated_once_in_the_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "tapeout.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", tapeout.__version__)


def test_no_module_finds_data_beside_its_own_source():
    """Data is found through importlib.resources (tapeout.resources), never from a module's __file__."""
    offenders = []
    for module in sorted(PACKAGE.rglob("*.py")):
        text = module.read_text(encoding="utf-8")
        if re.search(r"(?<![\w.])__file__", text):
            offenders.append(f"{module.relative_to(ROOT)}: __file__")
        if module.name != "resources.py" and re.search(r"importlib\.resources|importlib import resources", text):
            offenders.append(f"{module.relative_to(ROOT)}: importlib.resources (use tapeout.resources.package_path)")
    assert offenders == []
