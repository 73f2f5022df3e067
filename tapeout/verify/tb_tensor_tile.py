"""cocotb testbench of :class:`~tapeout.rtl.tensor_tile.TensorTile`: GEMMs through command packets.

A host on a link loads A and B into alternating banks (LOAD_A, LOAD_B) and
issues COMPUTE without waiting for the previous answer, so filling one bank
overlaps computing from the other (ping-pong while busy); answers are read
concurrently with random backpressure (a host that stops reading can deadlock the
tile: see the RTL docstring). Answers are checked against
:func:`~tapeout.rtl.golden.gemm`. The other link forwards packets through the
tile's crossbar; malformed commands must be discarded without an answer.
"""

import warnings
from collections import deque

import cocotb
import numpy as np
from amaranth.hdl import UnusedElaboratable
from cocotb.triggers import RisingEdge

from tapeout.rtl.crossbar import input_layout, output_layout
from tapeout.rtl.golden import gemm, wrap
from tapeout.rtl.tensor_tile import OPCODE_COMPUTE, OPCODE_LOAD_A, OPCODE_LOAD_B, header, pack_lanes

from . import coverage
from .bench import Bench
from .drivers import Backpressure, StreamSource
from .monitors import StreamMonitor
from .tb_systolic_array import random_matrix

warnings.filterwarnings("ignore", category=UnusedElaboratable)


