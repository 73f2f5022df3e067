"""Outputs changed, truncated or deleted after a run are noticed: the stage reruns and says why."""

from tapeout.flow.config import load_design
from tapeout.flow.engine import Engine, Hooks
from tests.flow.fake_stages import chain
from tests.flow.test_engine import make_engine, statuses

DESIGN = '[design]\nname = "t"\nclock_period_ns = 10\n[tensor_core]\nrows = 4\ncols = {cols}\n[tile_buffer]\nwidth = 256\n'


def noted_run(engine):
    notes = []
    engine.run(hooks=Hooks(note=notes.append))
    return notes


def test_an_edited_output_of_the_same_size_is_noticed(tmp_path):
    runs = []
    engine = make_engine(tmp_path, runs)
    engine.run()
    path = engine.stage_dir("second") / "b.txt"
    path.write_text(path.read_text().replace("4", "9"))  # same size, other content
    runs.clear()
    assert noted_run(engine) == ["second: rerunning, its output b.txt was changed since it was written"]
    assert runs == ["second"]  # b.txt comes back as it was, so third stays up to date


def test_a_deleted_metrics_file_is_noticed(tmp_path):
    runs = []
    engine = make_engine(tmp_path, runs)
    engine.run()
    (engine.stage_dir("third") / "metrics.json").unlink()
    row = next(r for r in engine.status() if r.name == "third")
    assert (row.status, row.message) == ("stale", "its output metrics.json is missing")
    runs.clear()
    engine.run()
    assert runs == ["third"]


def test_a_failed_copy_of_a_design_does_not_mark_the_original_failed(tmp_path):
    original = tmp_path / "a.toml"
    original.write_text(DESIGN.format(cols=4))
    copy = tmp_path / "b.toml"  # same [design] name, so the same build directory
    copy.write_text(DESIGN.format(cols=8))
    Engine(load_design(original), chain([]), tmp_path / "build").run()
    failing = Engine(load_design(copy), chain([]), tmp_path / "build")
    assert statuses(failing.run(options={"fail": True}))["second"] == "failed"
    assert statuses(failing.status())["second"] == "failed"
    assert statuses(Engine(load_design(original), chain([]), tmp_path / "build").status()) == {
        "first": "up to date", "second": "up to date", "third": "up to date"}
