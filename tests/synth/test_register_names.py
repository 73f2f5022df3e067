"""Public names for the registers Yosys makes (tapeout/synth/register_names.py)."""

from tapeout.synth.register_names import public_name


def test_a_memory_read_address_copy_gets_a_plain_identifier():
    assert public_name("$\\cpuregs$rdreg[0]$q") == "\\cpuregs_rdreg_0_q"
    assert public_name("$\\buf.mem$rdreg[12]$q") == "\\buf_mem_rdreg_12_q"


def test_a_name_starting_with_a_digit_or_empty_stays_an_identifier():
    assert public_name("$0x") == "\\reg_0x"
    assert public_name("$$") == "\\reg"
