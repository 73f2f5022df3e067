import pytest

from tapeout.errors import UsageError
from tapeout.fpga.boards import BOARDS, get_board


def test_known_boards():
    assert sorted(BOARDS) == ["icebreaker", "ulx3s-85f"]
    icebreaker = get_board("icebreaker")
    assert icebreaker.tools == ("yosys", "nextpnr-ice40", "icepack")
    assert icebreaker.oscillator_hz == 12e6
    ulx3s = get_board("ulx3s-85f")
    assert ulx3s.tools == ("yosys", "nextpnr-ecp5", "ecppack")
    assert ulx3s.oscillator_hz == 25e6
    assert ulx3s.platform().device == "LFE5U-85F"


def test_unknown_board_lists_the_known_ones():
    with pytest.raises(UsageError, match=r"^unknown FPGA board 'arty'; known boards: "
                                         r"icebreaker, ulx3s-85f$"):
        get_board("arty")
