import pytest

from tapeout.errors import ConfigError
from tapeout.fpga.board_design import board_design_path, load_board_design
from tapeout.fpga.board_top import BoardTop
from tests.conftest import ROOT


@pytest.mark.parametrize("board", ["icebreaker", "ulx3s-85f"])
def test_shipped_board_designs_load(board):
    design = load_board_design(board_design_path(board, ROOT / "designs"))
    assert design.board.name == board
    assert design.baud == 115200
    assert isinstance(design.top(), BoardTop)


def test_icebreaker_states_a_smaller_tile():
    design = load_board_design(board_design_path("icebreaker", ROOT / "designs"))
    assert (design.shape.rows, design.shape.cols) == (2, 2)
    assert design.tile_params["ports"] == 2


def write(tmp_path, text):
    path = tmp_path / "b.toml"
    path.write_text(text)
    return path


def test_bad_board_design_files(tmp_path):
    with pytest.raises(ConfigError, match=r"b\.toml: no such board design file$"):
        load_board_design(tmp_path / "b.toml")
    path = write(tmp_path, '[board]\nname = "icebreaker"\nspeed = 1\n[tensor_core]\nrowz = 2\n[x]\n')
    with pytest.raises(ConfigError) as error:
        load_board_design(path)
    assert error.value.lines == [
        f"{path}: unknown section [x]; expected one of board, crossbar, tensor_core, tile_buffer",
        f"{path}: [board] unknown key 'speed'; expected one of name, baud",
        f"{path}: [tensor_core] unknown key 'rowz'",
    ]
    path = write(tmp_path, '[board]\nname = "arty"\n')
    with pytest.raises(ConfigError, match=r"b\.toml: \[board\] unknown FPGA board 'arty'; known "
                                          r"boards: icebreaker, ulx3s-85f$"):
        load_board_design(path)
    path = write(tmp_path, '[board]\nname = "icebreaker"\nbaud = 5000000\n')
    with pytest.raises(ConfigError, match=r"b\.toml: \[board\] baud must be at most clock_hz / 4"):
        load_board_design(path)


def test_tile_errors_name_the_file(tmp_path):
    path = write(tmp_path, '[board]\nname = "icebreaker"\n[tile_buffer]\nwidth = 16\n')
    design = load_board_design(path)
    with pytest.raises(ConfigError, match=r"b\.toml: tile: width must be at least "
                                          r"\(rows \+ cols\) \* in_width \(64\), not 16$"):
        design.top()