class TileHost:
    """Hosts on every link of the tile: packet senders, answer checkers, ping-pong bookkeeping."""

    def __init__(self, bench, ready_probability):
        p = bench.params
        dut = bench.dut
        self.bench, self.p = bench, p
        self.max_k = p.get("max_k") or p["depth"]       # largest COMPUTE count issued (gate level: smaller)
        self.links = p["ports"] - 1
        in_layout, out_layout = input_layout(p["ports"], p["xbar_width"]), output_layout(p["ports"], p["xbar_width"])
        self.sources = []
        self.readers = []                                          # Backpressure of each link_out
        # per link, per source port: deque of expected packets (C of an answer, or forwarded beats)
        self.expected = [{src: deque() for src in range(p["ports"])} for _ in range(self.links)]
        self.outstanding = []                                     # banks of COMPUTEs not yet answered
        self.open = [[] for _ in range(self.links)]
        self.packets = 0
        for link in range(self.links):
            port = [getattr(dut, f"link_in__{link}__{n}") for n in ("valid", "ready", "payload")]
            self.sources.append(StreamSource(dut.clk, *port, in_layout, bench.rng, 0.1))
            StreamMonitor(dut.clk, *port, on_stall=self.stall(f"link_in{link}"))
            out = [getattr(dut, f"link_out__{link}__{n}") for n in ("valid", "ready", "payload")]
            self.readers.append(Backpressure(dut.clk, out[1], bench.rng, ready_probability))
            StreamMonitor(dut.clk, *out, out_layout, on_transfer=self.receiver(link),
                          on_stall=self.stall(f"link_out{link}"))

    def stall(self, name):
        return lambda _: coverage.sample("tensor_tile.backpressure", name)

    def receiver(self, link):
        def receive(_, payload):
            self.open[link].append((int(payload.src), int(payload.data)))
            if not payload.last:
                return
            beats, self.open[link] = self.open[link], []
            srcs = {src for src, _ in beats}
            assert len(srcs) == 1, self.bench.fail(f"link {link}: packet interleaves sources {srcs}")
            src = srcs.pop()
            queue = self.expected[link].get(src)
            assert queue, self.bench.fail(f"link {link}: unexpected packet {beats}")
            expected = queue.popleft()
            data = [value for _, value in beats]
            if src == 0:
                got = wrap(np.array(data, dtype=object), self.p["xbar_width"])
                assert got.size == expected.size and np.array_equal(got.reshape(expected.shape), expected), \
                    self.bench.fail(f"link {link}: answer {got.tolist()}, expected {expected.ravel().tolist()}")
                self.outstanding.pop(0)
            else:
                assert data == expected, self.bench.fail(
                    f"link {link}: forwarded {data}, expected {expected} from source {src}")
            self.packets += 1
        return receive

    async def send(self, link, dest, beats):
        for index, beat in enumerate(beats):
            await self.sources[link].send({"data": beat, "dest": dest, "last": index == len(beats) - 1})

    async def load(self, link, opcode, bank, address, words):
        """LOAD_A/LOAD_B ``words`` (ints) into ``bank`` from ``address``."""
        if self.outstanding:
            coverage.sample("tensor_tile.pingpong", "load_same_bank_while_busy"
                            if bank in self.outstanding else "load_other_bank_while_busy")
        coverage.sample("tensor_tile.command", "load_a" if opcode == OPCODE_LOAD_A else "load_b")
        await self.send(link, 0, [header(opcode, bank, address, len(words))] + list(words))

    @property
    def stationary_weights(self):
        return self.p["dataflow"] == "ws"

    def a_words(self, a):
        """The A fields of words ``0, 1, ...`` for ``a``: its columns (output-stationary, ``a`` is
        rows x K), or its rows (weight-stationary, ``a`` is M x rows)."""
        return [pack_lanes(lanes, self.p["in_width"]) for lanes in (a if self.stationary_weights else a.T)]

    def b_words(self, b):
        """The B fields of words ``0, 1, ...`` for ``b``: its rows (K x cols, or the rows x cols weights)."""
        return [pack_lanes(row, self.p["in_width"]) for row in b]

    async def load_operands(self, link, bank, a, b):
        """LOAD_A ``a`` and LOAD_B ``b`` (see :meth:`random_gemm`) into words ``0, 1, ...`` of ``bank``."""
        await self.load(link, OPCODE_LOAD_A, bank, 0, self.a_words(a))
        await self.load(link, OPCODE_LOAD_B, bank, 0, self.b_words(b))

    async def compute(self, link, bank, a, b):
        """Issue COMPUTE on ``bank`` (loaded with ``a``, ``b``; count K, or M weight-stationary); expect
        the answer ``a @ b``."""
        k = a.shape[0] if self.stationary_weights else a.shape[1]
        if self.outstanding:
            coverage.sample("tensor_tile.pingpong", "compute_while_busy")
        coverage.sample("tensor_tile.command", "compute")
        coverage.sample("tensor_tile.bank", f"compute{bank}")
        coverage.sample("tensor_tile.k", "k_1" if k == 1 else "k_full" if k == self.p["depth"] else "k_mid")
        self.outstanding.append(bank)
        self.expected[link][0].append(gemm(a, b, self.p["acc_width"]))
        await self.send(link, 0, [header(OPCODE_COMPUTE, bank, 0, k)])

    async def gemm(self, link, bank, a, b):
        """Load ``a (rows x K)`` and ``b (K x cols)`` into ``bank``, issue COMPUTE, expect the answer."""
        await self.load_operands(link, bank, a, b)
        await self.compute(link, bank, a, b)

    async def discarded(self, link, beats):
        """Send a malformed command packet (``beats``, header first): no answer, no write."""
        coverage.sample("tensor_tile.command", "discarded")
        await self.send(link, 0, beats)

    async def forward(self, link, to_link, beats):
        """Send ``beats`` from ``link`` to ``to_link`` through the tile's crossbar."""
        coverage.sample("tensor_tile.command", "forward")
        self.expected[to_link][link + 1].append(list(beats))
        await self.send(link, to_link + 1, beats)

    async def drain(self, total):
        """Wait until ``total`` packets have arrived, then long enough for a spurious answer to a
        COMPUTE of the largest count to arrive too (the receiver fails on one); check nothing is missing."""
        p = self.p
        while self.packets < total:
            await RisingEdge(self.bench.dut.clk)
        for _ in range(4 * self.max_k + 8 * (p["rows"] + p["cols"]) + 4 * p["rows"] * p["cols"] + 40):
            await RisingEdge(self.bench.dut.clk)
        missing = sum(len(q) for queues in self.expected for q in queues.values())
        assert not missing, self.bench.fail(f"{missing} answers or forwarded packets missing")
        assert all(not beats for beats in self.open), self.bench.fail("a packet never ended")

    def forget(self):
        """Drop every expectation (after a reset, nothing in flight will arrive)."""
        for queues in self.expected:
            for queue in queues.values():
                queue.clear()
        self.outstanding.clear()
        self.open = [[] for _ in range(self.links)]

    def random_gemm(self, k):
        """Random operands of one COMPUTE of count ``k``: A (rows x k) and B (k x cols) output-stationary;
        A (k x rows) and the weights B (rows x cols) weight-stationary."""
        rows, cols, width = self.p["rows"], self.p["cols"], self.p["in_width"]
        rng = self.bench.rng
        if self.stationary_weights:
            return random_matrix(rng, (k, rows), width, 0.2), random_matrix(rng, (rows, cols), width, 0.2)
        return random_matrix(rng, (rows, k), width, 0.2), random_matrix(rng, (k, cols), width, 0.2)


