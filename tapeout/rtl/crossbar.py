"""Non-blocking all-to-all crossbar switch (an NVSwitch-like packet switch).

Each of the ``ports`` inputs sends packets: beats of ``data`` with ``dest`` (output
port, read on the first beat and held for the packet) and ``last`` on the final
beat. Each output has its own arbiter (:class:`~tapeout.rtl.arbiter.RoundRobinArbiter`),
so packets to different outputs pass in the same clock. Once an output grants a
packet it stays with it until ``last``: packets never interleave on an output.
Backpressure is the outputs' ``ready``; the switch holds no data (cut-through,
zero latency), so nothing can be lost or duplicated and packets from one source
to one destination stay in order. With ``"round_robin"`` a waiting input is granted
within ``ports - 1`` packets. The output beat carries ``src``, the input it came from.

``dest`` must be below ``ports``; a packet to a missing port waits forever.
"""

from amaranth.hdl import Cat, Module, Mux, Signal
from amaranth.lib import data, stream, wiring
from amaranth.lib.wiring import In, Out

from .arbiter import RoundRobinArbiter, check_arbitration
from .mux import select_by_index
from .systolic_array import check_positive


def input_layout(ports, width):
    """Payload of an input beat: ``data``, ``dest`` (output port), ``last``."""
    return data.StructLayout({"data": width, "dest": range(ports), "last": 1})


def output_layout(ports, width):
    """Payload of an output beat: ``data``, ``src`` (input port), ``last``."""
    return data.StructLayout({"data": width, "src": range(ports), "last": 1})


class Crossbar(wiring.Component):
    """Packet crossbar with per-output arbitration.

    Parameters
    ----------
    ports : int
        Number of input and of output ports.
    width : int
        Data width of a beat (bits).
    arbitration : str
        ``"round_robin"`` (starvation-free) or ``"fixed"`` (lowest input wins).

    Members
    -------
    inputs : ``In(stream.Signature(input_layout(ports, width))).array(ports)``
    outputs : ``Out(stream.Signature(output_layout(ports, width))).array(ports)``
    """

    def __init__(self, ports, width, arbitration="round_robin"):
        check_positive("ports", ports)
        check_positive("width", width)
        check_arbitration(arbitration)
        self.ports, self.width, self.arbitration = ports, width, arbitration
        super().__init__({
            "inputs": In(stream.Signature(input_layout(ports, width))).array(ports),
            "outputs": Out(stream.Signature(output_layout(ports, width))).array(ports),
        })

    def elaborate(self, platform):
        m = Module()
        ports = self.ports
        inputs, outputs = self.inputs, self.outputs

        # Route of each input: the first beat's dest, held until the packet's last beat.
        routes = []
        for index, port in enumerate(inputs):
            busy = Signal(name=f"in{index}_busy")
            held = Signal(range(ports), name=f"in{index}_held")
            route = Signal(range(ports), name=f"in{index}_route")
            m.d.comb += route.eq(Mux(busy, held, port.payload.dest))
            with m.If(port.valid & port.ready):
                m.d.sync += [busy.eq(~port.payload.last), held.eq(route)]
            routes.append(route)

        datas = [port.payload.data for port in inputs]
        lasts = [port.payload.last for port in inputs]
        ready_terms = [[] for _ in range(ports)]
        for out_index, out in enumerate(outputs):
            arbiter = m.submodules[f"arbiter{out_index}"] = RoundRobinArbiter(ports, self.arbitration)
            requests = Signal(ports, name=f"out{out_index}_requests")
            m.d.comb += requests.eq(Cat(port.valid & (route == out_index)
                                        for port, route in zip(inputs, routes)))
            locked = Signal(name=f"out{out_index}_locked")
            owner = Signal(range(ports), name=f"out{out_index}_owner")
            select = Signal(range(ports), name=f"out{out_index}_select")
            m.d.comb += [
                arbiter.requests.eq(Mux(locked, 0, requests)),
                select.eq(Mux(locked, owner, arbiter.index)),
                out.valid.eq(Mux(locked, requests.bit_select(owner, 1), requests.any())),
                out.payload.data.eq(select_by_index(select, datas)),
                out.payload.last.eq(select_by_index(select, lasts)),
                out.payload.src.eq(select),
            ]
            transfer = out.valid & out.ready
            m.d.comb += arbiter.advance.eq(transfer & ~locked)
            with m.If(transfer):
                m.d.sync += [locked.eq(~out.payload.last), owner.eq(select)]
            for in_index in range(ports):
                ready_terms[in_index].append(out.ready & requests[in_index] & (select == in_index))
        for port, terms in zip(inputs, ready_terms):
            m.d.comb += port.ready.eq(Cat(terms).any())
        return m
