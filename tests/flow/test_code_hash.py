"""Which stages a change to tapeout's own files reruns: the import closure plus package data."""

import json
import os
import re
import shutil
import subprocess
import sys

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
    code_hash.forget()
    yield root
    code_hash.forget()


def stages_touched_by(root, relative: str) -> set[str]:
    """The stages whose code digest changes when `relative` (a path in the package) is edited."""
    engine = Engine(load_design(ROOT / "designs" / "tc4x4.toml"), flow_stages())
    before = {name: engine.code_files(stage) for name, stage in engine.stages.items()}
    path = root / relative
    path.write_bytes(path.read_bytes() + b"\n")
    code_hash.forget()  # digests are kept per process; a new process would read the edit
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


FRESH_DIGEST = """
import json, sys
import tapeout
from tapeout.flow.config import load_design
from tapeout.flow.engine import Engine
from tapeout.flow.stages import flow_stages
assert tapeout.__file__.startswith(sys.argv[1]), tapeout.__file__
engine = Engine(load_design(sys.argv[2]), flow_stages())
print(json.dumps(engine.code_files(engine.stages["package"])))
"""


def test_digests_are_kept_per_process_and_a_new_process_sees_an_edit(package_copy):
    engine = Engine(load_design(ROOT / "designs" / "tc4x4.toml"), flow_stages())
    package = engine.stages["package"]
    before = engine.code_files(package)
    path = package_copy / "package" / "wafer.py"
    path.write_bytes(path.read_bytes() + b"# edited\n")
    assert engine.code_files(package) == before  # this process runs the code it imported
    env = {**os.environ, "PYTHONPATH": str(package_copy.parent)}
    fresh = subprocess.run([sys.executable, "-c", FRESH_DIGEST, str(package_copy), str(ROOT / "designs" / "tc4x4.toml")],
                           capture_output=True, text=True, env=env, cwd=package_copy.parent, check=True)
    after = json.loads(fresh.stdout)
    assert after.keys() == before.keys()
    assert {name for name in before if after[name] != before[name]} == {"package/wafer.py"}
