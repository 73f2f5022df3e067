import pytest

from tapeout.signoff.constraints import SdcError, match_names, parse_sdc, read_sdc, write_sdc

SDC = """# clocks
create_clock -name clk -period 10 [get_ports clk]
set_clock_transition 0.1 [get_clocks clk]
set_input_delay -max 2.0 -clock clk [get_ports {a b*}]
set_output_delay 1.5 -clock clk \\
    [get_ports y]
set_input_transition 0.05 [get_ports a]
set_false_path -from [get_cells u1] -to [get_pins u2/D]
set_max_delay 3 -to [get_ports y]
"""


def test_parse():
    c = parse_sdc(SDC)
    assert c.clocks[0].name == "clk" and c.clocks[0].period_ns == 10.0
    assert c.clocks[0].port == "clk" and c.clocks[0].transition_ns == 0.1
    d = c.input_delays[0]
    assert (d.ports.patterns, d.delay_ns, d.corner) == (("a", "b*"), 2.0, "max")
    assert c.output_delays[0].delay_ns == 1.5 and c.output_delays[0].corner == "both"
    fp, md = c.exceptions
    assert fp.from_[0].kind == "cell" and fp.to[0].patterns == ("u2/D",) and fp.max_delay_ns is None
    assert md.max_delay_ns == 3.0 and md.from_ == ()


def test_round_trip(tmp_path):
    c = parse_sdc(SDC)
    write_sdc(c, tmp_path / "x.sdc")
    assert read_sdc(tmp_path / "x.sdc") == c


@pytest.mark.parametrize("text, message", [
    ("create_clock -name clk [get_ports clk]", "x.sdc:1: create_clock needs -period"),
    ("create_clock -period 0 [get_ports clk]", "x.sdc:1: -period must be positive, not 0"),
    ("\nset_input_delay 1 -clock nope [get_ports a]", "x.sdc:2: unknown clock 'nope' (create_clock it first)"),
    ("set_multicycle_path 2 -to x", "x.sdc:1: unsupported command 'set_multicycle_path'"),
    ("create_clock -period 1 [get_ports clk", "x.sdc:1: unbalanced '['"),
    ("set_false_path", "x.sdc:1: set_false_path needs -from or -to"),
    ("create_clock -period 1 -foo 2 [get_ports c]", "x.sdc:1: unsupported option -foo"),
])
def test_errors(text, message):
    with pytest.raises(SdcError) as error:
        parse_sdc(text, "x.sdc")
    assert str(error.value) == message


def test_glob_matches_bus_bits_and_literal_brackets():
    names = ["a[0]", "a[1]", "ab", "b"]
    assert match_names(["a"], names) == [0, 1]
    assert match_names(["a[1]"], names) == [1]
    assert match_names(["a*"], names) == [0, 1, 2]


def test_propagated_clocks():
    from tapeout.signoff.constraints import format_sdc

    c = parse_sdc("create_clock -name a -period 2 [get_ports a]\ncreate_clock -name b -period 3 [get_ports b]\n"
                  "set_propagated_clock [get_clocks a]")
    assert c.propagated == {"a"}
    assert parse_sdc(format_sdc(c)).propagated == {"a"}
    assert parse_sdc("create_clock -name a -period 2 [get_ports a]\nset_propagated_clock [all_clocks]").propagated == {"a"}
    with pytest.raises(SdcError, match=r"x.sdc:2: no clock matches c"):
        parse_sdc("create_clock -name a -period 2 [get_ports a]\nset_propagated_clock [get_clocks c]", "x.sdc")
    with pytest.raises(SdcError, match=r"<sdc>:1: set_propagated_clock takes clocks"):
        parse_sdc("set_propagated_clock [get_ports a]")
