"""Processing elements: accumulate, wrap, drain and weight banks, clock by clock."""

import pytest
from amaranth.sim import Simulator

from tapeout.rtl.pe import OutputStationaryPE, WeightStationaryPE


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
        for a, b, first, last in beats:
            ctx.set(pe.a_in, a)
            ctx.set(pe.b_in, b)
            ctx.set(pe.first_in, first)
            ctx.set(pe.last_in, last)
            ctx.set(pe.valid_in, 1)
            ctx.set(pe.drain_in, 77)
            await ctx.tick()
            outputs.append(ctx.get(pe.drain_out))
        ctx.set(pe.valid_in, 0)
        # 2 * 16384 + 12 = 32780 wraps to 32780 - 2**16 in 16 bits; the drain then
        # passes what came from above.
        assert outputs[2] == 32780 - 2**16
        assert outputs[3] == 30
        await ctx.tick()
        assert ctx.get(pe.drain_out) == 77
        assert ctx.get(pe.a_out) == 5 and ctx.get(pe.b_out) == 6
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
        for sel, expected in ((0, 100 + 10 * 3), (1, 100 - 70)):
            ctx.set(pe.a_in, 10)
            ctx.set(pe.sel_in, sel)
            ctx.set(pe.psum_in, 100)
            await ctx.tick()
            assert ctx.get(pe.psum_out) == expected
    simulate(pe, testbench)


def test_bad_widths():
    with pytest.raises(TypeError, match=r"^in_width must be an integer of at least 2, not '8'$"):
        OutputStationaryPE(in_width="8")
    with pytest.raises(ValueError, match=r"^acc_width must be an integer of at least 2 \* in_width "
                                         r"\(8\), not 7$"):
        WeightStationaryPE(in_width=4, acc_width=7)
