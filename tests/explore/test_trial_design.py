"""A trial's design file: the base design with the trial's values, its files still found."""

from tapeout.explore.trial_design import write_trial_design
from tapeout.flow.config import load_design
from tests.conftest import ROOT


def test_values_are_set_and_new_sections_created(tmp_path):
    path = write_trial_design(ROOT / "designs" / "tc4x4.toml",
                              {"tensor_core.rows": 8, "tile_buffer.width": 128, "package.node": "N3",
                               "package.die_area_mm2": 300.0}, tmp_path / "t0001" / "design.toml")
    config = load_design(path)
    assert (config.tensor_core.rows, config.tensor_core.cols, config.tile_buffer.width) == (8, 4, 128)
    assert (config.package.node, config.package.die_area_mm2) == ("N3", 300.0)
    assert config.design.name == "tc4x4"  # the same name: the trial's stages hash like the base design's
    assert path.read_text().startswith("# trial design: ")


def test_files_named_relative_to_the_base_design_are_made_absolute(tmp_path):
    path = write_trial_design(ROOT / "designs" / "counter.toml", {"design.clock_period_ns": 7.5},
                              tmp_path / "t0000" / "design.toml")
    config = load_design(path)  # would fail if src/counter.v were looked up beside the trial's file
    assert config.design.verilog == (str(ROOT / "designs" / "src" / "counter.v"),)
    assert config.verilog_paths[0].read_text() == (ROOT / "designs" / "src" / "counter.v").read_text()
    assert config.design.clock_period_ns == 7.5
