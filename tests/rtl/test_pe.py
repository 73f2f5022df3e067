"""Processing elements: accumulate, wrap, drain and weight banks, clock by clock."""

import pytest
from amaranth.sim import Simulator

from tapeout.rtl.pe import MAC_LATENCY, OutputStationaryPE, WeightStationaryPE


def simulate(dut, testbench):
    sim = Simulator(dut)
    sim.add_clock(1e-8)
    sim.add_testbench(testbench)
    sim.run()


def test_output_stationary_pe_accumulates_wraps_and_drains():
    pe = OutputStationaryPE(in_width=8, acc_width=16)

    async def testbench(ctx):
        beats = [(-128, -128, 1, 0), (-128, -128, 0, 0), (3, 4, 0, 1),   # tile 0: 2 * 16384 + 12
                 (5, 6, 1, 1)]                                          # tile 1 (K = 1): 30
        outputs = []
        ctx.set(pe.drain_in, 77)
        for a, b, first, last in beats:
            ctx.set(pe.a_in, a)
            ctx.set(pe.b_in, b)
            ctx.set(pe.first_in, first)
            ctx.set(pe.last_in, last)
            ctx.set(pe.valid_in, 1)
            await ctx.tick()
            outputs.append(ctx.get(pe.drain_out))
        ctx.set(pe.valid_in, 0)
        assert ctx.get(pe.a_out) == 5 and ctx.get(pe.b_out) == 6
        for _ in range(MAC_LATENCY + 1):
            await ctx.tick()
            outputs.append(ctx.get(pe.drain_out))
        # A beat's sum reaches drain_out MAC_LATENCY clocks after the beat left
        # through a_out. 2 * 16384 + 12 = 32780 wraps to 32780 - 2**16 in 16 bits;
        # the drain then passes what came from above.
        assert MAC_LATENCY == 2
        assert outputs[2 + MAC_LATENCY] == 32780 - 2**16
        assert outputs[3 + MAC_LATENCY] == 30
        assert outputs[4 + MAC_LATENCY] == 77
    simulate(pe, testbench)


def test_weight_stationary_pe_uses_the_bank_travelling_with_the_activation():
    pe = WeightStationaryPE()

    async def testbench(ctx):
        for bank, weight in ((0, 3), (1, -7)):
            ctx.set(pe.load, 1)
            ctx.set(pe.load_bank, bank)
            ctx.set(pe.weight_in, weight)
            await ctx.tick()
        ctx.set(pe.load, 0)
        assert ctx.get(pe.weight_out) == -7
        # One activation per clock, alternating banks; each activation's psum_in is
        # added MAC_LATENCY clocks after the activation (when the PE above, one clock
        # ahead in the wavefront, has its psum_out ready).
        beats = [(10, 0, 100), (10, 1, 200), (-2, 0, -5)]
        expected = [100 + 10 * 3, 200 - 70, -5 - 6]
        psums = []
        for clock in range(len(beats) + MAC_LATENCY):
            if clock < len(beats):
                a, sel, _ = beats[clock]
                ctx.set(pe.a_in, a)
                ctx.set(pe.sel_in, sel)
            if clock >= MAC_LATENCY:
                ctx.set(pe.psum_in, beats[clock - MAC_LATENCY][2])
            await ctx.tick()
            psums.append(ctx.get(pe.psum_out))
        assert psums[MAC_LATENCY:] == expected
    simulate(pe, testbench)


def test_bad_widths():
    with pytest.raises(TypeError, match=r"^in_width must be an integer of at least 2, not '8'$"):
        OutputStationaryPE(in_width="8")
    with pytest.raises(ValueError, match=r"^acc_width must be an integer of at least 2 \* in_width "
                                         r"\(8\), not 7$"):
        WeightStationaryPE(in_width=4, acc_width=7)
