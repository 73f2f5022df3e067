"""The FPGA boards `tapeout fpga` builds for, and what each one's nextpnr report calls its resources.

Board data comes from amaranth-boards (pinout, oscillator, device); device capacities are
the ones nextpnr reports (iCE40 UP5K: 5280 logic cells, 30 EBR block RAMs, 8 SB_MAC16 DSPs,
Lattice DS1105 "iCE40 UltraPlus Family Data Sheet"; ECP5 LFE5U-85F: 83,640 LUT4s, 208 DP16KD
block RAMs, 156 MULT18X18D, Lattice FPGA-DS-02012 "ECP5 and ECP5-5G Family Data Sheet").
"""

from __future__ import annotations

from dataclasses import dataclass

from tapeout.errors import UsageError


@dataclass(frozen=True)
class Board:
    """One FPGA board and the names its toolchain uses.

    name : the board's name on the command line (``icebreaker``)
    platform_module, platform_class : the amaranth-boards platform (imported on use)
    family : nextpnr architecture (``ice40`` or ``ecp5``); selects the tools
    bitstream_suffix : file the packer writes (``.bin`` for iCE40, ``.bit`` for ECP5)
    lut_resource, bram_resource, dsp_resource : nextpnr's cell type for each metric
    ff_cell_prefix : Yosys cell type prefix of a flip-flop in the synthesised netlist
    """

    name: str
    platform_module: str
    platform_class: str
    family: str
    bitstream_suffix: str
    lut_resource: str
    bram_resource: str
    dsp_resource: str
    ff_cell_prefix: str

    @property
    def tools(self) -> tuple[str, ...]:
        """Tool names as Amaranth's build script invokes them (``$YOSYS``, ``$NEXTPNR_ICE40``, ...)."""
        packer = {"ice40": "icepack", "ecp5": "ecppack"}[self.family]
        return ("yosys", f"nextpnr-{self.family}", packer)

    @property
    def oscillator_hz(self) -> float:
        """Frequency of the board clock that drives the ``sync`` domain (Hz)."""
        return self.platform().default_clk_frequency

    def platform(self):
        """A fresh amaranth-boards platform instance for this board."""
        module = __import__(self.platform_module, fromlist=[self.platform_class])
        return getattr(module, self.platform_class)()


BOARDS: dict[str, Board] = {
    board.name: board for board in (
        Board(name="icebreaker", platform_module="amaranth_boards.icebreaker",
              platform_class="ICEBreakerPlatform", family="ice40", bitstream_suffix=".bin",
              lut_resource="ICESTORM_LC", bram_resource="ICESTORM_RAM",
              dsp_resource="ICESTORM_DSP", ff_cell_prefix="SB_DFF"),
        Board(name="ulx3s-85f", platform_module="amaranth_boards.ulx3s",
              platform_class="ULX3S_85F_Platform", family="ecp5", bitstream_suffix=".bit",
              lut_resource="TRELLIS_COMB", bram_resource="DP16KD",
              dsp_resource="MULT18X18D", ff_cell_prefix="TRELLIS_FF"),
    )
}


def get_board(name: str) -> Board:
    """The board called ``name``; a one-line `UsageError` listing the known boards otherwise."""
    try:
        return BOARDS[name]
    except (KeyError, TypeError):
        known = ", ".join(sorted(BOARDS))
        raise UsageError(f"unknown FPGA board {name!r}; known boards: {known}") from None
