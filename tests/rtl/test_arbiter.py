"""RoundRobinArbiter: grant order, hold without advance, fixed priority."""

import pytest
from amaranth.sim import Simulator

from tapeout.rtl.arbiter import RoundRobinArbiter


def grants(arbiter, pattern):
    """Apply (requests, advance) per clock; return the granted index per clock (None if none)."""
    seen = []
    stateful = arbiter.arbitration == "round_robin"

    async def testbench(ctx):
        for requests, advance in pattern:
            ctx.set(arbiter.requests, requests)
            ctx.set(arbiter.advance, advance)
            seen.append(ctx.get(arbiter.index) if ctx.get(arbiter.grant) else None)
            assert ctx.get(arbiter.grant) in (0, 1 << ctx.get(arbiter.index))
            await (ctx.tick() if stateful else ctx.delay(1e-8))
    sim = Simulator(arbiter)
    if stateful:  # fixed priority has no clock
        sim.add_clock(1e-8)
    sim.add_testbench(testbench)
    sim.run()
    return seen


def test_round_robin_rotates_among_requesters():
    assert grants(RoundRobinArbiter(4), [(0b1111, 1)] * 6) == [0, 1, 2, 3, 0, 1]
    assert grants(RoundRobinArbiter(4), [(0b1010, 1)] * 4) == [1, 3, 1, 3]
    assert grants(RoundRobinArbiter(3), [(0b111, 1)] * 4) == [0, 1, 2, 0]


def test_grant_holds_without_advance_and_none_without_requests():
    assert grants(RoundRobinArbiter(4), [(0b0110, 0), (0b0110, 0), (0b0110, 1), (0, 1), (0b0110, 1)]) \
        == [1, 1, 1, None, 2]


def test_fixed_priority_always_picks_the_lowest():
    assert grants(RoundRobinArbiter(4, "fixed"), [(0b1110, 1)] * 3) == [1, 1, 1]


def test_bad_parameters():
    with pytest.raises(TypeError, match=r"^n must be a positive integer, not 0$"):
        RoundRobinArbiter(0)
    with pytest.raises(ValueError, match=r"^arbitration must be one of 'round_robin', 'fixed', "
                                         r"not 'random'$"):
        RoundRobinArbiter(4, "random")
