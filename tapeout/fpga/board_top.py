"""The tensor tile behind a UART: a board-independent core and the board top that pins it out.

:class:`UartTensorTile` is the design a host talks to (see :mod:`tapeout.fpga.protocol`):
a :class:`~tapeout.rtl.tensor_tile.TensorTile` whose crossbar link 0 is bridged to a UART
(:class:`~tapeout.fpga.uart_link.UartLink`). It has plain ``rx``/``tx`` ports, so it can be
exported to Verilog and simulated. :class:`BoardTop` connects it to a board's UART pins.
"""

from amaranth.hdl import Elaboratable, Module
from amaranth.lib import io, wiring
from amaranth.lib.wiring import In, Out

from tapeout.fpga.uart import baud_divisor
from tapeout.fpga.uart_link import UartLink
from tapeout.rtl.tensor_tile import build_tile

RESYNC_SECONDS = 0.05  # a host pause of 50 ms mid-beat drops the partial beat


class UartTensorTile(wiring.Component):
    """A TensorTile commanded through a UART.

    Parameters
    ----------
    tile_params : dict
        Parameters of :func:`~tapeout.rtl.tensor_tile.build_tile` (missing ones default).
    divisor : int
        UART clocks per bit.
    resync_clocks : int
        Idle clocks mid-beat after which the UART link drops a partial beat.

    Members
    -------
    rx : ``In(1)``, tx : ``Out(1)``
        UART pins (idle high).
    framing_error, overrun : ``Out(1)``
        Sticky receiver errors (for LEDs or a logic analyser).
    """

    def __init__(self, tile_params, divisor, resync_clocks):
        self.tile = build_tile(**tile_params)
        self.link = UartLink(self.tile.ports, self.tile.xbar_width, divisor, resync_clocks)
        super().__init__({"rx": In(1, init=1), "tx": Out(1, init=1),
                          "framing_error": Out(1), "overrun": Out(1)})

    def elaborate(self, platform):
        m = Module()
        tile = m.submodules.tile = self.tile
        link = m.submodules.link = self.link
        m.d.comb += [link.rx.eq(self.rx), self.tx.eq(link.tx),
                     self.framing_error.eq(link.framing_error), self.overrun.eq(link.overrun)]
        wiring.connect(m, link.to_tile, tile.link_in[0])
        wiring.connect(m, tile.link_out[0], link.from_tile)
        # Links 1.. have nobody on the board: accept (drop) whatever is routed to them.
        for index in range(1, len(tile.link_out)):
            m.d.comb += tile.link_out[index].ready.eq(1)
        return m


class BoardTop(Elaboratable):
    """:class:`UartTensorTile` on a board's UART (``platform.request("uart", 0)``).

    Parameters
    ----------
    tile_params : dict
        TensorTile parameters.
    clock_hz : float
        Frequency the ``sync`` domain really runs at on the board (Hz): the oscillator.
    baud : int
        UART baud rate (the divisor is ``round(clock_hz / baud)``).
    """

    def __init__(self, tile_params, clock_hz, baud):
        self.core = UartTensorTile(tile_params, baud_divisor(clock_hz, baud),
                                   max(1, round(clock_hz * RESYNC_SECONDS)))

    def elaborate(self, platform):
        m = Module()
        core = m.submodules.core = self.core
        uart = platform.request("uart", 0, dir="-")
        m.submodules.rx_buffer = rx_buffer = io.Buffer("i", uart.rx)
        m.submodules.tx_buffer = tx_buffer = io.Buffer("o", uart.tx)
        m.d.comb += [core.rx.eq(rx_buffer.i), tx_buffer.o.eq(core.tx)]
        return m
