"""cocotb testbench of :class:`~tapeout.rtl.systolic_array.SystolicArray` (both dataflows).

Random GEMMs of any shape are folded into array tiles with the golden model's
:func:`~tapeout.rtl.golden.os_tiles` / :func:`~tapeout.rtl.golden.ws_tiles`,
streamed back to back with random idle clocks on the inputs and random
backpressure on ``results``; every tile result is checked against
:func:`~tapeout.rtl.golden.gemm` and the assembled C against the whole GEMM.
"""

import warnings

import cocotb
import numpy as np
from amaranth.hdl import UnusedElaboratable
from cocotb.triggers import RisingEdge

from tapeout.rtl.golden import assemble_os, assemble_ws, gemm, os_tiles, ws_tiles
from tapeout.rtl.systolic_array import SystolicArray

from . import coverage
from .bench import Bench
from .drivers import Backpressure, StreamSource
from .monitors import StreamMonitor

warnings.filterwarnings("ignore", category=UnusedElaboratable)
CORNER_VALUES = (-128, -1, 0, 1, 127)


def random_matrix(rng, shape, width, corner_probability):
    """Signed ``width``-bit values; each is a corner value with ``corner_probability``."""
    low, high = -(1 << (width - 1)), (1 << (width - 1)) - 1
    values = rng.integers(low, high + 1, size=shape)
    corners = np.clip(np.array(CORNER_VALUES), low, high)
    mask = rng.random(shape) < corner_probability
    values[mask] = rng.choice(corners, size=int(mask.sum()))
    return values.astype(np.int64)


def shape_bins(m, k, n, rows, cols, dataflow):
    """Cover bins of a GEMM ``(m x k) @ (k x n)`` folded on a ``rows x cols`` array."""
    if dataflow == "os":
        hits = {"single_tile" if m <= rows and n <= cols else "multi_tile"}
        hits |= {"ragged_m"} if m % rows else set()
        hits |= {"ragged_n"} if n % cols else set()
        hits.add("k_1" if k == 1 else "k_below_rows" if k < rows else "k_at_least_rows")
        return hits
    hits = {"single_tile" if k <= rows and n <= cols else "multi_tile"}
    hits |= {"ragged_k"} if k % rows else set()
    hits |= {"ragged_n"} if n % cols else set()
    hits |= {"m_1"} if m == 1 else {"m_above_rows"} if m > rows else set()
    return hits


def corner_bins(a, b, acc_width):
    """Cover bins of the signed products ``a[i, k] * b[k, j]`` and of accumulator wraparound."""
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    hits = set()
    for k in range(a.shape[1]):
        column, row = set(a[:, k].tolist()), set(b[k].tolist())
        if -128 in column and -128 in row:
            hits.add("min*min")
        if (-128 in column and 127 in row) or (127 in column and -128 in row):
            hits.add("min*max")
        if 127 in column and 127 in row:
            hits.add("max*max")
        if any(v < 0 for v in column) and any(v < 0 for v in row):
            hits.add("neg*neg")
        if 0 in column or 0 in row:
            hits.add("zero")
    exact = a.astype(object).dot(b.astype(object))
    if np.any(exact != gemm(a, b, acc_width)):
        hits.add("acc_wrap")
    return hits