def gemm_cycles(ks, p):
    """Generous clock budget of GEMMs with depths ``ks`` under backpressure."""
    return sum(6 * (2 * k + 3) + 6 * p["rows"] * p["cols"] + 30 * (p["rows"] + p["cols"]) for k in ks) + 300


@cocotb.test()
async def tile_gemm_pingpong(dut):
    """GEMMs from link 0 into the banks in turn, each loaded while the previous one computes; every
    other link forwards packets to every link meanwhile (at least one GEMM per bank and one packet
    per link, whatever the configuration)."""
    bench = Bench(dut, "tile_gemm_pingpong")
    host = TileHost(bench, ready_probability=0.6)
    max_k, banks, rng = host.max_k, bench.params["banks"], bench.rng
    runs = max(bench.effort, banks, host.links)
    ks = [1, max_k] + [int(rng.integers(2, max_k)) if max_k > 2 else max_k for _ in range(runs - 2)]
    senders = range(1, host.links)

    async def traffic(link):
        for index in range(len(ks)):
            await host.forward(link, (link + index) % host.links,
                               [int(rng.integers(1 << 32)) for _ in range(1 + index % 3)])

    async def body():
        sides = [cocotb.start_soon(traffic(link)) for link in senders]
        for index, k in enumerate(ks):
            await host.gemm(0, index % banks, *host.random_gemm(k))
        for side in sides:
            await side
        await host.drain(len(ks) * (1 + len(senders)))
    await bench.run(body(), gemm_cycles(ks, bench.params))


@cocotb.test()
async def tile_same_bank_and_bad_commands(dut):
    """A LOAD into the bank a COMPUTE reads must wait; malformed commands are discarded silently.

    Meanwhile link 0 forwards packets to link 1, whose output also carries the answers.
    """
    bench = Bench(dut, "tile_same_bank_and_bad_commands")
    host = TileHost(bench, ready_probability=0.5)
    p = bench.params
    a1, b1 = host.random_gemm(3)
    a2, b2 = host.random_gemm(3)
    a3, b3 = host.random_gemm(4)
    forwarded = [[int(bench.rng.integers(1 << 32)) for _ in range(4)] for _ in range(3)]

    async def traffic():
        for beats in forwarded:
            await host.forward(0, 1, beats)

    async def body():
        side = cocotb.start_soon(traffic())
        await host.gemm(1, 0, a1, b1)
        await host.gemm(1, 0, a2, b2)       # overwrites bank 0 while GEMM 1 may still read it
        await host.load_operands(1, 1, a3, b3)
        # malformed commands (their data beats must not be written), then a LOAD whose packet is
        # longer than its count (the extra beats must be dropped): bank 1 still holds a3, b3
        junk = [0x12345678, 0x0badcafe]
        for bad in (header(0, 1, 0, 2), header(OPCODE_LOAD_A, p["banks"], 0, 1),
                    header(OPCODE_COMPUTE, 1, 0, 0), header(7, 1, 0, 1)):
            await host.discarded(1, [bad] + junk)
        coverage.sample("tensor_tile.command", "load_a")
        await host.send(1, 0, [header(OPCODE_LOAD_A, 1, 0, 3)] + host.a_words(a3)[:3] + junk)
        await host.compute(1, 1, a3, b3)
        await side
        await host.drain(3 + len(forwarded))
    await bench.run(body(), gemm_cycles([3, 3, 4, 4, 4], p))


async def finishes_within(bench, coroutine, clocks):
    """Run ``coroutine`` as a task; True if it finished within ``clocks`` clocks (else it is cancelled)."""
    task = cocotb.start_soon(coroutine)
    for _ in range(clocks):
        if task.done():
            break
        await RisingEdge(bench.dut.clk)
    if not task.done():
        task.cancel()
        return False
    return True


