"""TensorTile: crossbar <-> SRAM tile buffer <-> systolic array, driven by command packets.

Ports and blocks
    The tile's :class:`~tapeout.rtl.crossbar.Crossbar` has ``ports`` ports. Port 0
    belongs to the tile's command engine; ports ``1 .. ports-1`` are the tile's
    external links ``link_in[p-1]`` / ``link_out[p-1]`` (crossbar beats: ``data``,
    ``dest``, ``last`` in; ``data``, ``src``, ``last`` out). Any link can talk to the
    engine (``dest = 0``) or to another link (the tile also forwards traffic, like
    an NVSwitch port).

Tile buffer word
    A buffer word (``width`` bits) holds one array beat: the A field is bits
    ``[0, rows*in_width)`` (element ``r`` at ``r*in_width``), the B field the next
    ``cols*in_width`` bits (element ``c`` at ``rows*in_width + c*in_width``). The
    buffer writes with ``in_width`` granularity, so A and B are loaded separately.

Command packet (to port 0)
    Beat 0 is the header: bits ``[3:0]`` opcode, ``[7:4]`` bank, ``[19:8]`` address,
    ``[31:20]`` count. Opcodes:

    - ``1`` LOAD_A: the ``count`` next beats are written, in order, to the A field
      of words ``address, address+1, ...`` of ``bank`` (beat bits ``[0, rows*in_width)``).
    - ``2`` LOAD_B: the same for the B field (beat bits ``[0, cols*in_width)``).
    - ``3`` COMPUTE, output-stationary: ``C = A (rows x K) @ B (K x cols)`` with
      ``K = count`` from words ``address .. address+K-1`` (word ``k`` holds column
      ``k`` of A and row ``k`` of B). Weight-stationary: the B fields of words
      ``address .. address+rows-1`` are the weights (row ``k`` of B in word ``k``),
      the A fields of words ``address .. address+count-1`` are the ``M = count``
      rows of A; ``C = A @ B`` is ``M x cols``.

    COMPUTE answers with one packet to the port the command came from: the
    elements of C row-major, one per beat, sign-extended to the crossbar width,
    ``last`` on the final one. Beats after the header of a COMPUTE, beats beyond
    ``count`` of a LOAD, and packets with another opcode, a bank out of range or a
    zero count are discarded.

Ordering and ping-pong
    Commands run in arrival order. A COMPUTE waits until the previous COMPUTE's
    answer has been sent; a LOAD into the bank a running COMPUTE reads waits until
    it ends; a LOAD into another bank proceeds while the array computes, which
    overlaps filling one bank with computing from the other.
"""

from amaranth.hdl import Module, Mux, Signal
from amaranth.lib import stream, wiring
from amaranth.lib.wiring import In, Out
from amaranth.utils import ceil_log2

from .crossbar import Crossbar, input_layout, output_layout
from .mux import select_by_index
from .skid_buffer import SkidBuffer
from .systolic_array import SystolicArray
from .tile_buffer import TileBuffer

OPCODE_LOAD_A = 1
OPCODE_LOAD_B = 2
OPCODE_COMPUTE = 3
HEADER_BITS = 32
MAX_BANKS = 16
MAX_DEPTH = 4096
MAX_COUNT = 4095


def header(opcode, bank, address, count):
    """Encode a command header word (see the module docstring)."""
    return (opcode & 0xF) | (bank & 0xF) << 4 | (address & 0xFFF) << 8 | (count & 0xFFF) << 20


