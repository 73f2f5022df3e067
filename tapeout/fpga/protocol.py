"""Host side of the board's byte protocol: GEMMs as TensorTile command packets over a UART.

The board (:class:`tapeout.fpga.board_top.UartTensorTile`) bridges the UART to the tile's
crossbar link 0 (:mod:`tapeout.fpga.uart_link`). Every crossbar beat travels as a flags
byte (bit 0 ``last``, bits ``[7:1]`` the port) and ``ceil(xbar_width / 8)`` data bytes,
least significant first. The packets are the tile's own commands (LOAD_A, LOAD_B,
COMPUTE; see :mod:`tapeout.rtl.tensor_tile`), sent to the command engine (port 0); a
COMPUTE answers with the elements of C, one per beat, which is how C is read back.

A GEMM of any M x K x N is folded into array tiles with the golden model's
:func:`~tapeout.rtl.golden.os_tiles` / :func:`~tapeout.rtl.golden.ws_tiles`. Tiles
alternate between two buffer banks; the host sends one tile's packets and reads its answer
before sending the next, so the board never holds more than one command waiting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tapeout.rtl import golden
from tapeout.rtl.tensor_tile import MAX_COUNT, OPCODE_COMPUTE, OPCODE_LOAD_A, OPCODE_LOAD_B, header

ENGINE_PORT = 0


@dataclass(frozen=True)
class Beat:
    """One crossbar beat: ``port`` (dest or src), ``last`` flag, unsigned ``data``."""

    port: int
    last: bool
    data: int


@dataclass(frozen=True)
class TileShape:
    """The tile parameters the host must agree on with the bitstream.

    rows, cols : array size (PEs); in_width, acc_width : operand / accumulator bits (signed)
    dataflow : ``"os"`` or ``"ws"``; banks, depth : tile buffer banks and words per bank
    xbar_width : crossbar beat width (bits)
    """

    rows: int
    cols: int
    in_width: int
    acc_width: int
    dataflow: str
    banks: int
    depth: int
    xbar_width: int

    @classmethod
    def from_params(cls, params):
        """The shape of a tile built with ``build_tile(**params)`` (missing keys take defaults)."""
        from tapeout.rtl.tensor_tile import TILE_DEFAULTS
        merged = {**TILE_DEFAULTS, **params}
        return cls(rows=merged["rows"], cols=merged["cols"], in_width=merged["in_width"],
                   acc_width=merged["acc_width"], dataflow=merged["dataflow"],
                   banks=merged["banks"], depth=merged["depth"], xbar_width=merged["xbar_width"])

    @property
    def beat_bytes(self) -> int:
        """Bytes of one framed beat (flags byte + data bytes)."""
        return 1 + (self.xbar_width + 7) // 8

    @property
    def operand_range(self) -> tuple[int, int]:
        """Smallest and largest operand value (signed ``in_width`` bits)."""
        half = 1 << (self.in_width - 1)
        return -half, half - 1


def encode_beat(beat: Beat, width: int) -> bytes:
    """Frame one beat of ``width`` bits: flags byte, then data least significant byte first."""
    if not 0 <= beat.port < 128:
        raise ValueError(f"port must be an integer from 0 to 127, not {beat.port!r}")
    if not 0 <= beat.data < 1 << width:
        raise ValueError(f"data must fit in {width} unsigned bits, not {beat.data!r}")
    return bytes([beat.port << 1 | int(beat.last)]) + beat.data.to_bytes((width + 7) // 8, "little")


def decode_beats(data: bytes, width: int) -> list[Beat]:
    """Split received bytes into beats; raises ValueError if a beat is incomplete."""
    size = 1 + (width + 7) // 8
    if len(data) % size:
        raise ValueError(f"received {len(data)} bytes, not a whole number of {size}-byte beats")
    return [Beat(port=data[i] >> 1, last=bool(data[i] & 1),
                 data=int.from_bytes(data[i + 1:i + size], "little"))
            for i in range(0, len(data), size)]


def pack_elements(values, element_width: int) -> int:
    """Pack signed integers into one word, element ``i`` at bit ``i * element_width``."""
    mask = (1 << element_width) - 1
    word = 0
    for index, value in enumerate(values):
        word |= (int(value) & mask) << (index * element_width)
    return word


def to_signed(value: int, width: int) -> int:
    """Read the low ``width`` bits of ``value`` as a two's complement integer."""
    value &= (1 << width) - 1
    return value - (1 << width) if value >> (width - 1) else value


def packet(opcode: int, bank: int, address: int, payload_words, width: int) -> bytes:
    """A framed command packet to the engine: header beat, then one beat per payload word."""
    words = [header(opcode, bank, address, len(payload_words)), *payload_words]
    return b"".join(encode_beat(Beat(ENGINE_PORT, index == len(words) - 1, word), width)
                    for index, word in enumerate(words))


def compute_packet(bank: int, address: int, count: int, width: int) -> bytes:
    """A framed COMPUTE packet (header only, ``last`` set)."""
    return encode_beat(Beat(ENGINE_PORT, True, header(OPCODE_COMPUTE, bank, address, count)), width)


