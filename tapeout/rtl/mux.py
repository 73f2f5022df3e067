"""Index-selected multiplexer built as a continuous expression (defined from time 0 in 4-state simulators).

A comb assignment under ``m.If``/``m.Switch`` (or an :class:`~amaranth.hdl.Array`
index) becomes an ``always @*`` block in the Verilog ``write_verilog`` emits. Icarus
Verilog in SystemVerilog mode (``-g2012``, as cocotb runs it) applies declaration
initialisers before time 0 without an event, so such a block stays X until one of
its inputs changes: a handshake or payload whose inputs keep their reset values is
X after reset. A :class:`~amaranth.hdl.Mux` chain is a plain ``assign`` instead.
"""

from amaranth.hdl import Mux


def select_by_index(index, values):
    """``values[index]`` as a chain of 2-way muxes; ``values[0]`` for an index out of range.

    Parameters
    ----------
    index : Value
        Selector.
    values : sequence of Value
        Candidates (at least one).
    """
    values = list(values)
    if not values:
        raise ValueError("values must hold at least one value, not 0")
    result = values[0]
    for position, value in enumerate(values[1:], start=1):
        result = Mux(index == position, value, result)
    return result
