"""Board design files: ``designs/boards/<board>.toml`` states the tile a board gets and its UART.

The tile sections use the names of the main design file (``[tensor_core]``,
``[tile_buffer]``, ``[crossbar]``); keys left out take the TensorTile defaults. A board whose
device is too small for the default tile states a smaller one here. Example::

    [board]
    name = "icebreaker"
    baud = 115200

    [tensor_core]
    rows = 2
    cols = 2
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from tapeout.errors import ConfigError
from tapeout.flow.config import BUILTIN_DESIGNS
from tapeout.fpga.board_top import BoardTop
from tapeout.fpga.boards import Board, get_board
from tapeout.fpga.protocol import TileShape
from tapeout.fpga.uart import baud_divisor

# (section, key in the design file) -> TensorTile parameter
TILE_KEYS: dict[tuple[str, str], str] = {
    ("tensor_core", "rows"): "rows", ("tensor_core", "cols"): "cols",
    ("tensor_core", "in_width"): "in_width", ("tensor_core", "acc_width"): "acc_width",
    ("tensor_core", "dataflow"): "dataflow",
    ("tile_buffer", "banks"): "banks", ("tile_buffer", "depth"): "depth",
    ("tile_buffer", "width"): "width",
    ("crossbar", "ports"): "ports", ("crossbar", "width"): "xbar_width",
    ("crossbar", "arbitration"): "arbitration",
}
BOARD_KEYS = ("name", "baud")
DEFAULT_BAUD = 115200


@dataclass(frozen=True)
class BoardDesign:
    """A board and the tile configuration built for it.

    board : the board (`tapeout.fpga.boards.Board`); tile_params : TensorTile parameters
    baud : UART baud rate (bit/s); path : the file it came from
    """

    board: Board
    tile_params: dict
    baud: int
    path: Path

    @property
    def shape(self) -> TileShape:
        """What the host must know about the tile."""
        return TileShape.from_params(self.tile_params)

    def top(self) -> BoardTop:
        """A fresh board top (UART + tile) for this board, clocked by its oscillator.

        Raises
        ------
        ConfigError
            A tile parameter the TensorTile refuses, as one line naming this file.
        """
        try:
            return BoardTop(self.tile_params, self.board.oscillator_hz, self.baud)
        except (TypeError, ValueError) as error:
            raise ConfigError(f"{self.path}: tile: {error}") from None


def board_design_path(board: str, designs_dir=Path("designs")) -> Path:
    """Where the design file of ``board`` lives: ``<designs_dir>/boards/<board>.toml`` when the project
    has one, else the built-in one (``tapeout/designs/boards/<board>.toml`` in the package)."""
    own = Path(designs_dir) / "boards" / f"{board}.toml"
    return own if own.is_file() else BUILTIN_DESIGNS / "boards" / f"{board}.toml"


def load_board_design(path) -> BoardDesign:
    """Read and check a board design file.

    Raises
    ------
    ConfigError
        One line per problem, each starting with the file name: a missing file, bad TOML,
        an unknown section or key, a board that does not exist, or a baud rate the board
        clock cannot make. Tile parameters are checked when the top is built (`BoardDesign.top`).
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such board design file") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}") from None

    errors = []
    sections = {section for section, _ in TILE_KEYS} | {"board"}
    for section in sorted(set(data) - sections):
        errors.append(f"{path}: unknown section [{section}]; expected one of "
                      f"{', '.join(sorted(sections))}")
    board_section = data.get("board", {})
    for key in sorted(set(board_section) - set(BOARD_KEYS)):
        errors.append(f"{path}: [board] unknown key {key!r}; expected one of {', '.join(BOARD_KEYS)}")
    tile_params = {}
    for section in sorted(sections - {"board"}):
        for key, value in data.get(section, {}).items():
            if (section, key) not in TILE_KEYS:
                errors.append(f"{path}: [{section}] unknown key {key!r}")
            else:
                tile_params[TILE_KEYS[section, key]] = value
    baud = board_section.get("baud", DEFAULT_BAUD)
    if not isinstance(baud, int) or isinstance(baud, bool) or baud < 1:
        errors.append(f"{path}: [board] baud must be a positive integer, not {baud!r}")
    if "name" not in board_section:
        errors.append(f"{path}: [board] name is missing")
    if errors:
        raise ConfigError(errors)

    try:
        board = get_board(board_section["name"])
    except ConfigError as error:
        raise ConfigError(f"{path}: [board] {error}") from None
    try:
        baud_divisor(board.oscillator_hz, baud)
    except ValueError as error:
        raise ConfigError(f"{path}: [board] {error}") from None
    return BoardDesign(board=board, tile_params=tile_params, baud=baud, path=path)
