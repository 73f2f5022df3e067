"""cocotb drivers for valid/ready streams: a source that offers payloads and a backpressure generator.

Protocol (:mod:`amaranth.lib.stream`): a beat transfers at a rising clock edge where
``valid`` and ``ready`` are both high; once ``valid`` is raised the payload is held
until it transfers. Drivers write right after a rising edge and sample in the
read-only phase before the next one, which is the same on Verilator and Icarus.
Every random choice comes from the seeded :class:`numpy.random.Generator` given.
"""

import cocotb
from cocotb.triggers import ReadOnly, RisingEdge

from .monitors import high


def pack(layout, payload):
    """Bits of ``payload`` (dict for an Amaranth ``layout``, or an int) as an unsigned int."""
    if layout is None or isinstance(payload, int):
        return int(payload)
    return layout.const(payload).as_bits()


class StreamSource:
    """Offer payloads on a stream, one at a time, with random idle clocks between them.

    Parameters
    ----------
    clock, valid, ready, payload : cocotb handles
    layout : amaranth.lib.data.Layout or None
        Layout that packs dict payloads; None: payloads are ints.
    rng : numpy.random.Generator or None
        Source of idle clocks; None: never idle.
    idle_probability : float
        Probability of an idle clock before each beat.
    """

    def __init__(self, clock, valid, ready, payload, layout=None, rng=None, idle_probability=0.0):
        if not 0.0 <= idle_probability < 1.0:
            raise ValueError(f"idle_probability must be in [0, 1), not {idle_probability!r}")
        self.clock, self.valid, self.ready, self.payload = clock, valid, ready, payload
        self.layout, self.rng, self.idle_probability = layout, rng, idle_probability
        self.valid.value = 0
        self.payload.value = 0
        self.sent = 0

    async def send(self, payload, on_offer=None):
        """Offer ``payload`` until it transfers; returns after the clock edge that took it.

        ``on_offer()`` is called in the clock where ``valid`` rises with this payload.
        """
        while self.rng is not None and self.rng.random() < self.idle_probability:
            self.valid.value = 0
            await RisingEdge(self.clock)
        self.payload.value = pack(self.layout, payload)
        self.valid.value = 1
        if on_offer is not None:
            on_offer()
        while True:
            await ReadOnly()
            taken = high(self.ready.value)
            await RisingEdge(self.clock)
            if taken:
                break
        self.valid.value = 0
        self.sent += 1

    async def send_all(self, payloads):
        """Send ``payloads`` in order."""
        for payload in payloads:
            await self.send(payload)


class Backpressure:
    """Drive a stream's ``ready`` high with a given probability each clock.

    Parameters
    ----------
    clock, ready : cocotb handles
    rng : numpy.random.Generator
    probability : float
        Probability that ``ready`` is high in a clock (1.0: never stalls).

    Attributes
    ----------
    paused : bool
        While True, ``ready`` stays low (a consumer that stopped reading).
    """

    def __init__(self, clock, ready, rng, probability=1.0):
        if not 0.0 < probability <= 1.0:
            raise ValueError(f"probability must be in (0, 1], not {probability!r}")
        self.clock, self.ready, self.rng, self.probability = clock, ready, rng, probability
        self.paused = False
        self.ready.value = 0
        self.task = cocotb.start_soon(self._run())

    async def _run(self):
        while True:
            self.ready.value = int(not self.paused and (self.probability >= 1.0
                                                        or self.rng.random() < self.probability))
            await RisingEdge(self.clock)
