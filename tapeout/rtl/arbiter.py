"""Round-robin (or fixed-priority) arbiter.

``grant`` is a combinational one-hot choice among ``requests``. Round-robin: the
search starts at the input after the last one granted with ``advance`` high, so a
requester waits for at most ``n - 1`` grants to others. Fixed priority: the lowest
requesting index always wins (it may starve the others).
"""

from amaranth.hdl import Const, Module, Mux, Signal
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

from .mux import select_by_index
from .systolic_array import check_positive

ARBITRATIONS = ("round_robin", "fixed")


def check_arbitration(arbitration):
    """Raise the Amaranth-style ValueError for an unknown arbitration policy."""
    if arbitration not in ARBITRATIONS:
        raise ValueError(f"arbitration must be one of 'round_robin', 'fixed', not {arbitration!r}")


class RoundRobinArbiter(wiring.Component):
    """Arbiter among ``n`` requesters.

    Parameters
    ----------
    n : int
        Number of requesters.
    arbitration : str
        ``"round_robin"`` or ``"fixed"``.

    Members
    -------
    requests : ``In(n)``
    grant : ``Out(n)``, one-hot (zero when nothing is requested).
    index : ``Out(range(n))``, index of the granted requester.
    advance : ``In(1)``: the current grant is used; move the priority past it.
    """

    def __init__(self, n, arbitration="round_robin"):
        check_positive("n", n)
        check_arbitration(arbitration)
        self.n = n
        self.arbitration = arbitration
        super().__init__({
            "requests": In(n), "grant": Out(n), "index": Out(range(n)), "advance": In(1),
        })

    def elaborate(self, platform):
        m = Module()
        n = self.n
        start = Signal(range(n))   # first requester to look at
        starts = range(n) if self.arbitration == "round_robin" else (0,)
        # One priority chain per start (lowest priority first, so the highest-priority
        # requester is the outermost mux), then the chain of the current start; plain
        # expressions, so grant and index are continuous assignments (see .mux).
        choices = []
        for first in starts:
            choice = 0
            for offset in reversed(range(n)):
                candidate = (first + offset) % n
                choice = Mux(self.requests[candidate], candidate, choice)
            choices.append(choice)
        m.d.comb += [
            self.index.eq(select_by_index(start, choices)),
            self.grant.eq(Mux(self.requests.any(), Const(1, n) << self.index, 0)),
        ]
        if self.arbitration == "round_robin":
            with m.If(self.advance & self.requests.any()):
                m.d.sync += start.eq(Mux(self.index == n - 1, 0, self.index + 1))
        return m
