"""Processing elements (PEs) of the systolic array.

Both PEs multiply a signed ``in_width``-bit activation by a signed ``in_width``-bit
operand and add the product to a signed ``acc_width``-bit accumulator. Every sum is
truncated to ``acc_width`` bits, so accumulation wraps modulo ``2**acc_width``
(two's complement), exactly like :func:`tapeout.rtl.golden.gemm`.

Operands move one PE per clock: the activation ``a`` (with its flags) to the right,
``b`` (output-stationary) or the partial sum (weight-stationary) downwards. The
array gates every register of every PE with one clock enable (see
:class:`tapeout.rtl.systolic_array.SystolicArray`), so a PE has no stall logic.

The multiply-accumulate is pipelined for the clock: the operands are registered
(``a_out``/``b_out``, which also feed the next PE), their product is registered, and
the product is then accumulated. On an FPGA the multiplier (an ECP5 MULT18X18D)
thus sits between two registers and the accumulator's carry chain after a third,
instead of a block-RAM read, a multiplier and a 32-bit adder in one clock. A PE's result
(``drain_out``/``psum_out``) therefore lags its operand outputs
by :data:`MAC_LATENCY` clocks; the flags travelling with the operands
(``valid_out``, ...) keep their one-clock step.
"""

from amaranth.hdl import Module, Mux, Signal, signed
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

MAC_LATENCY = 2
"""Clocks from a PE's operand outputs (``a_out``) to its result outputs (``drain_out``,
``psum_out``): one for the registered product, one for the accumulator (clocks)."""


def check_widths(in_width, acc_width):
    """Check the operand and accumulator widths shared by every PE and array.

    Raises
    ------
    TypeError, ValueError
        Amaranth-style messages naming the parameter and echoing the bad value.
    """
    if not isinstance(in_width, int) or isinstance(in_width, bool) or in_width < 2:
        raise TypeError(f"in_width must be an integer of at least 2, not {in_width!r}")
    if not isinstance(acc_width, int) or isinstance(acc_width, bool) or acc_width < 2 * in_width:
        raise ValueError(f"acc_width must be an integer of at least 2 * in_width "
                         f"({2 * in_width}), not {acc_width!r}")


class OutputStationaryPE(wiring.Component):
    """Output-stationary PE with double-buffered, shift-out accumulators.

    The PE accumulates the current tile into one accumulator (``bank``) while the
    other one, holding the previous tile's result, is part of the column's drain
    chain. When the last beat of a tile reaches the accumulate stage
    (:data:`MAC_LATENCY` clocks after it left through ``a_out``) the final sum goes to
    ``drain_out`` and the banks swap, so the next tile starts on the very next beat
    (no bubble).

    Drain chain: each step ``drain_out <= acc[drain]`` and ``acc[drain] <= drain_in``
    (``drain_in`` is the ``drain_out`` of the PE above). With two registers per row
    the drained values move down half as fast as the computation wavefront, so they
    never collide with it; the bottom PE emits the column bottom-up, one value per
    clock, starting the clock after its last beat's accumulation. A PE's previous
    result has left it ``row`` clocks after that accumulation, so a tile may end no
    sooner than ``rows`` clocks after the previous one (the array enforces this).

    Parameters
    ----------
    in_width : int
        Operand width (bits, signed).
    acc_width : int
        Accumulator width (bits, signed, wraps modulo ``2**acc_width``).
    """

    def __init__(self, in_width=8, acc_width=32):
        check_widths(in_width, acc_width)
        self.in_width = in_width
        self.acc_width = acc_width
        super().__init__({
            "a_in": In(signed(in_width)), "b_in": In(signed(in_width)),
            "valid_in": In(1), "first_in": In(1), "last_in": In(1),
            "drain_in": In(signed(acc_width)),
            "a_out": Out(signed(in_width)), "b_out": Out(signed(in_width)),
            "valid_out": Out(1), "first_out": Out(1), "last_out": Out(1),
            "drain_out": Out(signed(acc_width)),
        })

    def elaborate(self, platform):
        m = Module()
        acc = [Signal(signed(self.acc_width), name=f"acc{i}") for i in range(2)]
        bank = Signal()  # accumulator of the tile in progress; the other one drains
        acc_compute = Mux(bank, acc[1], acc[0])
        acc_drain = Mux(bank, acc[0], acc[1])
        m.d.sync += [
            self.a_out.eq(self.a_in), self.b_out.eq(self.b_in),
            self.valid_out.eq(self.valid_in), self.first_out.eq(self.first_in),
            self.last_out.eq(self.last_in),
        ]
        # Product stage: the registered operands are multiplied, flags follow.
        product = Signal(signed(2 * self.in_width))
        valid, first, last = Signal(name="valid"), Signal(name="first"), Signal(name="last")
        m.d.sync += [product.eq(self.a_out * self.b_out), valid.eq(self.valid_out),
                     first.eq(self.first_out), last.eq(self.last_out)]
        # Accumulate stage.
        total = Signal(signed(self.acc_width))
        m.d.comb += total.eq(Mux(first, 0, acc_compute) + product)
        with m.If(valid & last):
            m.d.sync += [self.drain_out.eq(total), bank.eq(~bank)]
            for index in range(2):
                with m.If(bank == index):
                    m.d.sync += acc[index].eq(self.drain_in)
        with m.Else():
            m.d.sync += self.drain_out.eq(acc_drain)
            for index in range(2):
                with m.If(bank == index):
                    with m.If(valid):
                        m.d.sync += acc[index].eq(total)
                with m.Else():
                    m.d.sync += acc[index].eq(self.drain_in)
        return m


