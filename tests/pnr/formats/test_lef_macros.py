"""The LEF macro reader on the shipped library and an SRAM macro."""

import pytest

from tapeout.pnr.errors import FormatError
from tapeout.pnr.formats.lef_macros import read_lef_macros
from tapeout.tech.generate import LEF_PATH
from tapeout.tech.sram import sram_macro


def test_shipped_library_sizes_and_pins():
    macros = read_lef_macros(LEF_PATH.read_text())
    inv = macros["INV_1"]
    assert (inv.width, inv.height) == (1.38, 2.72)
    assert inv.pins["A"] == pytest.approx((0.23, 1.36))
    assert set(inv.pins) == {"A", "Y", "VDD", "VSS"}
    assert macros["DFF_1"].width == pytest.approx(16 * 0.46)


def test_sram_block():
    sram = sram_macro(256, 32)
    (macro,) = read_lef_macros(sram.lef_text()).values()
    assert macro.macro_class == "BLOCK"
    assert (macro.width, macro.height) == pytest.approx((sram.width_um, sram.height_um))
    assert "RDATA[31]" in macro.pins and macro.pins["CLK"][1] < 5


def test_malformed_line():
    with pytest.raises(FormatError, match=r"x.lef:3: malformed LEF line: SIZE 1 BY"):
        read_lef_macros("MACRO A\n  CLASS CORE ;\n  SIZE 1 BY ;\nEND A\n", "x.lef")
