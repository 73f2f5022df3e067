"""UART transmitter and receiver, 8N1 (one start bit, 8 data bits LSB first, one stop bit).

The line idles high. A bit lasts ``divisor`` clocks of the ``sync`` domain, so the baud rate
is ``clock_hz / divisor`` (`baud_divisor` picks the divisor). Bytes move through
:mod:`amaranth.lib.stream` interfaces.
"""

from amaranth.hdl import Cat, Const, Module, Signal
from amaranth.lib import stream, wiring
from amaranth.lib.cdc import FFSynchronizer
from amaranth.lib.wiring import In, Out

MIN_DIVISOR = 4  # the receiver samples mid-bit: it needs a few clocks per bit


def check_divisor(divisor):
    """Raise the Amaranth-style error unless ``divisor`` is an integer of at least `MIN_DIVISOR`."""
    if not isinstance(divisor, int) or isinstance(divisor, bool) or divisor < MIN_DIVISOR:
        raise ValueError(f"divisor must be an integer of at least {MIN_DIVISOR}, not {divisor!r}")


def baud_divisor(clock_hz, baud, tolerance=0.02):
    """Clocks per bit for ``baud`` on a ``clock_hz`` clock (rounded to the nearest integer).

    Raises
    ------
    ValueError
        If the rounded divisor is below `MIN_DIVISOR` or misses ``baud`` by more than
        ``tolerance`` (2 % by default: 8N1 allows about 5 % between both ends, half each).
    """
    if not isinstance(clock_hz, (int, float)) or clock_hz <= 0:
        raise ValueError(f"clock_hz must be a positive number, not {clock_hz!r}")
    if not isinstance(baud, (int, float)) or baud <= 0:
        raise ValueError(f"baud must be a positive number, not {baud!r}")
    divisor = round(clock_hz / baud)
    if divisor < MIN_DIVISOR:
        raise ValueError(f"baud must be at most clock_hz / {MIN_DIVISOR} "
                         f"({clock_hz / MIN_DIVISOR:.0f}), not {baud!r}")
    error = abs(clock_hz / divisor - baud) / baud
    if error > tolerance:
        raise ValueError(f"baud {baud!r} is {error:.1%} off with a {clock_hz:.0f} Hz clock "
                         f"(divisor {divisor}); more than {tolerance:.0%}")
    return divisor


class UARTTx(wiring.Component):
    """UART transmitter.

    Parameters
    ----------
    divisor : int
        Clocks per bit.

    Members
    -------
    data : ``In(stream.Signature(8))``
        Bytes to send; a byte is taken when the previous one's stop bit has ended.
    tx : ``Out(1)``
        Serial line (idles high).
    """

    def __init__(self, divisor):
        check_divisor(divisor)
        self.divisor = divisor
        super().__init__({"data": In(stream.Signature(8)), "tx": Out(1, init=1)})

    def elaborate(self, platform):
        m = Module()
        frame = Signal(10, init=0b11_1111_1111)  # stop, data[7..0], start; shifts out LSB first
        bits_left = Signal(range(11))
        timer = Signal(range(self.divisor))
        m.d.comb += self.tx.eq(frame[0])
        m.d.comb += self.data.ready.eq(bits_left == 0)
        with m.If(self.data.valid & self.data.ready):
            m.d.sync += [frame.eq(Cat(Const(0, 1), self.data.payload, Const(1, 1))),
                         bits_left.eq(10), timer.eq(self.divisor - 1)]
        with m.Elif(bits_left != 0):
            with m.If(timer == 0):
                m.d.sync += [frame.eq(Cat(frame[1:], Const(1, 1))),
                             bits_left.eq(bits_left - 1), timer.eq(self.divisor - 1)]
            with m.Else():
                m.d.sync += timer.eq(timer - 1)
        return m


class UARTRx(wiring.Component):
    """UART receiver: samples each bit in its middle, checks the stop bit.

    Parameters
    ----------
    divisor : int
        Clocks per bit.

    Members
    -------
    rx : ``In(1)``
        Serial line (asynchronous; synchronised by two flip-flops).
    data : ``Out(stream.Signature(8))``
        Received bytes. ``valid`` holds until ``ready``; a byte that completes while the
        previous one still waits is dropped and sets ``overrun``.
    framing_error : ``Out(1)``
        Sticky: a stop bit was low (the byte was dropped).
    overrun : ``Out(1)``
        Sticky: a byte was dropped because ``data`` was not taken in time.
    """

    def __init__(self, divisor):
        check_divisor(divisor)
        self.divisor = divisor
        super().__init__({"rx": In(1, init=1), "data": Out(stream.Signature(8)),
                          "framing_error": Out(1), "overrun": Out(1)})

    def elaborate(self, platform):
        m = Module()
        line = Signal(init=1)
        m.submodules.sync_rx = FFSynchronizer(self.rx, line, init=1)
        timer = Signal(range(self.divisor + self.divisor // 2))
        shift = Signal(8)
        bit_index = Signal(range(9))

        with m.If(self.data.ready):
            m.d.sync += self.data.valid.eq(0)

        with m.FSM(name="uart_rx"):
            with m.State("IDLE"):
                with m.If(~line):
                    # First data bit is sampled 1.5 bit times after the start edge.
                    m.d.sync += [timer.eq(self.divisor + self.divisor // 2 - 1), bit_index.eq(0)]
                    m.next = "DATA"
            with m.State("DATA"):
                with m.If(timer == 0):
                    m.d.sync += [shift.eq(Cat(shift[1:], line)), bit_index.eq(bit_index + 1),
                                 timer.eq(self.divisor - 1)]
                    with m.If(bit_index == 7):
                        m.next = "STOP"
                with m.Else():
                    m.d.sync += timer.eq(timer - 1)
            with m.State("STOP"):
                with m.If(timer == 0):
                    with m.If(~line):
                        m.d.sync += self.framing_error.eq(1)
                        m.next = "BREAK"
                    with m.Else():
                        with m.If(self.data.valid & ~self.data.ready):
                            m.d.sync += self.overrun.eq(1)
                        with m.Else():
                            m.d.sync += [self.data.payload.eq(shift), self.data.valid.eq(1)]
                        # Back to IDLE at mid stop bit: the next start edge is half a bit away.
                        m.next = "IDLE"
                with m.Else():
                    m.d.sync += timer.eq(timer - 1)
            with m.State("BREAK"):
                # A low stop bit: wait for the line to go idle before looking for a start bit.
                with m.If(line):
                    m.next = "IDLE"
        return m