class ArrayHarness:
    """Drivers, monitors and backpressure around the array; collects result rows."""

    def __init__(self, bench, ready_probability, idle=0.2):
        p = bench.params
        dut = bench.dut
        self.bench = bench
        self.array = SystolicArray(p["rows"], p["cols"], p["in_width"], p["acc_width"], p["dataflow"])
        self.block = bench.config["block"]
        rng = bench.rng
        if self.array.dataflow == "os":
            self.operands = StreamSource(dut.clk, dut.operands__valid, dut.operands__ready,
                                         dut.operands__payload, self.array.operand_layout, rng, idle)
            StreamMonitor(dut.clk, dut.operands__valid, dut.operands__ready, dut.operands__payload,
                          on_stall=self.stall("operands"))
        else:
            self.weights = StreamSource(dut.clk, dut.weights__valid, dut.weights__ready,
                                        dut.weights__payload, self.array.weight_layout, rng, idle)
            self.activations = StreamSource(dut.clk, dut.activations__valid, dut.activations__ready,
                                            dut.activations__payload, self.array.activation_layout,
                                            rng, idle)
            for name in ("weights", "activations"):
                StreamMonitor(dut.clk, getattr(dut, f"{name}__valid"), getattr(dut, f"{name}__ready"),
                              getattr(dut, f"{name}__payload"), on_stall=self.stall(name))
        self.results = StreamMonitor(dut.clk, dut.results__valid, dut.results__ready,
                                     dut.results__payload, self.array.result_layout,
                                     on_stall=self.stall("results"))
        Backpressure(dut.clk, dut.results__ready, rng, ready_probability)

    def stall(self, interface):
        return lambda cycle: coverage.sample(f"{self.block}.backpressure", interface)

    async def run_tiles(self, tiles):
        """Stream ``tiles`` [(a, b), ...]; return each tile's result (int64 array)."""
        if self.array.dataflow == "os":
            beats = [{"a": a[:, k].tolist(), "b": b[k].tolist(), "last": k == a.shape[1] - 1}
                     for a, b in tiles for k in range(a.shape[1])]
            cocotb.start_soon(self.operands.send_all(beats))
            counts = [self.array.rows] * len(tiles)
        else:
            weights = [{"b": row.tolist()} for _, b in tiles for row in b]
            acts = [{"a": row.tolist(), "last": i == a.shape[0] - 1}
                    for a, _ in tiles for i, row in enumerate(a)]
            cocotb.start_soon(self.weights.send_all(weights))
            cocotb.start_soon(self.activations.send_all(acts))
            counts = [a.shape[0] for a, _ in tiles]
        start = len(self.results.beats)
        while len(self.results.beats) < start + sum(counts):
            await RisingEdge(self.bench.dut.clk)
        beats = [payload for _, payload in self.results.beats[start:]]
        results, index = [], 0
        for tile, count in enumerate(counts):
            rows = beats[index:index + count]
            index += count
            flags = [int(row.last) for row in rows]
            assert flags == [0] * (count - 1) + [1], self.bench.fail(
                f"tile {tile}: last flags {flags}, expected only on row {count - 1}")
            results.append(np.array([[int(v) for v in row.c] for row in rows], dtype=np.int64))
        return results

    async def check_gemm(self, a, b):
        """Fold ``a @ b`` into tiles, run them, check every tile and the assembled C."""
        rows, cols, acc = self.array.rows, self.array.cols, self.array.acc_width
        m, k = a.shape
        n = b.shape[1]
        coverage.sample(f"{self.block}.shape", *shape_bins(m, k, n, rows, cols, self.array.dataflow))
        if self.array.dataflow == "os":
            folded = os_tiles(a, b, rows, cols)
            tiles = [(ta, tb) for _, _, ta, tb in folded]
        else:
            folded = ws_tiles(a, b, rows, cols)
            tiles = [(ta, tb) for _, _, ta, tb in folded]
        for ta, tb in tiles:
            hits = corner_bins(ta, tb, acc)
            if hits:
                coverage.sample(f"{self.block}.corners", *hits)
        results = await self.run_tiles(tiles)
        for index, ((ta, tb), got) in enumerate(zip(tiles, results)):
            expected = gemm(ta, tb, acc)
            assert np.array_equal(got, expected), self.bench.fail(
                f"GEMM {m}x{k}x{n}, tile {index}: got\n{got}\nexpected\n{expected}")
        assemble = assemble_os if self.array.dataflow == "os" else assemble_ws
        args = (folded, results, (m, n)) + (() if self.array.dataflow == "os" else (acc,))
        c = assemble(*args)
        assert np.array_equal(c, gemm(a, b, acc)), self.bench.fail(f"GEMM {m}x{k}x{n}: C differs")