class TensorTile(wiring.Component):
    """The accelerator tile: crossbar, ping-pong tile buffer and systolic tensor core.

    Parameters
    ----------
    rows, cols, in_width, acc_width, dataflow
        Systolic array (see :class:`~tapeout.rtl.systolic_array.SystolicArray`).
    banks, depth, width
        Tile buffer: banks x depth words of width bits.
    ports, xbar_width, arbitration
        Crossbar: ports (>= 2; port 0 is the engine), beat width (bits), arbitration.

    Members
    -------
    link_in : ``In(stream.Signature(input_layout(ports, xbar_width))).array(ports - 1)``
    link_out : ``Out(stream.Signature(output_layout(ports, xbar_width))).array(ports - 1)``
    """

    def __init__(self, rows=4, cols=4, in_width=8, acc_width=32, dataflow="os",
                 banks=2, depth=256, width=64, ports=4, xbar_width=32, arbitration="round_robin"):
        self.array = SystolicArray(rows, cols, in_width, acc_width, dataflow)
        self.buffer = TileBuffer(banks, depth, width, granularity=in_width)
        self.crossbar = Crossbar(ports, xbar_width, arbitration)
        if ports < 2:
            raise ValueError(f"ports must be at least 2 (port 0 is the engine), not {ports!r}")
        if banks > MAX_BANKS:
            raise ValueError(f"banks must be at most {MAX_BANKS} (4-bit header field), not {banks!r}")
        if depth > MAX_DEPTH:
            raise ValueError(f"depth must be at most {MAX_DEPTH} (12-bit header field), not {depth!r}")
        needed = (rows + cols) * in_width
        if width < needed:
            raise ValueError(f"width must be at least (rows + cols) * in_width ({needed}), not {width!r}")
        needed = max(HEADER_BITS, acc_width, rows * in_width, cols * in_width)
        if xbar_width < needed:
            raise ValueError(f"xbar_width must be at least {needed} (header, one C element, one A "
                             f"column and one B row per beat), not {xbar_width!r}")
        self.rows, self.cols, self.in_width, self.acc_width = rows, cols, in_width, acc_width
        self.dataflow = dataflow
        self.banks, self.depth, self.width = banks, depth, width
        self.ports, self.xbar_width = ports, xbar_width
        super().__init__({
            "link_in": In(stream.Signature(input_layout(ports, xbar_width))).array(ports - 1),
            "link_out": Out(stream.Signature(output_layout(ports, xbar_width))).array(ports - 1),
        })

    def elaborate(self, platform):
        m = Module()
        array = m.submodules.array = self.array
        buffer = m.submodules.buffer = self.buffer
        crossbar = m.submodules.crossbar = self.crossbar
        for index in range(self.ports - 1):
            wiring.connect(m, wiring.flipped(self.link_in[index]), crossbar.inputs[index + 1])
            wiring.connect(m, crossbar.outputs[index + 1], wiring.flipped(self.link_out[index]))
        # The engine's crossbar port is registered both ways (skid buffers), so no
        # combinational path runs from the crossbar's arbitration into the command
        # decoder or the result serializer (and on into the array).
        rx_slice = m.submodules.rx_slice = SkidBuffer(output_layout(self.ports, self.xbar_width))
        tx_slice = m.submodules.tx_slice = SkidBuffer(input_layout(self.ports, self.xbar_width))
        wiring.connect(m, crossbar.outputs[0], rx_slice.input)
        wiring.connect(m, tx_slice.output, crossbar.inputs[0])
        rx, tx = rx_slice.output, tx_slice.input
        a_bits, b_bits = self.rows * self.in_width, self.cols * self.in_width

        # --- command engine state -------------------------------------------------
        addr_bits = max(ceil_log2(self.depth), 1)
        busy = Signal()                      # a COMPUTE runs (until its answer is sent)
        cmp_bank = Signal(range(self.banks))
        cmp_base = Signal(12)
        cmp_count = Signal(12)
        cmp_dest = Signal(range(self.ports))
        start = Signal()

        fields = rx.payload.data
        opcode, bank, address, count = fields[0:4], fields[4:8], fields[8:20], fields[20:32]
        valid_cmd = (bank < self.banks) & (count != 0)
        is_load = ((opcode == OPCODE_LOAD_A) | (opcode == OPCODE_LOAD_B)) & valid_cmd
        is_compute = (opcode == OPCODE_COMPUTE) & valid_cmd

        ld_b = Signal()
        ld_bank = Signal(range(self.banks))
        ld_addr = Signal(12)
        ld_left = Signal(12)
        writing = Signal()                   # a LOAD beat is written to the buffer
        with m.FSM(name="command") as command:
            with m.State("HEADER"):
                with m.If(rx.valid & rx.ready):
                    with m.If(is_compute):
                        m.d.sync += [cmp_bank.eq(bank), cmp_base.eq(address),
                                     cmp_count.eq(count), cmp_dest.eq(rx.payload.src)]
                    m.d.sync += [ld_b.eq(opcode == OPCODE_LOAD_B), ld_bank.eq(bank),
                                 ld_addr.eq(address), ld_left.eq(count)]
                    with m.If(~rx.payload.last):
                        with m.If(is_load):
                            m.next = "LOAD"
                        with m.Else():
                            m.next = "DISCARD"
            with m.State("LOAD"):
                with m.If(writing):
                    m.d.sync += [ld_addr.eq(ld_addr + 1), ld_left.eq(ld_left - 1)]
                with m.If(rx.valid & rx.payload.last):
                    m.next = "HEADER"
            with m.State("DISCARD"):
                with m.If(rx.valid & rx.payload.last):
                    m.next = "HEADER"
        # The engine's handshake and write strobes are plain functions of the state
        # (continuous assignments in the exported Verilog), not assignments inside the
        # state switch: Yosys writes those as ``always @*`` blocks, which a 4-state
        # simulator (Icarus with -g2012) only evaluates once an input changes, so
        # ``rx.ready`` would stay X after reset while the engine waits in HEADER.
        in_header = command.ongoing("HEADER")
        blocked = busy & (is_compute | (is_load & (bank == cmp_bank)))
        m.d.comb += [
            rx.ready.eq(~(in_header & blocked)),     # LOAD and DISCARD take every beat
            start.eq(in_header & rx.valid & ~blocked & is_compute),
            writing.eq(command.ongoing("LOAD") & rx.valid & (ld_left != 0)),
        ]
        lanes = Mux(ld_b, ((1 << self.cols) - 1) << self.rows, (1 << self.rows) - 1)
        for index in range(self.banks):
            port = buffer.write[index]
            m.d.comb += [
                port.addr.eq(ld_addr[:addr_bits]),
                port.data.eq(Mux(ld_b, fields[:b_bits] << a_bits, fields[:a_bits])),
                port.en.eq(Mux(writing & (ld_bank == index), lanes, 0)),
            ]

        # --- buffer reader feeding the array ----------------------------------------
        # A two-stage pipeline with one enable (``advance``): the read ports hold the
        # words read (``pending``), then every bank's word is registered before the
        # bank multiplexer (``staged``), so a block RAM's slow clock-to-output only
        # drives a register (and Yosys' read-first emulation in front of it).
        reading = Signal()                   # words left to issue in this COMPUTE
        phase = Signal()                     # WS: 0 = weights, 1 = activations
        index = Signal(12)
        pending = Signal()                   # the read ports hold a word for the array
        pending_phase = Signal()
        pending_last = Signal()
        staged = Signal()                    # bank_words hold a word for the array
        staged_phase = Signal()
        staged_last = Signal()
        bank_words = [Signal(self.width, name=f"bank{bank_index}_word")
                      for bank_index in range(self.banks)]
        word = Signal(self.width)
        m.d.comb += word.eq(select_by_index(cmp_bank, bank_words))

        if self.dataflow == "os":
            phase_length = cmp_count
            consumer_ready = array.operands.ready
            m.d.comb += [
                array.operands.valid.eq(staged),
                array.operands.payload.a.eq(word[:a_bits]),
                array.operands.payload.b.eq(word[a_bits:a_bits + b_bits]),
                array.operands.payload.last.eq(staged_last),
            ]
        else:
            phase_length = Mux(phase, cmp_count, self.rows)
            consumer_ready = Mux(staged_phase, array.activations.ready, array.weights.ready)
            m.d.comb += [
                array.weights.valid.eq(staged & ~staged_phase),
                array.weights.payload.b.eq(word[a_bits:a_bits + b_bits]),
                array.activations.valid.eq(staged & staged_phase),
                array.activations.payload.a.eq(word[:a_bits]),
                array.activations.payload.last.eq(staged_last),
            ]
        advance = Signal()
        issue = Signal()
        phase_end = Signal()
        m.d.comb += [advance.eq(~staged | consumer_ready), issue.eq(reading & advance),
                     phase_end.eq(index == phase_length - 1)]
        for bank_index in range(self.banks):
            m.d.comb += [buffer.read[bank_index].en.eq(advance & (cmp_bank == bank_index)),
                         buffer.read[bank_index].addr.eq((cmp_base + index)[:addr_bits])]
        with m.If(advance):
            m.d.sync += [pending.eq(issue), pending_phase.eq(phase), pending_last.eq(phase_end),
                         staged.eq(pending), staged_phase.eq(pending_phase),
                         staged_last.eq(pending_last)]
            m.d.sync += [bank_word.eq(buffer.read[bank_index].data)
                         for bank_index, bank_word in enumerate(bank_words)]
        with m.If(start):
            m.d.sync += [reading.eq(1), phase.eq(self.dataflow == "os"), index.eq(0), busy.eq(1)]
        with m.Elif(issue):
            with m.If(phase_end):
                m.d.sync += index.eq(0)
                with m.If(phase):
                    m.d.sync += reading.eq(0)
                with m.Else():
                    m.d.sync += phase.eq(1)
            with m.Else():
                m.d.sync += index.eq(index + 1)

        # --- result serializer: one C element per crossbar beat ---------------------
        row = Signal.like(array.results.payload.c.as_value())
        row_valid = Signal()
        row_last = Signal()
        column = Signal(range(self.cols))
        final_column = column == self.cols - 1
        element = array.results.payload.c.shape().elem_shape
        elements = [row[i * self.acc_width:(i + 1) * self.acc_width].as_signed()
                    for i in range(self.cols)]
        current = Signal(element)
        m.d.comb += current.eq(select_by_index(column, elements))
        sent = tx.valid & tx.ready
        m.d.comb += [
            tx.valid.eq(row_valid),
            tx.payload.data.eq(current),
            tx.payload.dest.eq(cmp_dest),
            tx.payload.last.eq(row_last & final_column),
            array.results.ready.eq(~row_valid | (sent & final_column)),
        ]
        with m.If(sent):
            m.d.sync += column.eq(Mux(final_column, 0, column + 1))
            with m.If(final_column):
                m.d.sync += row_valid.eq(0)
                with m.If(row_last):
                    m.d.sync += busy.eq(0)
        with m.If(array.results.valid & array.results.ready):
            m.d.sync += [row.eq(array.results.payload.c.as_value()), row_valid.eq(1),
                         row_last.eq(array.results.payload.last)]
        return m