@dataclass(frozen=True)
class TileJob:
    """One array tile of a GEMM: the bytes to send and how many answer bytes come back.

    request : framed LOAD_A, LOAD_B and COMPUTE packets
    answer_rows : rows of C the answer carries (``rows`` for OS, ``M`` for WS)
    answer_bytes : bytes to read back (one framed beat per element of C)
    """

    request: bytes
    answer_rows: int
    answer_bytes: int


def check_gemm(shape: TileShape, m: int, k: int, n: int) -> None:
    """Refuse a GEMM the board cannot run, with a one-line ValueError naming the limit."""
    for name, value in (("m", m), ("k", k), ("n", n)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive integer, not {value!r}")
    limit = min(shape.depth, MAX_COUNT)
    if shape.dataflow == "os" and k > limit:
        raise ValueError(f"k must be at most {limit} (words in one tile-buffer bank) for the "
                         f"output-stationary tile, not {k}")
    if shape.dataflow == "ws" and m > limit:
        raise ValueError(f"m must be at most {limit} (words in one tile-buffer bank) for the "
                         f"weight-stationary tile, not {m}")
    if shape.dataflow == "ws" and shape.rows > shape.depth:
        raise ValueError(f"the tile's depth ({shape.depth}) is below its rows ({shape.rows})")


class GemmPlan:
    """The tile jobs of ``C = A @ B`` and the assembly of their answers into C.

    Parameters
    ----------
    a, b : array of int
        ``A (M x K)`` and ``B (K x N)``, values within ``shape.operand_range``.
    shape : TileShape
    """

    def __init__(self, a, b, shape: TileShape):
        a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
        if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0]:
            raise ValueError(f"a and b must be (M x K) and (K x N) matrices, not {a.shape} "
                             f"and {b.shape}")
        check_gemm(shape, a.shape[0], a.shape[1], b.shape[1])
        low, high = shape.operand_range
        if min(a.min(), b.min()) < low or max(a.max(), b.max()) > high:
            raise ValueError(f"a and b must hold values from {low} to {high} "
                             f"({shape.in_width}-bit signed)")
        self.shape = shape
        self.c_shape = (a.shape[0], b.shape[1])
        if shape.dataflow == "os":
            self.tiles = golden.os_tiles(a, b, shape.rows, shape.cols)
        else:
            self.tiles = golden.ws_tiles(a, b, shape.rows, shape.cols)
        self.jobs = [self._job(index, tile) for index, tile in enumerate(self.tiles)]

    def _job(self, index, tile) -> TileJob:
        shape = self.shape
        bank = index % min(shape.banks, 2)
        _, _, a_tile, b_tile = tile
        if shape.dataflow == "os":
            a_words = [pack_elements(column, shape.in_width) for column in a_tile.T]
            count, answer_rows = a_tile.shape[1], shape.rows
        else:
            a_words = [pack_elements(row, shape.in_width) for row in a_tile]
            count, answer_rows = a_tile.shape[0], a_tile.shape[0]
        b_words = [pack_elements(row, shape.in_width) for row in b_tile]
        request = (packet(OPCODE_LOAD_A, bank, 0, a_words, shape.xbar_width)
                   + packet(OPCODE_LOAD_B, bank, 0, b_words, shape.xbar_width)
                   + compute_packet(bank, 0, count, shape.xbar_width))
        return TileJob(request=request, answer_rows=answer_rows,
                       answer_bytes=answer_rows * shape.cols * shape.beat_bytes)

    def decode_answer(self, job: TileJob, data: bytes) -> np.ndarray:
        """The ``answer_rows x cols`` block of C in a COMPUTE answer.

        Raises
        ------
        ValueError
            Wrong length, a beat not from the engine, or ``last`` misplaced.
        """
        beats = decode_beats(data, self.shape.xbar_width)
        expected = job.answer_rows * self.shape.cols
        if len(beats) != expected:
            raise ValueError(f"answer has {len(beats)} beats, expected {expected}")
        for index, beat in enumerate(beats):
            if beat.port != ENGINE_PORT or beat.last != (index == expected - 1):
                raise ValueError(f"answer beat {index} is malformed: {beat}")
        values = [to_signed(beat.data, self.shape.acc_width) for beat in beats]
        return np.array(values, dtype=np.int64).reshape(job.answer_rows, self.shape.cols)

    def assemble(self, blocks) -> np.ndarray:
        """C (M x N) from the decoded answer of every job, in job order."""
        if self.shape.dataflow == "os":
            return golden.assemble_os(self.tiles, blocks, self.c_shape)
        return golden.assemble_ws(self.tiles, blocks, self.c_shape, self.shape.acc_width)

    def expected(self, a, b) -> np.ndarray:
        """The golden C for ``a @ b`` (wrapped to ``acc_width`` like the accumulators)."""
        return golden.gemm(a, b, self.shape.acc_width).astype(np.int64)


def random_operands(m: int, k: int, n: int, shape: TileShape, seed: int):
    """Random signed ``A (m x k)`` and ``B (k x n)`` over the full operand range."""
    rng = np.random.default_rng(seed)
    low, high = shape.operand_range
    return (rng.integers(low, high + 1, size=(m, k), dtype=np.int64),
            rng.integers(low, high + 1, size=(k, n), dtype=np.int64))