def tile_cycles(shapes, rows, cols):
    """Generous clock budget of GEMMs of ``shapes`` [(m, k, n)] with backpressure."""
    beats = sum((-(-m // rows)) * (-(-n // cols)) * (k + rows) + (-(-k // rows)) * (m + rows)
                for m, k, n in shapes)
    return 8 * beats + 40 * (rows + cols) * len(shapes) + 200


@cocotb.test()
async def gemm_random(dut):
    """Random GEMM shapes (ragged folds, K below and above the array height), random values."""
    bench = Bench(dut, "gemm_random")
    harness = ArrayHarness(bench, ready_probability=0.6)
    rows, cols, width = bench.params["rows"], bench.params["cols"], bench.params["in_width"]
    rng = bench.rng
    shapes = [(int(rng.integers(1, 2 * rows + 2)), int(rng.integers(1, 2 * rows + 2)),
               int(rng.integers(1, 2 * cols + 2))) for _ in range(bench.effort)]

    async def body():
        for m, k, n in shapes:
            a = random_matrix(rng, (m, k), width, 0.25)
            b = random_matrix(rng, (k, n), width, 0.25)
            await harness.check_gemm(a, b)
    await bench.run(body(), tile_cycles(shapes, rows, cols))


@cocotb.test()
async def gemm_corners(dut):
    """Directed signed corners: -128 * -128 sums that wrap the accumulator, -128 * 127, 127 * 127."""
    bench = Bench(dut, "gemm_corners")
    harness = ArrayHarness(bench, ready_probability=0.5)
    rows, cols = bench.params["rows"], bench.params["cols"]
    k = 2 * rows
    cases = [np.full((rows, k), -128), np.full((k, cols), -128),
             np.full((rows, k), 127), np.full((k, cols), 127),
             np.full((rows, k), -128), np.full((k, cols), 127),
             np.zeros((rows, k), dtype=np.int64), np.full((k, cols), -1)]
    gemms = [(np.asarray(cases[i]), np.asarray(cases[i + 1])) for i in range(0, len(cases), 2)]
    gemms.append((np.full((rows, k), -1), np.full((k, cols), -1)))

    async def body():
        for a, b in gemms:
            await harness.check_gemm(a.astype(np.int64), b.astype(np.int64))
    await bench.run(body(), tile_cycles([(a.shape[0], k, b.shape[1]) for a, b in gemms], rows, cols))


@cocotb.test()
async def gemm_back_to_back(dut):
    """Several short tiles with no backpressure: the array's own stall (K < rows) and bank swap."""
    bench = Bench(dut, "gemm_back_to_back")
    harness = ArrayHarness(bench, ready_probability=1.0, idle=0.0)
    rows, cols, width = bench.params["rows"], bench.params["cols"], bench.params["in_width"]
    shapes = [(rows, 1, cols), (rows, max(rows - 1, 1), cols), (rows, rows + 1, cols), (1, 1, 1)]

    async def body():
        tiles = []
        for m, k, n in shapes:
            a, b = random_matrix(bench.rng, (m, k), width, 0.1), random_matrix(bench.rng, (k, n), width, 0.1)
            if harness.array.dataflow == "os":
                tiles += [(ta, tb) for _, _, ta, tb in os_tiles(a, b, rows, cols)]
            else:
                tiles += [(ta, tb) for _, _, ta, tb in ws_tiles(a, b, rows, cols)]
        results = await harness.run_tiles(tiles)
        for index, ((ta, tb), got) in enumerate(zip(tiles, results)):
            expected = gemm(ta, tb, harness.array.acc_width)
            assert np.array_equal(got, expected), bench.fail(
                f"back-to-back tile {index}: got\n{got}\nexpected\n{expected}")
    await bench.run(body(), tile_cycles(shapes, rows, cols))
