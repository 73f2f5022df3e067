"""Crossbar: random, hotspot and permutation traffic with random backpressure, checked
by the golden scoreboard for no loss, no duplication, order and no starvation."""

import numpy as np
import pytest
from amaranth.sim import Simulator

from tapeout.rtl.crossbar import Crossbar
from tapeout.rtl.golden import CrossbarScoreboard


def run_traffic(ports, packets, seed, ready_probability=1.0, gap_probability=0.0,
                arbitration="round_robin", width=16):
    """Send ``packets[src] = [(dest, n_beats), ...]`` and return the scoreboard errors."""
    dut = Crossbar(ports, width, arbitration)
    rng = np.random.default_rng(seed)
    board = CrossbarScoreboard(ports)
    total = sum(len(p) for p in packets)
    state = {"cycle": 0, "received": 0}

    def make_feeder(src):
        async def feed(ctx):
            port = dut.inputs[src]
            for sequence, (dest, length) in enumerate(packets[src]):
                beats = [(src << 12 | sequence << 4 | beat) & (2**width - 1) for beat in range(length)]
                while rng.random() < gap_probability:
                    await ctx.tick()
                board.offer(state["cycle"], src, dest, beats)
                for index, beat in enumerate(beats):
                    ctx.set(port.valid, 1)
                    ctx.set(port.payload, {"data": beat, "dest": dest, "last": index == length - 1})
                    await ctx.tick().until(port.ready)
                ctx.set(port.valid, 0)
        return feed

    def make_collector(dst):
        async def collect(ctx):
            port = dut.outputs[dst]
            while True:
                ready = rng.random() < ready_probability
                ctx.set(port.ready, int(ready))
                _, _, valid, payload = await ctx.tick().sample(port.valid, port.payload)
                if ready and valid:
                    board.receive(state["cycle"], dst, int(payload.src), int(payload.data),
                                  bool(payload.last))
                    state["received"] += bool(payload.last)
        return collect

    async def clock(ctx):
        while True:
            await ctx.tick()
            state["cycle"] += 1

    async def wait_done(ctx):
        while state["received"] < total and state["cycle"] < 20000:
            await ctx.tick()

    sim = Simulator(dut)
    sim.add_clock(1e-8)
    for port in range(ports):
        sim.add_testbench(make_feeder(port), background=True)
        sim.add_testbench(make_collector(port), background=True)
    sim.add_process(clock)
    sim.add_testbench(wait_done)
    sim.run()
    return board.check()


@pytest.mark.parametrize("seed", [1, 2])
def test_uniform_random_traffic_with_backpressure(seed):
    rng = np.random.default_rng(seed)
    ports = 4
    packets = [[(int(rng.integers(ports)), int(rng.integers(1, 5))) for _ in range(12)]
               for _ in range(ports)]
    assert run_traffic(ports, packets, seed, ready_probability=0.6, gap_probability=0.3) == []


def test_all_to_one_hotspot_is_fair():
    ports = 4
    packets = [[(2, 3) for _ in range(8)] for _ in range(ports)]
    assert run_traffic(ports, packets, seed=5, ready_probability=0.8) == []


def test_permutation_traffic_runs_in_parallel():
    ports = 4
    packets = [[((src + 1) % ports, 4) for _ in range(6)] for src in range(ports)]
    assert run_traffic(ports, packets, seed=9) == []


def test_odd_port_count():
    rng = np.random.default_rng(3)
    packets = [[(int(rng.integers(3)), int(rng.integers(1, 4))) for _ in range(8)] for _ in range(3)]
    assert run_traffic(3, packets, seed=3, ready_probability=0.7, gap_probability=0.2) == []


def test_fixed_priority_starves_and_the_scoreboard_sees_it():
    ports = 3
    packets = [[(0, 1) for _ in range(12)] for _ in range(ports)]
    errors = run_traffic(ports, packets, seed=1, arbitration="fixed")
    assert any("waited" in error for error in errors)
    assert not any("lost" in error or "duplicated" in error for error in errors)


def test_bad_parameters():
    with pytest.raises(TypeError, match=r"^ports must be a positive integer, not 0$"):
        Crossbar(0, 32)
    with pytest.raises(TypeError, match=r"^width must be a positive integer, not 'x'$"):
        Crossbar(4, "x")
    with pytest.raises(ValueError, match=r"^arbitration must be one of 'round_robin', 'fixed', not 'lottery'$"):
        Crossbar(4, 32, "lottery")
