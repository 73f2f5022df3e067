import json
import re

import pytest
from amaranth.hdl import Elaboratable, Module, Signal
from amaranth.lib import io, memory

from tapeout.errors import UsageError
from tapeout.fpga.build import DesignDoesNotFitError, build_bitstream

UP5K_BITSTREAM_BYTES = 104_090  # size of every iCE40 UP5K .bin (icepack, no BRAM init gaps)


class Blinky(Elaboratable):
    """A 20-bit counter on the first LED: the smallest design with a clock path."""

    def elaborate(self, platform):
        m = Module()
        counter = Signal(20)
        m.d.sync += counter.eq(counter + 1)
        m.submodules.led = led = io.Buffer("o", platform.request("led_g", 0, dir="-"))
        m.d.comb += led.o.eq(counter[-1])
        return m


class ManyMemories(Elaboratable):
    """More 4 kbit memories than the UP5K has block RAMs (30)."""

    def __init__(self, count):
        self.count = count

    def elaborate(self, platform):
        m = Module()
        address = Signal(8)
        m.d.sync += address.eq(address + 1)
        folded = Signal(16)
        for index in range(self.count):
            mem = m.submodules[f"mem{index}"] = memory.Memory(shape=16, depth=256, init=[index] * 256)
            read = mem.read_port()
            write = mem.write_port()
            m.d.comb += [read.addr.eq(address), write.addr.eq(address + index),
                         write.data.eq(folded), write.en.eq(address[0])]
            folded = folded ^ read.data
        m.submodules.led = led = io.Buffer("o", platform.request("led_g", 0, dir="-"))
        m.d.comb += led.o.eq(folded.xor())
        return m


@pytest.mark.fpga
def test_icebreaker_build(tmp_path):
    result = build_bitstream(Blinky(), "icebreaker", tmp_path / "build", clock_mhz=48.0)
    assert result.bitstream == tmp_path / "build" / "top.bin"
    assert result.bitstream_bytes == UP5K_BITSTREAM_BYTES
    # 20 counter bits + Amaranth's iCE40 power-on reset logic; each bit is one logic cell.
    assert 20 <= result.ffs <= result.luts < 100
    assert (result.brams, result.dsps) == (0, 0)
    assert result.target_mhz == pytest.approx(48.0, rel=1e-3)
    assert result.fmax_mhz > 0
    assert result.timing_met == (result.fmax_mhz >= result.target_mhz)
    report = json.loads((result.build_dir / "report.json").read_text())
    assert report["utilization"]["ICESTORM_LC"]["used"] == result.luts
    metrics = result.metrics
    assert set(metrics) == {"fpga__luts__count", "fpga__ffs__count", "fpga__brams__count",
                            "fpga__dsps__count", "fpga__fmax__mhz", "fpga__target__mhz",
                            "fpga__bitstream__bytes", "fpga__runtime__s"}
    assert metrics["fpga__bitstream__bytes"] == UP5K_BITSTREAM_BYTES
    assert "Max frequency" in (result.build_dir / "top.tim").read_text()


@pytest.mark.fpga
def test_design_that_does_not_fit(tmp_path):
    with pytest.raises(DesignDoesNotFitError,
                       match=r"^design does not fit on icebreaker: ICESTORM_RAM (\d+) used, "
                             r"30 available$") as error:
        build_bitstream(ManyMemories(40), "icebreaker", tmp_path / "build")
    assert int(re.search(r"ICESTORM_RAM (\d+) used", str(error.value))[1]) > 30


def test_unknown_board(tmp_path):
    with pytest.raises(UsageError, match=r"^unknown FPGA board 'de10-nano'; known boards: "
                                         r"icebreaker, ulx3s-85f$"):
        build_bitstream(Blinky(), "de10-nano", tmp_path)


@pytest.mark.parametrize("clock_mhz", [0, -5.0, "fast", True])
def test_bad_clock(tmp_path, clock_mhz):
    with pytest.raises(ValueError, match=rf"^clock_mhz must be a positive number, not {clock_mhz!r}$"):
        build_bitstream(Blinky(), "icebreaker", tmp_path, clock_mhz=clock_mhz)
