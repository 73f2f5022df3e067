import pytest

from tapeout.signoff.vcd import VcdError, parse_vcd

VCD = """$timescale 1ns $end
$scope module top $end
$var wire 1 ! clk $end
$var wire 2 " d [1:0] $end
$upscope $end
$enddefinitions $end
#0 0! b00 "
#5 1! b01 "
#10 0! bx "
#15 1! b11 "
#20 0! b10 "
"""


def test_toggle_counts():
    t = parse_vcd(VCD)
    assert t.by_name() == {"top.clk": 4, "top.d[0]": 2, "top.d[1]": 0}  # x in between is not a toggle
    assert t.end_time == 20 and t.timescale_ns == 1.0


def test_errors():
    with pytest.raises(VcdError, match="x.vcd: no \\$var declarations before \\$enddefinitions"):
        parse_vcd("$enddefinitions $end", "x.vcd")
    with pytest.raises(VcdError, match="x.vcd: unknown timescale '1xs'"):
        parse_vcd("$timescale 1xs $end $var wire 1 ! a $end $enddefinitions $end", "x.vcd")
