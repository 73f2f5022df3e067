"""Stages shared between trials through the index: same input hash, same result; anything else runs."""

import json

from tapeout.explore.stage_index import publish_stages, reuse_stages
from tapeout.flow.config import load_design
from tapeout.flow.engine import RAN, UP_TO_DATE, Engine
from tests.explore.conftest import BASE
from tests.explore.fake_flow import fake_stages


def engine_for(tmp_path, name, clock=10.0):
    design = tmp_path / f"{name}.toml"
    design.write_text(BASE.replace("clock_period_ns = 10.0", f"clock_period_ns = {clock}"))
    return Engine(load_design(design), fake_stages(), tmp_path / name)


def test_stages_with_the_same_inputs_are_hard_linked_in(tmp_path):
    index = tmp_path / "index"
    first = engine_for(tmp_path, "first")
    first.run()
    publish_stages(first, ["shape", "speed"], index)
    second = engine_for(tmp_path, "second")
    assert reuse_stages(second, ["shape", "speed"], index) == ["shape", "speed"]
    assert [o.status for o in second.run()] == [UP_TO_DATE, UP_TO_DATE]
    shared = [first.stage_dir("shape") / "shape.txt", second.stage_dir("shape") / "shape.txt"]
    assert shared[0].stat().st_ino == shared[1].stat().st_ino
    other_clock = engine_for(tmp_path, "third", clock=5.0)  # speed reads the clock, shape does not
    assert reuse_stages(other_clock, ["shape", "speed"], index) == ["shape"]
    assert [o.status for o in other_clock.run()] == [UP_TO_DATE, RAN]


def test_an_entry_whose_folder_changed_is_ignored(tmp_path):
    index = tmp_path / "index"
    first = engine_for(tmp_path, "first")
    first.run()
    publish_stages(first, ["shape"], index)
    stamp = first.stage_dir("shape") / "stamp.json"
    stamp.write_text(json.dumps({**json.loads(stamp.read_text()), "input_hash": "something else"}))
    second = engine_for(tmp_path, "second")
    assert reuse_stages(second, ["shape", "speed"], index) == []
    assert [o.status for o in second.run()] == [RAN, RAN]


def test_a_stage_run_without_pictures_serves_only_runs_without_pictures(tmp_path):
    from tests.flow.fake_stages import Drawing

    def engine(name):
        design = tmp_path / f"{name}.toml"
        design.write_text(BASE)
        return Engine(load_design(design), [Drawing([])], tmp_path / name)

    index, no_pictures = tmp_path / "index", {"no_pictures": True}
    first = engine("first")
    first.run(options=no_pictures)
    publish_stages(first, ["drawing"], index)
    assert reuse_stages(engine("second"), ["drawing"], index) == []
    third = engine("third")
    assert reuse_stages(third, ["drawing"], index, no_pictures) == ["drawing"]
    assert [o.status for o in third.run(options=no_pictures)] == [UP_TO_DATE]