@cocotb.test()
async def tile_load_overlaps_compute(dut):
    """Ping-pong timing: while a COMPUTE cannot finish (its reader stopped), a LOAD into the other
    bank is taken at once, and a LOAD into the COMPUTE's own bank waits; the answer is still the
    GEMM of the data it started with."""
    bench = Bench(dut, "tile_load_overlaps_compute")
    host = TileHost(bench, ready_probability=1.0)
    depth = host.max_k
    a0, b0 = host.random_gemm(depth)
    a1, b1 = host.random_gemm(depth)
    a2, _ = host.random_gemm(depth)
    # The last element of the last answer reads, as a command word, as a COMPUTE header (opcode 3,
    # bank 0, count 0xfff): the idle crossbar port keeps showing it to the engine, which must not
    # take a beat that is not valid.
    a1[-1, :], b1[:, -1] = 0, 0
    a1[-1, 0], b1[0, -1] = -11, 23

    async def body():
        host.readers[0].paused = True               # the answer cannot leave: the COMPUTE stays busy
        await host.gemm(0, 0, a0, b0)
        for bad in (header(OPCODE_COMPUTE, 1, 0, 0), header(OPCODE_COMPUTE, bench.params["banks"], 0, 2)):
            await host.discarded(0, [bad])          # while the COMPUTE reads: must not disturb it
        other_bank = host.load(0, OPCODE_LOAD_A, 1, 0, host.a_words(a1))
        assert await finishes_within(bench, other_bank, 4 * depth + 40), \
            bench.fail("a LOAD into the idle bank waited for the running COMPUTE (no ping-pong overlap)")
        await host.load(0, OPCODE_LOAD_B, 1, 0, host.b_words(b1))
        assert await finishes_within(bench, host.discarded(0, [header(7, 0, 0, 4)] + [0x5a5a5a5a] * 4), 40), \
            bench.fail("a malformed command waited for the running COMPUTE instead of being discarded")
        same_bank = cocotb.start_soon(
            host.load(0, OPCODE_LOAD_A, 0, 0, host.a_words(a2)))
        for _ in range(4 * depth + 40):
            await RisingEdge(dut.clk)
        assert not same_bank.done() and host.packets == 0, \
            bench.fail("a LOAD into the bank of the running COMPUTE did not wait for it")
        host.readers[0].paused = False
        await same_bank
        await host.gemm(0, 1, a1, b1)
        await host.drain(2)
    await bench.run(body(), gemm_cycles([depth] * 4, bench.params))


@cocotb.test()
async def tile_reset_mid_gemm(dut):
    """A reset while a GEMM computes and its answer is held back abandons it: afterwards the tile
    answers a new GEMM correctly, and nothing of the abandoned one arrives."""
    bench = Bench(dut, "tile_reset_mid_gemm")
    host = TileHost(bench, ready_probability=1.0)
    depth = host.max_k

    async def body():
        stuck = cocotb.start_soon(host.forward(1, 1, [int(bench.rng.integers(1 << 32)) for _ in range(5)]))
        while host.sources[1].sent < 1:
            await RisingEdge(dut.clk)
        host.readers[0].paused = host.readers[1].paused = True   # output 1 is locked mid-packet
        await host.gemm(0, 0, *host.random_gemm(depth))   # its answer cannot leave either
        for _ in range(int(bench.rng.integers(1, 2 * depth))):
            await RisingEdge(dut.clk)
        stuck.cancel()                                    # the forwarding host gives up its packet
        host.sources[1].valid.value = 0                   # (in the reset's first clock)
        await bench.reset(2)
        host.forget()
        host.readers[0].paused = host.readers[1].paused = False
        await host.gemm(0, 1, *host.random_gemm(int(bench.rng.integers(1, depth + 1))))
        await host.gemm(0, 0, *host.random_gemm(int(bench.rng.integers(1, depth + 1))))
        await host.forward(0, 1, [int(bench.rng.integers(1 << 32)) for _ in range(2)])
        await host.drain(3)
    await bench.run(body(), gemm_cycles([depth] * 4, bench.params))
