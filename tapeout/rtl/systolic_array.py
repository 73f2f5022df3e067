"""Systolic INT8 tensor core: a ``rows x cols`` grid of multiply-accumulate PEs.

Interfaces are :mod:`amaranth.lib.stream` valid/ready streams. All arithmetic is
signed; accumulators and partial sums wrap modulo ``2**acc_width``.

Output-stationary (``dataflow="os"``)
    One tile computes ``C (rows x cols) = A (rows x K) @ B (K x cols)`` for any
    ``K >= 1``. ``operands`` carries one beat per ``k``: ``a`` = column ``k`` of A,
    ``b`` = row ``k`` of B, ``last`` set on ``k = K - 1``. ``results`` then carries
    the ``rows`` rows of C, row 0 first (``c`` = one row, ``last`` on the final row).
    The next tile's beats enter while the previous result drains (double-buffered
    shift-out accumulators, see :class:`~tapeout.rtl.pe.OutputStationaryPE`), so
    back-to-back tiles take ``max(K, rows)`` clocks each: a tile shorter than
    ``rows`` beats makes ``operands.ready`` drop before the next tile's last beat.

Weight-stationary (``dataflow="ws"``)
    ``weights`` carries the stationary ``B (K x cols)`` with ``K = rows``: exactly
    ``rows`` beats, row 0 first. ``activations`` carries the rows of
    ``A (M x rows)``, ``last`` on the final row of the tile, for any ``M >= 1``;
    ``results`` carries the ``M`` rows of ``A @ B`` (``last`` on the final row).
    Each tile needs its own ``rows`` weight beats, sent before or while the
    previous tile computes: they go to the second weight bank, which is free
    ``rows + cols - 1`` clocks after the previous-but-one tile's last activation.

Timing: ``results`` is registered. A beat accepted at clock ``e`` meets PE
``(r, c)`` at clock ``e + r + c``; its product and sum follow
:data:`~tapeout.rtl.pe.MAC_LATENCY` clocks later (see :mod:`tapeout.rtl.pe`). Every
register of the pipeline shares one clock enable, which is a register itself: a
two-entry skid buffer at the output (the output register plus one spare) lets the
pipeline advance once more after ``results.ready`` drops, then freezes it until the
spare entry is taken. So output backpressure freezes the whole pipeline, nothing is
lost, and no combinational path runs from ``results.ready`` to the pipeline's
thousands of clock enables or to the input ``ready``.
"""

from amaranth.hdl import DomainRenamer, EnableInserter, Module, Mux, Signal, signed
from amaranth.lib import data, stream, wiring
from amaranth.lib.wiring import In, Out

from .pe import MAC_LATENCY, OutputStationaryPE, WeightStationaryPE, check_widths

DATAFLOWS = ("os", "ws")


def check_positive(name, value):
    """Raise the Amaranth-style TypeError unless ``value`` is a positive integer."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise TypeError(f"{name} must be a positive integer, not {value!r}")


def delayed(m, value, clocks, name):
    """Return ``value`` delayed by ``clocks`` registers in ``m``'s sync domain."""
    for index in range(clocks):
        stage = Signal.like(value, name=f"{name}_d{index + 1}")
        m.d.sync += stage.eq(value)
        value = stage
    return value


