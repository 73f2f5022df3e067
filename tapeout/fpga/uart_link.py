"""A crossbar link over a UART: bytes from the host become crossbar beats, and back.

Byte framing of one beat (both directions, see :mod:`tapeout.fpga.protocol` for the host
side): a flags byte, then the beat's data in ``ceil(width / 8)`` bytes, least significant
first. Flags: bit 0 is ``last``, bits ``[7:1]`` the crossbar port (``dest`` from host to
board, ``src`` from board to host).

If the host stops mid-beat for ``resync_clocks`` clocks, the partial beat is dropped and the
next byte is taken as a flags byte again, so a host that timed out can start over cleanly.
"""

from amaranth.hdl import Cat, Module, Signal
from amaranth.lib import stream, wiring
from amaranth.lib.wiring import In, Out

from tapeout.fpga.uart import UARTRx, UARTTx
from tapeout.rtl.crossbar import input_layout, output_layout

MAX_PORTS = 128  # seven bits of port number in the flags byte


def beat_bytes(width):
    """Data bytes of one beat of ``width`` bits."""
    return (width + 7) // 8


class UartLink(wiring.Component):
    """UART <-> crossbar-link bridge.

    Parameters
    ----------
    ports : int
        Crossbar ports (sets the width of ``dest``/``src``); at most `MAX_PORTS`.
    width : int
        Crossbar beat width (bits).
    divisor : int
        UART clocks per bit.
    resync_clocks : int
        Idle clocks in the middle of a beat after which the partial beat is dropped.

    Members
    -------
    rx : ``In(1)``, tx : ``Out(1)``
        UART pins.
    to_tile : ``Out(stream.Signature(input_layout(ports, width)))``
        Beats received from the host (connect to a tile's ``link_in``).
    from_tile : ``In(stream.Signature(output_layout(ports, width)))``
        Beats sent to the host (connect from a tile's ``link_out``).
    framing_error, overrun : ``Out(1)``
        The receiver's sticky error flags.
    """

    def __init__(self, ports, width, divisor, resync_clocks):
        for name, value in (("ports", ports), ("width", width), ("resync_clocks", resync_clocks)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise TypeError(f"{name} must be a positive integer, not {value!r}")
        if ports > MAX_PORTS:
            raise ValueError(f"ports must be at most {MAX_PORTS}, not {ports!r}")
        self.ports, self.width = ports, width
        self.resync_clocks = resync_clocks
        self._rx = UARTRx(divisor)
        self._tx = UARTTx(divisor)
        super().__init__({
            "rx": In(1, init=1), "tx": Out(1, init=1),
            "to_tile": Out(stream.Signature(input_layout(ports, width))),
            "from_tile": In(stream.Signature(output_layout(ports, width))),
            "framing_error": Out(1), "overrun": Out(1),
        })

    def elaborate(self, platform):
        m = Module()
        uart_rx = m.submodules.uart_rx = self._rx
        uart_tx = m.submodules.uart_tx = self._tx
        nbytes = beat_bytes(self.width)
        m.d.comb += [uart_rx.rx.eq(self.rx), self.tx.eq(uart_tx.tx),
                     self.framing_error.eq(uart_rx.framing_error),
                     self.overrun.eq(uart_rx.overrun)]

        # --- host -> tile: flags byte, then the data bytes, least significant first --------
        flags = Signal(8)
        data = Signal(8 * nbytes)
        received = Signal(range(nbytes + 1))     # bytes of the current beat received so far
        idle = Signal(range(self.resync_clocks + 1))
        beat_valid = Signal()
        m.d.comb += [
            self.to_tile.valid.eq(beat_valid),
            self.to_tile.payload.data.eq(data[:self.width]),
            self.to_tile.payload.dest.eq(flags[1:]),
            self.to_tile.payload.last.eq(flags[0]),
            uart_rx.data.ready.eq(~beat_valid),
        ]
        with m.If(self.to_tile.valid & self.to_tile.ready):
            m.d.sync += beat_valid.eq(0)
        with m.If(uart_rx.data.valid & uart_rx.data.ready):
            m.d.sync += idle.eq(0)
            with m.If(received == 0):
                m.d.sync += [flags.eq(uart_rx.data.payload), received.eq(1)]
            with m.Else():
                m.d.sync += data.eq(Cat(data[8:], uart_rx.data.payload))
                with m.If(received == nbytes):
                    m.d.sync += [received.eq(0), beat_valid.eq(1)]
                with m.Else():
                    m.d.sync += received.eq(received + 1)
        with m.Elif(received != 0):
            with m.If(idle == self.resync_clocks):
                m.d.sync += [received.eq(0), idle.eq(0)]
            with m.Else():
                m.d.sync += idle.eq(idle + 1)

        # --- tile -> host: latch a beat, send its bytes one by one ------------------------
        frame = Signal(8 * (nbytes + 1))
        to_send = Signal(range(nbytes + 2))
        m.d.comb += [
            self.from_tile.ready.eq(to_send == 0),
            uart_tx.data.valid.eq(to_send != 0),
            uart_tx.data.payload.eq(frame[:8]),
        ]
        out_flags = Signal(8)
        out_data = Signal(8 * nbytes)
        m.d.comb += [out_flags.eq(Cat(self.from_tile.payload.last, self.from_tile.payload.src)),
                     out_data.eq(self.from_tile.payload.data)]
        with m.If(self.from_tile.valid & self.from_tile.ready):
            m.d.sync += [frame.eq(Cat(out_flags, out_data)), to_send.eq(nbytes + 1)]
        with m.Elif(uart_tx.data.valid & uart_tx.data.ready):
            m.d.sync += [frame.eq(frame >> 8), to_send.eq(to_send - 1)]
        return m