TILE_DEFAULTS = {
    "rows": 4, "cols": 4, "in_width": 8, "acc_width": 32, "dataflow": "os",
    "banks": 2, "depth": 256, "width": 64, "ports": 4, "xbar_width": 32,
    "arbitration": "round_robin",
}
"""Default TensorTile parameters: 4x4 OS INT8 array with 32-bit accumulators, 2 x 256 x 64-bit
ping-pong buffer (one array beat per word), 4-port 32-bit round-robin crossbar."""


def build_tile(**params):
    """Build a :class:`TensorTile` from config parameters (missing ones take :data:`TILE_DEFAULTS`).

    Raises
    ------
    ValueError
        For a parameter name TensorTile does not take.
    """
    unknown = sorted(set(params) - set(TILE_DEFAULTS))
    if unknown:
        raise ValueError(f"unknown TensorTile parameter {unknown[0]!r}; expected one of "
                         f"{', '.join(TILE_DEFAULTS)}")
    return TensorTile(**{**TILE_DEFAULTS, **params})


def pack_lanes(values, lane_width):
    """Pack signed integers into one word, element ``i`` at bit ``i * lane_width``."""
    word = 0
    for index, value in enumerate(values):
        word |= (int(value) & ((1 << lane_width) - 1)) << (index * lane_width)
    return word
