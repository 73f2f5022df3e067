"""cocotb testbench of :class:`~tapeout.rtl.crossbar.Crossbar`: random packets from every input.

Each input sends packets of 1-4 beats to random outputs (the first beat of a
packet carries a per-input sequence number, so packets are unique), with random
idle clocks; each output has random backpressure. The golden
:class:`~tapeout.rtl.golden.CrossbarScoreboard` checks no loss, no duplication,
order per (source, destination), no interleaving and the round-robin fairness bound.
"""

import warnings

import cocotb
from amaranth.hdl import UnusedElaboratable
from cocotb.simtime import get_sim_time
from cocotb.triggers import ReadOnly, RisingEdge

from tapeout.rtl.crossbar import input_layout, output_layout
from tapeout.rtl.golden import CrossbarScoreboard

from . import coverage
from .bench import CLOCK_NS, Bench
from .drivers import Backpressure, StreamSource, pack
from .monitors import StreamMonitor, high

warnings.filterwarnings("ignore", category=UnusedElaboratable)
MAX_PACKET_BEATS = 4
ROUNDS = 2
"""Single-beat packets each input offers at once in the reset test (two show the rotation)."""


def cycle():
    """Current clock number."""
    return int(get_sim_time("ns") // CLOCK_NS)


class CrossbarHarness:
    """Packet sources on every input, backpressure and monitors on every output, the scoreboard."""

    def __init__(self, bench, ready_probability, idle_probability):
        p = bench.params
        dut = bench.dut
        self.bench, self.ports, self.width = bench, p["ports"], p["width"]
        self.scoreboard = CrossbarScoreboard(self.ports)
        self.sent = self.received = 0
        self.sequence = [0] * self.ports
        self.route = [None] * self.ports    # dest of the packet each input is sending
        in_layout, out_layout = input_layout(self.ports, self.width), output_layout(self.ports, self.width)
        self.sources, self.inputs = [], []
        for port in range(self.ports):
            valid, ready = getattr(dut, f"inputs__{port}__valid"), getattr(dut, f"inputs__{port}__ready")
            payload = getattr(dut, f"inputs__{port}__payload")
            self.inputs.append((valid, payload))
            self.sources.append(StreamSource(dut.clk, valid, ready, payload, in_layout, bench.rng,
                                             idle_probability))
            StreamMonitor(dut.clk, valid, ready, payload, on_stall=self.stall(f"in{port}"))
            out = [getattr(dut, f"outputs__{port}__{name}") for name in ("valid", "ready", "payload")]
            Backpressure(dut.clk, out[1], bench.rng, ready_probability)
            StreamMonitor(dut.clk, *out, out_layout, on_transfer=self.receiver(port),
                          on_stall=self.stall(f"out{port}"))
        cocotb.start_soon(self.contention())

    def stall(self, name):
        return lambda _: coverage.sample("crossbar.backpressure", name)

    def receiver(self, dst):
        def receive(cycle_, payload):
            src, last = int(payload.src), bool(payload.last)
            self.scoreboard.receive(cycle_, dst, src, int(payload.data), last)
            if last:
                self.received += 1
        return receive

    async def contention(self):
        """Sample how many inputs want one output in the same clock (each input's packet route)."""
        while True:
            await RisingEdge(self.bench.dut.clk)
            await ReadOnly()
            wanted = [0] * self.ports
            for (valid, _), dest in zip(self.inputs, self.route):
                if high(valid.value) and dest is not None:
                    wanted[dest] += 1
            if max(wanted):
                coverage.sample("crossbar.contention", str(max(wanted)))

    def packet(self, src, length):
        """Beats of a new unique packet from ``src`` (first beat: its sequence number)."""
        rng = self.bench.rng
        first = self.sequence[src] % (1 << self.width)
        self.sequence[src] += 1
        return [first] + [int(rng.integers(1 << self.width)) for _ in range(length - 1)]

    async def send_packet(self, src, dst, beats):
        length = len(beats)
        coverage.sample("crossbar.route", f"{src}->{dst}")
        coverage.sample("crossbar.packet_length", str(length) if length < 4 else "4+")
        self.route[src] = dst
        for index, beat in enumerate(beats):
            offer = (lambda: self.scoreboard.offer(cycle(), src, dst, beats)) if index == 0 else None
            # dest is read on the first beat only: a random dest on the others checks it is held
            dest = dst if index == 0 else int(self.bench.rng.integers(self.ports))
            await self.sources[src].send({"data": beat, "dest": dest, "last": index == length - 1},
                                         on_offer=offer)
        self.sent += 1

    async def send_packets(self, src, packets):
        for dst, beats in packets:
            await self.send_packet(src, dst, beats)

    async def run(self, plan):
        """Send ``plan`` ({src: [(dst, beats), ...]}) from all inputs at once; check the scoreboard."""
        tasks = [cocotb.start_soon(self.send_packets(src, packets)) for src, packets in plan.items()]
        for task in tasks:
            await task
        total = sum(len(p) for p in plan.values())
        for _ in range(8 * MAX_PACKET_BEATS * self.ports):
            if self.received >= total:
                break
            await RisingEdge(self.bench.dut.clk)
        errors = self.scoreboard.check()
        assert not errors, self.bench.fail("; ".join(errors[:5]))
        assert self.received == total, self.bench.fail(f"{self.received} of {total} packets arrived")


def plan_cycles(plan, ports):
    """Generous clock budget of a packet ``plan`` under backpressure."""
    beats = sum(len(beats) for packets in plan.values() for _, beats in packets)
    return 12 * beats + 100 * ports


@cocotb.test()
async def crossbar_random(dut):
    """Random packets from every input to random outputs, random idle clocks and backpressure."""
    bench = Bench(dut, "crossbar_random")
    harness = CrossbarHarness(bench, ready_probability=0.6, idle_probability=0.3)
    rng, ports = bench.rng, harness.ports
    plan = {src: [(int(rng.integers(ports)),
                   harness.packet(src, int(rng.integers(1, MAX_PACKET_BEATS + 1))))
                  for _ in range(bench.effort)] for src in range(ports)}
    await bench.run(harness.run(plan), plan_cycles(plan, ports))


@cocotb.test()
async def crossbar_contention(dut):
    """All inputs send to one output at once, for each output in turn: arbitration and fairness."""
    bench = Bench(dut, "crossbar_contention")
    harness = CrossbarHarness(bench, ready_probability=0.7, idle_probability=0.0)
    ports, rng = harness.ports, bench.rng
    plan = {src: [(dst, harness.packet(src, int(rng.integers(1, MAX_PACKET_BEATS + 1))))
                  for dst in range(ports) for _ in range(3)] for src in range(ports)}
    await bench.run(harness.run(plan), plan_cycles(plan, ports))


@cocotb.test()
async def crossbar_full_rate(dut):
    """No backpressure and no idle clocks: single-beat and long packets at full rate, all routes."""
    bench = Bench(dut, "crossbar_full_rate")
    harness = CrossbarHarness(bench, ready_probability=1.0, idle_probability=0.0)
    ports = harness.ports
    plan = {src: [((src + shift) % ports, harness.packet(src, 1 + (shift % MAX_PACKET_BEATS)))
                  for shift in range(2 * ports)] for src in range(ports)}
    await bench.run(harness.run(plan), plan_cycles(plan, ports))


@cocotb.test()
async def crossbar_reset_restarts_arbitration(dut):
    """A reset in the middle of a packet frees the output and restarts round-robin at input 0.

    For each output in turn: input 1 sends the first beat of a packet to it (so the output is
    locked to input 1 and its arbiter would next start at input 2), then the reset comes;
    afterwards every input offers two single-beat packets to that output at once, and they must
    leave in strict rotation 0, 1, 2, ..., 0, 1, 2, ...
    """
    bench = Bench(dut, "crossbar_reset_restarts_arbitration")
    ports, width = bench.params["ports"], bench.params["width"]
    layout = input_layout(ports, width)
    valid = [getattr(dut, f"inputs__{p}__valid") for p in range(ports)]
    ready = [getattr(dut, f"inputs__{p}__ready") for p in range(ports)]
    payload = [getattr(dut, f"inputs__{p}__payload") for p in range(ports)]
    outputs = [[getattr(dut, f"outputs__{o}__{n}") for n in ("valid", "ready", "payload")]
               for o in range(ports)]
    src_field = output_layout(ports, width)["src"]
    for p in range(ports):
        valid[p].value, payload[p].value, outputs[p][1].value = 0, 0, 1

    async def served_after_reset(dst):
        out_valid, out_ready, out_payload = outputs[dst]
        payload[1].value, valid[1].value = pack(layout, {"data": 1, "dest": dst, "last": 0}), 1
        await RisingEdge(dut.clk)                  # the first beat transfers: dst locked to input 1
        out_ready.value = 0
        await RisingEdge(dut.clk)
        valid[1].value = 0
        await bench.reset(2)
        out_ready.value = 1
        left = [ROUNDS] * ports
        for p in range(ports):
            payload[p].value, valid[p].value = pack(layout, {"data": p, "dest": dst, "last": 1}), 1
        order = []
        while len(order) < ROUNDS * ports:
            await ReadOnly()
            taken = [p for p in range(ports) if high(valid[p].value) and high(ready[p].value)]
            if high(out_valid.value):
                order.append((int(out_payload.value) >> src_field.offset) & ((1 << src_field.width) - 1))
            await RisingEdge(dut.clk)
            for p in taken:
                left[p] -= 1
                valid[p].value = int(left[p] > 0)
        return order

    async def body():
        for dst in range(ports):
            order = await served_after_reset(dst)
            expected = list(range(ports)) * ROUNDS
            assert order == expected, bench.fail(
                f"after a reset output {dst} served inputs in the order {order}, expected {expected}")
    await bench.run(body(), 20 * ROUNDS * ports * ports)
