"""Design config parsing: the shipped designs load, every error class gets its pinned one-line message."""

from pathlib import Path

import pytest

from tapeout.errors import ConfigError
from tapeout.flow.config import BUILTIN_DESIGNS, design_files, find_design, load_design

ROOT = Path(__file__).resolve().parents[2]

GOOD = """
[design]
name = "t"
clock_period_ns = 10.0

[tensor_core]
rows = 4
cols = 4
"""


def write(tmp_path, text, name="x.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def errors_of(path):
    with pytest.raises(ConfigError) as info:
        load_design(path)
    return info.value.lines


def test_default_design_parses_into_typed_sections():
    config = load_design(ROOT / "designs" / "tc4x4.toml")
    assert config.name == "tc4x4"
    assert config.design.clock_period_ns == 10.0
    assert (config.tensor_core.rows, config.tensor_core.cols, config.tensor_core.dataflow) == (4, 4, "os")
    assert (config.tensor_core.in_width, config.tensor_core.acc_width) == (8, 32)
    assert (config.tile_buffer.banks, config.crossbar.ports, config.crossbar.width) == (2, 4, 32)
    assert config.uses_generators


def test_every_shipped_design_loads(monkeypatch):
    from tests.conftest import SHARED_PDK

    monkeypatch.setenv("PDK_ROOT", str(SHARED_PDK))
    for path in sorted((ROOT / "designs").glob("*.toml")):
        if "sky130" in path.read_text() and not SHARED_PDK.is_dir():
            continue  # needs a PDK root (tested in tests/tech/test_sky130.py when there is one)
        load_design(path)


def test_defaults_fill_optional_sections(tmp_path):
    config = load_design(write(tmp_path, GOOD))
    assert config.tile_buffer.depth == 256
    assert config.technology.target_utilization == 0.6
    assert config.tensor_core.dataflow == "os"


def test_unknown_key_suggests_the_closest(tmp_path):
    path = write(tmp_path, GOOD.replace("rows = 4", "rwos = 4\nrows = 4"))
    assert errors_of(path) == [f"{path}: [tensor_core] unknown key 'rwos'; did you mean 'rows'?"]


def test_unknown_section_suggests_the_closest(tmp_path):
    path = write(tmp_path, GOOD + "\n[tensr_core]\nrows = 1\n")
    assert errors_of(path) == [f"{path}: unknown section [tensr_core]; did you mean [tensor_core]?"]


def test_wrong_type(tmp_path):
    path = write(tmp_path, GOOD.replace("rows = 4", 'rows = "four"'))
    assert errors_of(path) == [f"{path}: [tensor_core] rows must be an integer from 1 to 64, not 'four'"]


def test_bool_is_not_an_integer(tmp_path):
    path = write(tmp_path, GOOD.replace("cols = 4", "cols = true"))
    assert errors_of(path) == [f"{path}: [tensor_core] cols must be an integer from 1 to 64, not true"]


def test_out_of_range(tmp_path):
    path = write(tmp_path, GOOD.replace("rows = 4", "rows = 0"))
    assert errors_of(path) == [f"{path}: [tensor_core] rows must be an integer from 1 to 64, not 0"]


def test_float_out_of_range_names_the_unit(tmp_path):
    path = write(tmp_path, GOOD.replace("clock_period_ns = 10.0", "clock_period_ns = -1"))
    assert errors_of(path) == [
        f"{path}: [design] clock_period_ns must be a number from 0.1 to 1000 (ns), not -1.0"]


def test_bad_choice(tmp_path):
    path = write(tmp_path, GOOD + 'dataflow = "xs"\n')
    assert errors_of(path) == [f"{path}: [tensor_core] dataflow must be one of 'os', 'ws', not 'xs'"]


def test_missing_required_key(tmp_path):
    path = write(tmp_path, GOOD.replace("clock_period_ns = 10.0\n", ""))
    assert errors_of(path) == [f"{path}: [design] missing required key 'clock_period_ns'"]


def test_missing_required_section(tmp_path):
    path = write(tmp_path, "[tensor_core]\nrows = 2\ncols = 2\n")
    assert errors_of(path) == [f"{path}: missing required section [design]"]


def test_toml_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, GOOD.replace("rows = 4", "rows 4"))
    lines = errors_of(path)
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}:7: TOML syntax error: ")


def test_all_errors_are_reported_one_line_each(tmp_path):
    path = write(tmp_path, GOOD.replace("rows = 4", "rows = 100").replace("cols = 4", "colz = 4"))
    assert errors_of(path) == [
        f"{path}: [tensor_core] rows must be an integer from 1 to 64, not 100",
        f"{path}: [tensor_core] unknown key 'colz'; did you mean 'cols'?",
        f"{path}: [tensor_core] missing required key 'cols'",
    ]


