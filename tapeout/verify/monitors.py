"""cocotb monitors: record every beat that transfers on a valid/ready stream, and every stall."""

import cocotb
from cocotb.simtime import get_sim_time
from cocotb.triggers import ReadOnly, RisingEdge


def unpack(layout, bits):
    """A view of ``bits`` (int) through an Amaranth ``layout`` (fields by name), or the int."""
    return int(bits) if layout is None else layout.from_bits(int(bits))


def high(value):
    """True for a resolvable 1 (X/Z, e.g. during reset on Icarus, count as low)."""
    return value.is_resolvable and bool(value)


class StreamMonitor:
    """Watch a stream and call back on each transfer and each stalled clock.

    Parameters
    ----------
    clock, valid, ready, payload : cocotb handles
    layout : amaranth.lib.data.Layout or None
        Layout used to decode the payload (None: the payload is passed as an int).
    on_transfer : callable or None
        ``on_transfer(cycle, payload)`` for a beat that transfers at the next edge.
    on_stall : callable or None
        ``on_stall(cycle)`` for a clock with ``valid`` high and ``ready`` low.
    clock_ns : float
        Clock period (ns), to number clocks from the simulation time.

    Attributes
    ----------
    beats : list of (int, payload)
        Every transfer, in order, with its clock number.
    stalls : int
        Clocks with ``valid`` high and ``ready`` low.
    """

    def __init__(self, clock, valid, ready, payload, layout=None, on_transfer=None, on_stall=None,
                 clock_ns=10):
        self.clock, self.valid, self.ready, self.payload = clock, valid, ready, payload
        self.layout, self.on_transfer, self.on_stall = layout, on_transfer, on_stall
        self.clock_ns = clock_ns
        self.beats = []
        self.stalls = 0
        self.task = cocotb.start_soon(self._run())

    def cycle(self):
        """Number of the current clock (simulation time / period)."""
        return int(get_sim_time("ns") // self.clock_ns)

    async def _run(self):
        while True:
            await RisingEdge(self.clock)
            await ReadOnly()
            if not high(self.valid.value):
                continue
            cycle = self.cycle()
            if high(self.ready.value):
                payload = unpack(self.layout, self.payload.value)
                self.beats.append((cycle, payload))
                if self.on_transfer is not None:
                    self.on_transfer(cycle, payload)
            else:
                self.stalls += 1
                if self.on_stall is not None:
                    self.on_stall(cycle)
