"""Skid buffer: a stream register slice that registers ``valid``, ``payload`` and ``ready``.

A plain register on a valid/ready stream breaks the forward path (``valid``,
``payload``) but leaves ``ready`` combinational from the consumer back to the
producer. The skid buffer has two entries: the output register and a spare that
catches the beat the producer sends in the clock the consumer stops, so the
producer's ``ready`` is a register too (it is low exactly while the spare is full).
It passes one beat per clock, keeps their order, and adds one clock of latency.
"""

from amaranth.hdl import Module, Signal
from amaranth.lib import stream, wiring
from amaranth.lib.wiring import In, Out


class SkidBuffer(wiring.Component):
    """Two-entry register slice between two streams of ``shape`` payloads.

    Parameters
    ----------
    shape : shape-castable
        Payload shape (e.g. a :class:`~amaranth.lib.data.StructLayout`).

    Members
    -------
    input : ``In(stream.Signature(shape))``
        From the producer; ``input.ready`` is a register.
    output : ``Out(stream.Signature(shape))``
        To the consumer; ``output.valid`` and ``output.payload`` are registers.
    """

    def __init__(self, shape):
        self.shape = shape
        super().__init__({"input": In(stream.Signature(shape)),
                          "output": Out(stream.Signature(shape))})

    def elaborate(self, platform):
        m = Module()
        spare_valid = Signal()
        spare = Signal(self.shape)
        m.d.comb += self.input.ready.eq(~spare_valid)
        with m.If(self.output.ready | ~self.output.valid):
            # The output register is free: it takes the spare first, else the input.
            with m.If(spare_valid):
                m.d.sync += [self.output.payload.eq(spare), self.output.valid.eq(1),
                             spare_valid.eq(0)]
            with m.Else():
                m.d.sync += [self.output.payload.eq(self.input.payload),
                             self.output.valid.eq(self.input.valid)]
        with m.Elif(self.input.valid & ~spare_valid):
            m.d.sync += [spare.eq(self.input.payload), spare_valid.eq(1)]
        return m
