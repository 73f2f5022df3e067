"""cocotb testbench of :class:`~tapeout.rtl.tile_buffer.TileBuffer`: random reads and writes on every bank.

Every clock each bank gets a random read (enable, address) and a random write
(per-lane enables, address, data), with addresses biased towards collisions;
:class:`BufferModel` predicts the next read data (read-first or write-first on a
same-address collision, one clock of latency, data held while ``en`` is low).
"""

import cocotb
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge

from . import coverage
from .bench import Bench


class BufferModel:
    """Reference model of the banked buffer: memory words and each read port's output register.

    Parameters
    ----------
    banks, depth, width : int
        Banks, words per bank, bits per word.
    granularity : int or None
        Bits per write lane (None: whole word).
    same_address : str
        ``"read_first"`` or ``"write_first"``.
    """

    def __init__(self, banks, depth, width, granularity=None, same_address="read_first"):
        self.width = width
        self.lane = granularity or width
        self.lanes = width // self.lane
        self.write_first = same_address == "write_first"
        self.memory = [[0] * depth for _ in range(banks)]
        self.data = [0] * banks

    def merge(self, old, new, enables):
        """``old`` with the lanes set in ``enables`` taken from ``new``."""
        mask = 0
        for lane in range(self.lanes):
            if enables >> lane & 1:
                mask |= ((1 << self.lane) - 1) << (lane * self.lane)
        return (old & ~mask) | (new & mask)

    def clock(self, bank, read_en, read_addr, write_en, write_addr, write_data):
        """Apply one clock edge to ``bank``."""
        memory = self.memory[bank]
        if read_en:
            value = memory[read_addr]
            if self.write_first and write_en and write_addr == read_addr:
                value = self.merge(value, write_data, write_en)
            self.data[bank] = value
        if write_en:
            memory[write_addr] = self.merge(memory[write_addr], write_data, write_en)


class BufferHarness:
    """Drives every bank's ports from a stimulus function and checks ``read.data`` each clock."""

    def __init__(self, bench):
        p = bench.params
        self.bench, self.dut = bench, bench.dut
        self.banks, self.depth, self.width = p["banks"], p["depth"], p["width"]
        self.model = BufferModel(p["banks"], p["depth"], p["width"], p.get("granularity"),
                                 p.get("same_address", "read_first"))
        self.all_lanes = (1 << self.model.lanes) - 1
        self.read_once = [False] * self.banks
        self.checked = 0

    def port(self, kind, bank, field):
        return getattr(self.dut, f"{kind}__{bank}__{field}")

    def sample(self, stimulus):
        for bank, (read_en, read_addr, write_en, write_addr, _) in enumerate(stimulus):
            other_read = any(s[0] for b, s in enumerate(stimulus) if b != bank)
            hits = []
            if read_en:
                coverage.sample("tile_buffer.read_address", f"bank{bank}@{read_addr}")
                if write_en and write_addr == read_addr:
                    hits.append("same_address_read_write")
            elif self.read_once[bank]:
                hits.append("read_hold")
            if write_en:
                hits.append("full_write" if write_en == self.all_lanes else "partial_write")
                if other_read:
                    hits.append("pingpong_write_read")
            if hits:
                coverage.sample("tile_buffer.events", *hits)

    async def clock(self, stimulus):
        """Apply ``stimulus`` [(read_en, read_addr, write_en, write_addr, write_data)] per bank for one clock.

        Inputs change on the falling edge; ``read.data`` is checked after the rising edge.
        """
        await FallingEdge(self.dut.clk)
        for bank, (read_en, read_addr, write_en, write_addr, write_data) in enumerate(stimulus):
            self.port("read", bank, "en").value = read_en
            self.port("read", bank, "addr").value = read_addr
            self.port("write", bank, "en").value = write_en
            self.port("write", bank, "addr").value = write_addr
            self.port("write", bank, "data").value = write_data
        self.sample(stimulus)
        await RisingEdge(self.dut.clk)
        for bank, args in enumerate(stimulus):
            self.model.clock(bank, *args)
            self.read_once[bank] |= bool(args[0])
        await ReadOnly()
        for bank in range(self.banks):
            if self.read_once[bank]:
                got, expected = int(self.port("read", bank, "data").value), self.model.data[bank]
                assert got == expected, self.bench.fail(
                    f"bank {bank}: read data {got:#x}, expected {expected:#x} "
                    f"(stimulus {stimulus[bank]})")
                self.checked += 1

    def random_stimulus(self, rng):
        stimulus = []
        for _ in range(self.banks):
            read_addr = int(rng.integers(self.depth))
            write_addr = read_addr if rng.random() < 0.3 else int(rng.integers(self.depth))
            read_en = int(rng.random() < 0.7)
            write_en = int(rng.integers(self.all_lanes + 1)) if rng.random() < 0.7 else 0
            stimulus.append((read_en, read_addr, write_en, write_addr,
                             int(rng.integers(1 << self.width))))
        return stimulus


@cocotb.test()
async def buffer_random(dut):
    """Random reads and writes with collisions, partial writes and read holds on every bank."""
    bench = Bench(dut, "buffer_random")
    harness = BufferHarness(bench)
    stimuli = [harness.random_stimulus(bench.rng) for _ in range(bench.effort)]
    await bench.run(drive(harness, stimuli), 2 * len(stimuli) + 20)


@cocotb.test()
async def buffer_fill_and_read_back(dut):
    """Write every word of every bank with distinct data, then read every word back."""
    bench = Bench(dut, "buffer_fill_and_read_back")
    harness = BufferHarness(bench)
    full = harness.all_lanes
    idle = (0, 0, 0, 0, 0)
    stimuli = []
    for address in range(harness.depth):
        stimuli.append([(0, 0, full, address, int(bench.rng.integers(1 << harness.width)))
                        for _ in range(harness.banks)])
    for address in range(harness.depth):
        stimuli.append([(1, address, 0, 0, 0) for _ in range(harness.banks)])
    stimuli.append([idle] * harness.banks)
    await bench.run(drive(harness, stimuli), 2 * len(stimuli) + 20)


async def drive(harness, stimuli):
    """Apply ``stimuli``, one per clock."""
    for stimulus in stimuli:
        await harness.clock(stimulus)