def test_missing_file():
    assert errors_of(Path("nope/x.toml")) == ["nope/x.toml: design file not found"]


def test_own_verilog_design(tmp_path):
    (tmp_path / "counter.v").write_text("module counter(input clk); endmodule\n")
    config = load_design(write(tmp_path, '[design]\nname = "c"\ntop = "counter"\nclock_period_ns = 5\n'
                                         'verilog = ["counter.v"]\n'))
    assert not config.uses_generators
    assert config.tensor_core is None
    assert config.verilog_paths == (tmp_path / "counter.v",)


def test_own_verilog_file_missing(tmp_path):
    path = write(tmp_path, '[design]\nname = "c"\nclock_period_ns = 5\nverilog = ["gone.v"]\n')
    assert errors_of(path) == [
        f"{path}: [design] verilog file 'gone.v' not found (paths are relative to {tmp_path}/)"]


def test_generator_design_needs_a_tensor_core(tmp_path):
    path = write(tmp_path, '[design]\nname = "c"\nclock_period_ns = 5\n')
    assert errors_of(path) == [
        f"{path}: missing required section [tensor_core] "
        "(or name your own HDL with [design] verilog = [...] or amaranth = '...')"]


def test_amaranth_import_path_is_checked(tmp_path):
    path = write(tmp_path, '[design]\nname = "c"\nclock_period_ns = 5\namaranth = "not a path"\n')
    assert errors_of(path) == [
        f"{path}: [design] amaranth must be an import path 'package.module:Component', not 'not a path'"]


def test_find_design_by_name_and_unknown_name(project):
    assert find_design("tc4x4") == Path("designs/tc4x4.toml")
    assert find_design(None) == Path("designs/tc4x4.toml")
    with pytest.raises(ConfigError, match=r"no design 'tc4x5' in designs/ or built in; did you mean 'tc4x4'\?"):
        find_design("tc4x5")


def test_built_in_designs_are_found_in_an_empty_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert find_design(None) == BUILTIN_DESIGNS / "tc4x4.toml"
    assert find_design("counter") == BUILTIN_DESIGNS / "counter.toml"
    assert load_design(find_design("counter")).verilog_paths[0].read_text().startswith("// An 8-bit counter")
    assert {"b200_like", "counter", "h100_like", "tc4x4"} <= set(design_files())
    assert all(built_in for _, built_in in design_files().values())
    with pytest.raises(ConfigError, match=r"^no design 'x' in designs/ or built in \(known: b200_like, counter, "):
        find_design("x")


def test_the_project_s_design_wins_over_the_built_in_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "designs").mkdir()
    (tmp_path / "designs" / "counter.toml").write_text('[design]\nname = "counter"\nclock_period_ns = 7\n'
                                                        '[tensor_core]\nrows = 2\ncols = 2\n')
    assert find_design("counter") == Path("designs/counter.toml")
    assert design_files()["counter"] == (Path("designs/counter.toml"), False)
    assert design_files()["tc4x4"] == (BUILTIN_DESIGNS / "tc4x4.toml", True)


def test_package_section_is_validated_by_its_spec(tmp_path):
    path = write(tmp_path, GOOD + '\n[package]\nnode = "N4"\ndies = 0\ndie_area_mm2 = 100.0\n')
    assert errors_of(path) == [f"{path}: [package] dies must be a positive integer, not 0"]
    path = write(tmp_path, GOOD + '\n[package]\nnode = "N4"\ndeis = 2\n')
    assert errors_of(path) == [f"{path}: [package] unknown key 'deis'; did you mean 'dies'?"]
    path = write(tmp_path, GOOD + '\n[package]\nnode = "N4"\n')
    assert errors_of(path) == [f"{path}: [package] give exactly one of tiles_per_die and die_area_mm2, "
                               "not tiles_per_die=None and die_area_mm2=None"]


def test_presets_carry_their_package():
    h100 = load_design(ROOT / "designs" / "h100_like.toml").package
    b200 = load_design(ROOT / "designs" / "b200_like.toml").package
    assert (h100.dies, h100.hbm_stacks, h100.interposer) == (1, 5, "cowos-s")
    assert (b200.dies, b200.hbm_stacks, b200.interposer) == (2, 8, "cowos-l")


def test_buffer_word_must_hold_an_array_beat(tmp_path):
    path = write(tmp_path, GOOD + "\n[tile_buffer]\nwidth = 32\n")
    assert errors_of(path) == [f"{path}: [tile_buffer] width must be at least (rows + cols) * in_width = 64 "
                               "bits to hold one array beat, not 32"]