class WeightStationaryPE(wiring.Component):
    """Weight-stationary PE with a double-buffered weight register.

    ``psum_out = psum_in + a * weight[sel]``, :data:`MAC_LATENCY` clocks after the
    activation ``a`` left through ``a_out``: the product of the registered ``a_out``
    and ``weight[sel_out]`` is registered (so a bank is read one clock after
    ``a_in``), then added to ``psum_in`` (the ``psum_out`` of the PE above, which is
    one clock ahead). The weight bank travels with the activation, so the banks can
    swap between two activation rows without a bubble.
    While ``load`` is high the bank ``load_bank`` shifts down the column
    (``weight[load_bank] <= weight_in``; ``weight_out`` is that bank's value), which
    preloads the next weights while the other bank computes.

    Parameters
    ----------
    in_width : int
        Operand width (bits, signed).
    acc_width : int
        Partial-sum width (bits, signed, wraps modulo ``2**acc_width``).
    """

    def __init__(self, in_width=8, acc_width=32):
        check_widths(in_width, acc_width)
        self.in_width = in_width
        self.acc_width = acc_width
        super().__init__({
            "a_in": In(signed(in_width)), "valid_in": In(1), "sel_in": In(1), "last_in": In(1),
            "psum_in": In(signed(acc_width)),
            "load": In(1), "load_bank": In(1), "weight_in": In(signed(in_width)),
            "a_out": Out(signed(in_width)), "valid_out": Out(1), "sel_out": Out(1),
            "last_out": Out(1),
            "psum_out": Out(signed(acc_width)), "weight_out": Out(signed(in_width)),
        })

    def elaborate(self, platform):
        m = Module()
        weight = [Signal(signed(self.in_width), name=f"weight{i}") for i in range(2)]
        m.d.comb += self.weight_out.eq(Mux(self.load_bank, weight[1], weight[0]))
        product = Signal(signed(2 * self.in_width))
        m.d.sync += [
            self.a_out.eq(self.a_in), self.valid_out.eq(self.valid_in),
            self.sel_out.eq(self.sel_in), self.last_out.eq(self.last_in),
            product.eq(self.a_out * Mux(self.sel_out, weight[1], weight[0])),
            self.psum_out.eq(self.psum_in + product),
        ]
        with m.If(self.load):
            for index in range(2):
                with m.If(self.load_bank == index):
                    m.d.sync += weight[index].eq(self.weight_in)
        return m