class SystolicArray(wiring.Component):
    """Systolic array of signed multiply-accumulate PEs with skewing and deskewing.

    Parameters
    ----------
    rows, cols : int
        Array size (PEs).
    in_width : int
        Operand width (bits, signed), 8 for INT8.
    acc_width : int
        Accumulator width (bits, signed, wraps modulo ``2**acc_width``).
    dataflow : str
        ``"os"`` (output-stationary) or ``"ws"`` (weight-stationary).

    Members
    -------
    operands : ``In(stream.Signature(operand_layout))``, output-stationary only.
    weights, activations : ``In(stream.Signature(...))``, weight-stationary only.
    results : ``Out(stream.Signature(result_layout))``.
    """

    def __init__(self, rows, cols, in_width=8, acc_width=32, dataflow="os"):
        check_positive("rows", rows)
        check_positive("cols", cols)
        check_widths(in_width, acc_width)
        if dataflow not in DATAFLOWS:
            raise ValueError(f"dataflow must be one of 'os', 'ws', not {dataflow!r}")
        self.rows, self.cols = rows, cols
        self.in_width, self.acc_width = in_width, acc_width
        self.dataflow = dataflow

        operand = signed(in_width)
        self.result_layout = data.StructLayout({
            "c": data.ArrayLayout(signed(acc_width), cols), "last": 1})
        members = {"results": Out(stream.Signature(self.result_layout))}
        if dataflow == "os":
            self.operand_layout = data.StructLayout({
                "a": data.ArrayLayout(operand, rows),
                "b": data.ArrayLayout(operand, cols), "last": 1})
            members["operands"] = In(stream.Signature(self.operand_layout))
        else:
            self.weight_layout = data.StructLayout({"b": data.ArrayLayout(operand, cols)})
            self.activation_layout = data.StructLayout({
                "a": data.ArrayLayout(operand, rows), "last": 1})
            members["weights"] = In(stream.Signature(self.weight_layout))
            members["activations"] = In(stream.Signature(self.activation_layout))
        super().__init__(members)

    def elaborate(self, platform):
        m = Module()
        enable = Signal()
        if self.dataflow == "os":
            bottom, out_valid, out_last = self._elaborate_os(m, enable)
        else:
            bottom, out_valid, out_last = self._elaborate_ws(m, enable)
        # Deskew: column c leaves the array cols-1-c clocks before the last column.
        head_valid = Signal()
        head = Signal(self.result_layout)
        m.d.sync += [head_valid.eq(out_valid), head.last.eq(out_last)]
        for col in range(self.cols):
            aligned = delayed(m, bottom[col], self.cols - 1 - col, f"deskew{col}")
            m.d.sync += head.c[col].eq(aligned)

        # Output skid buffer, in the "ungated" domain (``sync`` without ``enable``):
        # ``head`` is the pipeline's output register; when it is not taken while the
        # pipeline advances it moves to ``spare``, and a full ``spare`` stops the
        # pipeline until it is taken.
        spare_valid = Signal()
        spare = Signal(self.result_layout)
        m.d.comb += [
            enable.eq(~spare_valid),
            self.results.valid.eq(spare_valid | head_valid),
            self.results.payload.eq(Mux(spare_valid, spare, head)),
        ]
        with m.If(spare_valid):
            with m.If(self.results.ready):
                m.d.ungated += spare_valid.eq(0)
        with m.Elif(head_valid & ~self.results.ready):
            m.d.ungated += [spare_valid.eq(1), spare.eq(head)]
        return DomainRenamer({"ungated": "sync"})(EnableInserter({"sync": enable})(m))

    def _skewed_rows(self, m, accept, a_row, flags):
        """Skew the activation of PE row ``r`` (element ``rows-1-r``) by ``r`` clocks.

        Returns, per PE row, the delayed ``(a, valid, *flags)`` signals.
        """
        skewed = []
        for row in range(self.rows):
            values = [a_row[self.rows - 1 - row], accept, *flags]
            names = ["a", "valid"] + [f"flag{i}" for i in range(len(flags))]
            skewed.append([delayed(m, v, row, f"skew_r{row}_{n}") for v, n in zip(values, names)])
        return skewed

    def _elaborate_os(self, m, enable):
        rows, cols = self.rows, self.cols
        beat = self.operands.payload
        accept = Signal()
        after_last = Signal(init=1)          # the next beat starts a tile
        since_last = Signal(range(rows + 1), init=rows)  # clocks since the last tile ended
        m.d.comb += [
            self.operands.ready.eq(enable & ~(beat.last & (since_last < rows))),
            accept.eq(self.operands.valid & self.operands.ready),
        ]
        with m.If(accept):
            m.d.sync += after_last.eq(beat.last)
        with m.If(accept & beat.last):
            m.d.sync += since_last.eq(1)
        with m.Elif(since_last < rows):
            m.d.sync += since_last.eq(since_last + 1)

        pes = [[OutputStationaryPE(self.in_width, self.acc_width) for _ in range(cols)]
               for _ in range(rows)]
        skewed = self._skewed_rows(m, accept, beat.a, [after_last, beat.last])
        for row in range(rows):
            for col in range(cols):
                pe = pes[row][col]
                m.submodules[f"pe_{row}_{col}"] = pe
                if col == 0:
                    a, valid, first, last = skewed[row]
                else:
                    left = pes[row][col - 1]
                    a, valid, first, last = left.a_out, left.valid_out, left.first_out, left.last_out
                m.d.comb += [pe.a_in.eq(a), pe.valid_in.eq(valid),
                             pe.first_in.eq(first), pe.last_in.eq(last)]
                if row == 0:
                    m.d.comb += [pe.b_in.eq(delayed(m, beat.b[col], col, f"skew_c{col}_b")),
                                 pe.drain_in.eq(0)]
                else:
                    above = pes[row - 1][col]
                    m.d.comb += [pe.b_in.eq(above.b_out), pe.drain_in.eq(above.drain_out)]

        # The last beat's sum leaves the bottom-right PE (MAC_LATENCY clocks after the
        # beat) when column 0's first result row reaches the deskew output; the drain
        # then emits one row of C per clock.
        corner = pes[rows - 1][cols - 1]
        start = Signal()
        m.d.comb += start.eq(delayed(m, corner.valid_out & corner.last_out, MAC_LATENCY,
                                     "corner_done"))
        draining = Signal()
        row_index = Signal(range(rows))
        current = Signal(range(rows))
        m.d.comb += current.eq(Mux(start, 0, row_index))
        emit = Signal()
        final = Signal()
        m.d.comb += [emit.eq(start | draining), final.eq(emit & (current == rows - 1))]
        with m.If(emit & ~final):
            m.d.sync += [draining.eq(1), row_index.eq(current + 1)]
        with m.Else():
            m.d.sync += [draining.eq(0), row_index.eq(0)]
        bottom = [pes[rows - 1][col].drain_out for col in range(cols)]
        return bottom, emit, final

    def _elaborate_ws(self, m, enable):
        rows, cols = self.rows, self.cols
        act = self.activations.payload
        a_accept, w_accept = Signal(name="a_accept"), Signal(name="w_accept")
        active = Signal(init=1)          # weight bank of the tile in progress
        pending = Signal()               # the other bank holds the next tile's weights
        load_count = Signal(range(rows))
        after_last = Signal(init=1)
        # A bank may be reloaded in_flight + 1 clocks after the accept of its last
        # activation: the last PE meets that activation rows + cols - 2 clocks after
        # the accept and reads the bank one clock later (WeightStationaryPE).
        in_flight = rows + cols - 2
        active_timer = Signal(range(in_flight + 1))
        shadow_timer = Signal(range(in_flight + 1))
        switch = Signal()
        m.d.comb += [
            self.activations.ready.eq(enable & (~after_last | pending)),
            a_accept.eq(self.activations.valid & self.activations.ready),
            switch.eq(a_accept & after_last),
            self.weights.ready.eq(enable & ~pending & (shadow_timer == 0)),
            w_accept.eq(self.weights.valid & self.weights.ready),
        ]

        def count_down(timer):
            return timer.eq(timer - (timer != 0))

        with m.If(switch):
            m.d.sync += [active.eq(~active), pending.eq(0), active_timer.eq(in_flight),
                         shadow_timer.eq(active_timer - (active_timer != 0))]
        with m.Elif(a_accept):
            m.d.sync += [active_timer.eq(in_flight), count_down(shadow_timer)]
        with m.Else():
            m.d.sync += [count_down(active_timer), count_down(shadow_timer)]
        with m.If(a_accept):
            m.d.sync += after_last.eq(act.last)
        with m.If(w_accept):
            with m.If(load_count == rows - 1):
                m.d.sync += [pending.eq(1), load_count.eq(0)]
            with m.Else():
                m.d.sync += load_count.eq(load_count + 1)

        sel = Signal()
        m.d.comb += sel.eq(active ^ switch)
        pes = [[WeightStationaryPE(self.in_width, self.acc_width) for _ in range(cols)]
               for _ in range(rows)]
        skewed = self._skewed_rows(m, a_accept, act.a, [sel, act.last])
        for row in range(rows):
            for col in range(cols):
                pe = pes[row][col]
                m.submodules[f"pe_{row}_{col}"] = pe
                if col == 0:
                    a, valid, pe_sel, last = skewed[row]
                else:
                    left = pes[row][col - 1]
                    a, valid, pe_sel, last = left.a_out, left.valid_out, left.sel_out, left.last_out
                m.d.comb += [pe.a_in.eq(a), pe.valid_in.eq(valid), pe.sel_in.eq(pe_sel),
                             pe.last_in.eq(last), pe.load.eq(w_accept), pe.load_bank.eq(~active)]
                if row == 0:
                    m.d.comb += [pe.weight_in.eq(self.weights.payload.b[col]), pe.psum_in.eq(0)]
                else:
                    above = pes[row - 1][col]
                    m.d.comb += [pe.weight_in.eq(above.weight_out), pe.psum_in.eq(above.psum_out)]
        corner = pes[rows - 1][cols - 1]
        bottom = [pes[rows - 1][col].psum_out for col in range(cols)]
        return (bottom, delayed(m, corner.valid_out, MAC_LATENCY, "corner_valid"),
                delayed(m, corner.last_out, MAC_LATENCY, "corner_last"))
