"""Amaranth-simulator drivers: stream helpers and a GEMM runner for the systolic array.

Used by the tests and by ``benchmarks/rtl_utilization.py``; every random choice
(output backpressure) comes from a seeded :class:`numpy.random.Generator`.
"""

import numpy as np
from amaranth.sim import Simulator

CLOCK_PERIOD_S = 10e-9
"""Default simulation clock period (s): the 10 ns (100 MHz) target of the default design."""


async def put(ctx, stream, payload):
    """Offer ``payload`` on ``stream`` until it is accepted (at least one clock)."""
    ctx.set(stream.valid, 1)
    ctx.set(stream.payload, payload)
    await ctx.tick().until(stream.ready)
    ctx.set(stream.valid, 0)


async def get(ctx, stream):
    """Accept one payload from ``stream`` (at least one clock)."""
    ctx.set(stream.ready, 1)
    payload, = await ctx.tick().sample(stream.payload).until(stream.valid)
    ctx.set(stream.ready, 0)
    return payload


async def get_random(ctx, stream, rng, ready_probability):
    """Accept one payload, raising ``ready`` each clock with ``ready_probability``."""
    while True:
        ready = ready_probability >= 1.0 or rng.random() < ready_probability
        ctx.set(stream.ready, int(ready))
        _, _, valid, payload = await ctx.tick().sample(stream.valid, stream.payload)
        if ready and valid:
            ctx.set(stream.ready, 0)
            return payload


def run_array(array, tiles, ready_probability=1.0, seed=0):
    """Stream ``tiles`` back to back through a :class:`SystolicArray` and collect the results.

    Parameters
    ----------
    array : SystolicArray
    tiles : list of (numpy.ndarray, numpy.ndarray)
        Output-stationary: ``(a (rows x K), b (K x cols))`` per tile.
        Weight-stationary: ``(a (M x rows), b (rows x cols))`` per tile.
    ready_probability : float
        Probability that ``results.ready`` is high in a clock (1.0: no backpressure).
    seed : int
        Seed of the backpressure pattern.

    Returns
    -------
    results : list of numpy.ndarray
        One ``rows x cols`` (OS) or ``M x cols`` (WS) int64 array per tile.
    cycles : int
        Clocks from the first input beat offered to the last result accepted.
    """
    rng = np.random.default_rng(seed)
    expected_rows = [a.shape[0] for a, _ in tiles]
    results = []
    state = {"cycles": 0}

    async def feed_os(ctx):
        for a, b in tiles:
            depth = a.shape[1]
            for k in range(depth):
                await put(ctx, array.operands, {"a": [int(v) for v in a[:, k]],
                                                "b": [int(v) for v in b[k]], "last": k == depth - 1})

    async def feed_weights(ctx):
        for _, b in tiles:
            for row in b:
                await put(ctx, array.weights, {"b": [int(v) for v in row]})

    async def feed_activations(ctx):
        for a, _ in tiles:
            for index, row in enumerate(a):
                await put(ctx, array.activations, {"a": [int(v) for v in row],
                                                   "last": index == a.shape[0] - 1})

    async def collect(ctx):
        for count in expected_rows:
            rows = []
            for index in range(count):
                payload = await get_random(ctx, array.results, rng, ready_probability)
                if bool(payload.last) != (index == count - 1):
                    raise AssertionError(f"tile {len(results)}: last flag wrong on result row {index}")
                rows.append([int(v) for v in payload.c])
            results.append(np.array(rows, dtype=np.int64))

    async def clock_counter(ctx):
        while len(results) < len(tiles):
            await ctx.tick()
            state["cycles"] += 1

    sim = Simulator(array)
    sim.add_clock(CLOCK_PERIOD_S)
    if array.dataflow == "os":
        sim.add_testbench(feed_os, background=True)
    else:
        sim.add_testbench(feed_weights, background=True)
        sim.add_testbench(feed_activations, background=True)
    sim.add_testbench(collect)
    sim.add_process(clock_counter)
    sim.run()
    return results, state["cycles"]
