"""SRAM tile buffer: independent banks of :class:`amaranth.lib.memory.Memory`.

Each bank has one synchronous read port and one write port, so a producer can
fill one bank while the array computes from another (ping-pong with two banks).
Yosys infers one memory per bank (block RAM on FPGA, an SRAM macro in the ASIC flow).

Same-address behaviour (a read and a write of one bank and address in the same
clock) is set by ``same_address``:

- ``"read_first"`` (default): the read returns the data stored *before* the write;
- ``"write_first"``: the read returns the data being written (transparent port).

Reads have one clock of latency: ``read[b].data`` shows the word addressed in the
clock where ``read[b].en`` was high, and holds while ``en`` is low.
"""

from amaranth.hdl import Module
from amaranth.lib import memory, wiring
from amaranth.lib.wiring import Out
from amaranth.utils import ceil_log2

from .systolic_array import check_positive

SAME_ADDRESS_MODES = ("read_first", "write_first")


class TileBuffer(wiring.Component):
    """Banked SRAM buffer with one read and one write port per bank.

    Parameters
    ----------
    banks : int
        Number of banks (2 for ping-pong).
    depth : int
        Words per bank.
    width : int
        Word width (bits).
    granularity : int or None
        Write-enable granularity (bits); ``width`` must be a multiple of it. ``None``:
        one write enable per word.
    same_address : str
        ``"read_first"`` or ``"write_first"`` (see the module docstring).

    Members
    -------
    read : ``Out(ReadPort.Signature(addr_width, width)).array(banks)``
        ``en``, ``addr`` in, ``data`` out, per bank.
    write : ``Out(WritePort.Signature(addr_width, width, granularity)).array(banks)``
        ``en``, ``addr``, ``data`` in, per bank.
    """

    def __init__(self, banks, depth, width, granularity=None, same_address="read_first"):
        check_positive("banks", banks)
        check_positive("depth", depth)
        check_positive("width", width)
        if granularity is not None:
            check_positive("granularity", granularity)
            if width % granularity:
                raise ValueError(f"granularity must divide width ({width}), not {granularity!r}")
        if same_address not in SAME_ADDRESS_MODES:
            raise ValueError(f"same_address must be one of 'read_first', 'write_first', "
                             f"not {same_address!r}")
        self.banks, self.depth, self.width = banks, depth, width
        self.granularity = granularity
        self.same_address = same_address
        addr_width = ceil_log2(depth)
        super().__init__({
            "read": Out(memory.ReadPort.Signature(addr_width=addr_width, shape=width)).array(banks),
            "write": Out(memory.WritePort.Signature(addr_width=addr_width, shape=width,
                                                    granularity=granularity)).array(banks),
        })

    @property
    def bits(self):
        """Total storage (bits)."""
        return self.banks * self.depth * self.width

    def elaborate(self, platform):
        m = Module()
        for bank in range(self.banks):
            mem = m.submodules[f"bank{bank}"] = memory.Memory(shape=self.width, depth=self.depth, init=[])
            write = mem.write_port(granularity=self.granularity)
            transparent = (write,) if self.same_address == "write_first" else ()
            read = mem.read_port(transparent_for=transparent)
            for port, outer in ((read, self.read[bank]), (write, self.write[bank])):
                m.d.comb += [port.addr.eq(outer.addr), port.en.eq(outer.en)]
            m.d.comb += [self.read[bank].data.eq(read.data), write.data.eq(self.write[bank].data)]
        return m
