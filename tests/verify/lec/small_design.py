"""LEC of a small hand-written tap130 netlist against its RTL, for the equivalence checks' tests."""

from pathlib import Path

from tapeout.tech.generate import VERILOG_PATH
from tapeout.verify.equivalence import check_equivalence, netlist_steps, rtl_steps


def check_small(tmp_path: Path, top: str, rtl: str, netlist: str, **options):
    """`check_equivalence` of `netlist` (tap130 cells, no macros) against `rtl`, module `top`, in `tmp_path`;
    `options` go to `check_equivalence` (`fallback`, `dont_care`)."""
    (tmp_path / "macros").mkdir(exist_ok=True)
    (tmp_path / f"{top}.v").write_text(rtl)
    (tmp_path / "gate.v").write_text(netlist)
    (tmp_path / "stubs.v").write_text("")
    gold = rtl_steps(tmp_path / f"{top}.v", top, tmp_path / "macros", False, 512, "tapeout.tech.sram:sram_macro")
    gate = netlist_steps(tmp_path / "gate.v", top, [VERILOG_PATH], tmp_path / "stubs.v")
    return check_equivalence(gold, gate, [], tmp_path / "check", **options)
