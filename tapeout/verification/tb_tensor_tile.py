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
        self.links = p["ports"] - 1
        in_layout, out_layout = input_layout(p["ports"], p["xbar_width"]), output_layout(p["ports"], p["xbar_width"])
        self.sources = []
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
            Backpressure(dut.clk, out[1], bench.rng, ready_probability)
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

    async def gemm(self, link, bank, a, b):
        """Load ``a (rows x K)`` and ``b (K x cols)`` into ``bank``, issue COMPUTE, expect the answer."""
        width, k = self.p["in_width"], a.shape[1]
        await self.load(link, OPCODE_LOAD_A, bank, 0, [pack_lanes(a[:, i], width) for i in range(k)])
        await self.load(link, OPCODE_LOAD_B, bank, 0, [pack_lanes(b[i], width) for i in range(k)])
        if self.outstanding:
            coverage.sample("tensor_tile.pingpong", "compute_while_busy")
        coverage.sample("tensor_tile.command", "compute")
        coverage.sample("tensor_tile.k", "k_1" if k == 1 else "k_full" if k == self.p["depth"] else "k_mid")
        self.outstanding.append(bank)
        self.expected[link][0].append(gemm(a, b, self.p["acc_width"]))
        await self.send(link, 0, [header(OPCODE_COMPUTE, bank, 0, k)])

    async def forward(self, link, to_link, beats):
        """Send ``beats`` from ``link`` to ``to_link`` through the tile's crossbar."""
        coverage.sample("tensor_tile.command", "forward")
        self.expected[to_link][link + 1].append(list(beats))
        await self.send(link, to_link + 1, beats)

    async def drain(self, total):
        """Wait until ``total`` packets have arrived; then check nothing else is expected."""
        while self.packets < total:
            await RisingEdge(self.bench.dut.clk)
        for _ in range(20):
            await RisingEdge(self.bench.dut.clk)
        missing = sum(len(q) for queues in self.expected for q in queues.values())
        assert not missing, self.bench.fail(f"{missing} answers or forwarded packets missing")
        assert all(not beats for beats in self.open), self.bench.fail("a packet never ended")

    def random_gemm(self, k):
        rows, cols, width = self.p["rows"], self.p["cols"], self.p["in_width"]
        rng = self.bench.rng
        return random_matrix(rng, (rows, k), width, 0.2), random_matrix(rng, (k, cols), width, 0.2)


def gemm_cycles(ks, p):
    """Generous clock budget of GEMMs with depths ``ks`` under backpressure."""
    return sum(6 * (2 * k + 3) + 6 * p["rows"] * p["cols"] + 30 * (p["rows"] + p["cols"]) for k in ks) + 300


@cocotb.test()
async def tile_gemm_pingpong(dut):
    """GEMMs into alternating banks, each loaded while the previous one computes; forwarding traffic."""
    bench = Bench(dut, "tile_gemm_pingpong")
    host = TileHost(bench, ready_probability=0.6)
    depth, rng = bench.params["depth"], bench.rng
    ks = [1, depth] + [int(rng.integers(2, depth)) for _ in range(max(bench.effort - 2, 0))]

    async def traffic():
        for index in range(len(ks)):
            await host.forward(1, 0, [int(rng.integers(1 << 32)) for _ in range(1 + index % 3)])

    async def body():
        side = cocotb.start_soon(traffic())
        for index, k in enumerate(ks):
            await host.gemm(0, index % 2, *host.random_gemm(k))
        await side
        await host.drain(2 * len(ks))
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
    forwarded = [[int(bench.rng.integers(1 << 32)) for _ in range(4)] for _ in range(3)]

    async def traffic():
        for beats in forwarded:
            await host.forward(0, 1, beats)

    async def body():
        side = cocotb.start_soon(traffic())
        await host.gemm(1, 0, a1, b1)
        await host.gemm(1, 0, a2, b2)       # overwrites bank 0 while GEMM 1 may still read it
        for bad in (header(0, 0, 0, 2), header(OPCODE_LOAD_A, p["banks"], 0, 1),
                    header(OPCODE_COMPUTE, 0, 0, 0), header(7, 1, 0, 1)):
            coverage.sample("tensor_tile.command", "discarded")
            await host.send(1, 0, [bad, 0x12345678, 0x0badcafe])
        await host.gemm(1, 1, *host.random_gemm(2))
        await side
        await host.drain(3 + len(forwarded))
    await bench.run(body(), gemm_cycles([3, 3, 2, 4], p))
