"""The FPGA path: the tensor tile behind a UART on an iCEBreaker or a ULX3S, built with YoWASP.

- `build_bitstream`: any Amaranth board top -> bitstream + utilisation + Fmax (`FpgaResult`).
- `load_board_design` / `board_design_path`: ``designs/boards/<board>.toml`` -> `BoardDesign`
  (its ``top()`` is the UART tensor tile for that board).
- `run_gemm`: a random GEMM on a board through its serial port, checked against numpy.
"""

from tapeout.fpga.board_design import BoardDesign, board_design_path, load_board_design
from tapeout.fpga.boards import BOARDS, get_board
from tapeout.fpga.build import (DesignDoesNotFitError, FpgaBuildError, FpgaResult,
                                build_bitstream)
from tapeout.fpga.host import BoardTimeoutError, run_gemm
from tapeout.fpga.toolchain import ToolMissingError

__all__ = [
    "BOARDS", "BoardDesign", "BoardTimeoutError", "DesignDoesNotFitError", "FpgaBuildError",
    "FpgaResult", "ToolMissingError", "board_design_path", "build_bitstream", "get_board",
    "load_board_design", "run_gemm",
]
