"""The FPGA path: the tensor tile behind a UART on an iCEBreaker or a ULX3S, built with YoWASP.

- `build.build_bitstream`: any Amaranth board top -> bitstream + utilisation + Fmax (`FpgaResult`).
- `board_design.load_board_design` / `board_design_path`: ``designs/boards/<board>.toml`` (the project's,
  else the built-in one) -> `BoardDesign`
  (its ``top()`` is the UART tensor tile for that board).
- `host.run_gemm`: a random GEMM on a board through its serial port, checked against numpy.
"""
