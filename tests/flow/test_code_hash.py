"""Which stages a change to tapeout's own files reruns: the import closure plus package data."""

import re
import shutil

import pytest

from tapeout.flow import code_hash
from tapeout.flow.config import load_design
from tapeout.flow.engine import Engine
from tapeout.flow.stages import flow_stages
from tests.conftest import ROOT


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """A copy of the tapeout package that the code hash reads instead of the real one."""
    root = tmp_path / "tapeout"
    shutil.copytree(ROOT / "tapeout", root, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(code_hash, "PACKAGE_ROOT", root)
    code_hash.module_file.cache_clear()
    yield root
    code_hash.module_file.cache_clear()


def stages_touched_by(root, relative: str) -> set[str]:
    """The stages whose code digest changes when `relative` (a path in the package) is edited."""
    engine = Engine(load_design(ROOT / "designs" / "tc4x4.toml"), flow_stages())
    before = {name: engine.code_files(stage) for name, stage in engine.stages.items()}
    path = root / relative
    path.write_bytes(path.read_bytes() + b"\n")
    after = {name: engine.code_files(stage) for name, stage in engine.stages.items()}
    return {name for name in before if before[name] != after[name]}


def test_a_property_file_reruns_verify_and_the_gate_level_stages(package_copy):
    # lec and gls run code of the tapeout.verify package (testbenches, simulators), so its data files count
    assert stages_touched_by(package_copy, "verify/properties/crossbar_props.sv") == {"verify", "lec", "gls"}


def test_the_liberty_file_reruns_synthesis_and_the_physical_stages(package_copy):
    touched = stages_touched_by(package_copy, "tech/data/tap130.lib")
    assert {"synth", "place", "resize", "cts", "route", "signoff"} <= touched
    assert not touched & {"arch", "verify", "package"}


def test_a_package_only_module_reruns_package_only(package_copy):
    assert stages_touched_by(package_copy, "package/wafer.py") == {"package"}


def test_a_module_imported_by_package_from_arch_reruns_both(package_copy):
    assert stages_touched_by(package_copy, "arch/roofline.py") == {"arch", "package"}


def test_the_flow_framework_is_not_part_of_any_stage(package_copy):
    assert stages_touched_by(package_copy, "flow/cli.py") == set()


def test_function_level_imports_are_followed():
    closure = code_hash.import_closure("tapeout.pnr.route.stage")
    assert "tapeout.pnr.route.negotiated" in closure  # imported inside RouteStage.run
    assert "tapeout.flow.stage" not in closure


def test_no_pickle_anywhere_in_the_package():
    loads_code = re.compile(r"\bimport pickle\b|\bpickle\.|allow_pickle=True|\bmarshal\.|\bshelve\b")
    offenders = [p.relative_to(ROOT) for p in (ROOT / "tapeout").rglob("*.py") if loads_code.search(p.read_text())]
    assert offenders == []
