"""Read a SPEF file (IEEE 1481) onto a timing graph: the RC tree of every ``*D_NET`` it holds.

The reader takes the subset place-and-route tools write for one corner: the header (divider,
delimiter, bus delimiters and units), ``*NAME_MAP``, ``*PORTS`` and detailed nets (``*D_NET`` with
``*CONN``, ``*CAP`` and ``*RES``). Coupling capacitances are taken as ground capacitance of their
first node. Names are matched against the netlist as written (`net_names`, ports, ``inst:PIN``).

The first mismatch stops the reader with one line naming it (:class:`SpefError`): a net, instance,
pin or port the netlist lacks, a netlist port missing from ``*PORTS``, a pin the netlist has on
another net, a resistor loop or a node no resistor reaches.
"""

from __future__ import annotations

import re
from collections import deque

import numpy as np

from tapeout.errors import TapeoutError
from tapeout.netlist.names import WrittenName, cell_pin_name, spef_escape, spef_unescape, written

from .parasitics import Parasitics

__all__ = ["SpefError", "read_spef", "parse_spef"]

_UNITS = {"T": {"PS": 1e-3, "NS": 1.0, "US": 1e3}, "C": {"FF": 1e-3, "PF": 1.0, "NF": 1e3},
          "R": {"OHM": 1e-3, "KOHM": 1.0, "MOHM": 1e3}}


class SpefError(TapeoutError):
    """A SPEF file that cannot be read, or that does not match the netlist (one line)."""


def _lines(text):
    """(line number, words) of every non-empty line, comments removed; quoted strings kept whole."""
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("//", 1)[0].strip()
        if line:
            yield number, re.findall(r'"[^"]*"|\S+', line)


class _Net:
    """One ``*D_NET`` being read: node names to indices, caps, resistors, pins on nodes."""

    def __init__(self, net, line):
        self.net, self.line = net, line
        self.node_of: dict[str, int] = {}
        self.cap: list[float] = []
        self.res: list[tuple[int, int, float, int]] = []
        self.slot_node: dict[int, int] = {}

    def node(self, name):
        if name not in self.node_of:
            self.node_of[name] = len(self.cap)
            self.cap.append(0.0)
        return self.node_of[name]


def parse_spef(text, graph, net_names=None, source="<spef>"):
    """:class:`Parasitics` of ``graph`` from SPEF ``text`` (see the module docstring)."""
    if net_names is None:
        net_names = [WrittenName(n) for n in graph.net_names]
    net_index = {written(n, spef_escape): k for k, n in enumerate(net_names)}
    net_index.update({spef_unescape(written(n, spef_escape)): k for k, n in enumerate(net_names)})
    cell_index = {name: k for k, name in enumerate(graph.cell_names)}
    port_pin = {cell_pin_name(graph.pin_names[p]).plain: int(p) for p in graph.port_pins}
    slot_of_pin = np.full(graph.n_pins, -1, dtype=np.int64)
    slot_of_pin[graph.net_pins] = np.arange(len(graph.net_pins))
    names, scale, delimiter = {}, {"T": 1.0, "C": 1.0, "R": 1.0}, ":"
    ports_seen, ports_listed = set(), False
    nets: dict[int, _Net] = {}
    current, section = None, None

    def fail(number, message):
        raise SpefError(f"{source}:{number}: {message}")

    def unmap(token, number):
        if token.startswith("*") and token[1:].isdigit():
            if token not in names:
                fail(number, f"name map has no entry {token}")
            return names[token]
        return spef_unescape(token)

    def pin_of(token, number, what):
        head, sep, tail = token.rpartition(delimiter) if delimiter in token else ("", "", token)
        if sep and not head.endswith("\\"):
            inst = unmap(head, number)
            if inst not in cell_index:
                fail(number, f"{what} {inst}{delimiter}{spef_unescape(tail)}: instance {inst} is not in the netlist")
            try:
                return graph.pin(inst, spef_unescape(tail))
            except KeyError:
                fail(number, f"{what} {inst}{delimiter}{spef_unescape(tail)} is not a pin of the netlist")
        name = unmap(token, number)
        if name not in port_pin:
            fail(number, f"{what} {name} is not a port of the netlist")
        return port_pin[name]

    for number, words in _lines(text):
        head = words[0]
        if head in ("*DELIMITER",) and len(words) > 1:
            delimiter = words[1]
        elif head in ("*T_UNIT", "*C_UNIT", "*R_UNIT"):
            kind = head[1]
            try:
                scale[kind] = float(words[1]) * _UNITS[kind][words[2].upper()]
            except (IndexError, KeyError, ValueError):
                fail(number, f"cannot read the unit {' '.join(words)!r}")
        elif head in ("*NAME_MAP", "*PORTS", "*CONN", "*CAP", "*RES"):
            section = head
            ports_listed |= head == "*PORTS"
        elif head == "*D_NET":
            if len(words) < 2:
                fail(number, "*D_NET needs a net name")
            name = unmap(words[1], number)
            net = net_index.get(name, net_index.get(words[1]))
            if net is None:
                fail(number, f"net {name} is not in the netlist")
            current = nets[net] = _Net(net, number)
            section = None
        elif head == "*END":
            current, section = None, None
        elif head.startswith("*") and section not in ("*NAME_MAP", "*CONN", "*PORTS") \
                and not head[1:].isdigit():
            section = None  # another header keyword
        elif section == "*NAME_MAP":
            if len(words) < 2:
                fail(number, "a *NAME_MAP entry needs an index and a name")
            names[head] = spef_unescape(words[1])
        elif section == "*PORTS":
            name = spef_unescape(head)
            if name not in port_pin:
                fail(number, f"port {name} is not a port of the netlist")
            ports_seen.add(name)
        elif section == "*CONN" and current is not None:
            if head not in ("*P", "*I") or len(words) < 3:
                fail(number, f"expected '*P port dir' or '*I inst{delimiter}pin dir', not {' '.join(words)!r}")
            pin = pin_of(words[1], number, "port" if head == "*P" else "pin")
            if graph.pin_net[pin] != current.net:
                label = (f"port {graph.pin_names[pin]}" if graph.pin_cell[pin] < 0 else
                         f"pin {graph.cell_names[graph.pin_cell[pin]]}{delimiter}{graph.pin_names[pin]}")
                fail(number, f"{label} is on net {net_names[graph.pin_net[pin]].plain} in the "
                             f"netlist, not on {net_names[current.net].plain}")
            current.slot_node[int(slot_of_pin[pin])] = current.node(words[1])
        elif section == "*CAP" and current is not None:
            if len(words) not in (3, 4):
                fail(number, f"a capacitance is 'id node value' or 'id node node value', not {' '.join(words)!r}")
            try:
                value = float(words[-1]) * scale["C"]
            except ValueError:
                fail(number, f"cannot read the capacitance {words[-1]!r}")
            current.cap[current.node(words[1])] += value
        elif section == "*RES" and current is not None:
            if len(words) != 4:
                fail(number, f"a resistor is 'id node node value', not {' '.join(words)!r}")
            try:
                value = float(words[3]) * scale["R"]
            except ValueError:
                fail(number, f"cannot read the resistance {words[3]!r}")
            current.res.append((current.node(words[1]), current.node(words[2]), value, number))
    if ports_listed:
        missing = [name for name in port_pin if name not in ports_seen]
        if missing:
            raise SpefError(f"{source}: port {missing[0]} of the netlist is missing from *PORTS")
    return _parasitics(graph, nets, source)


def _parasitics(graph, nets, source):
    """Trees rooted at each net's driver (else its first pin), parents before children."""
    counts = np.zeros(graph.n_nets, dtype=np.int64)
    for net, data in nets.items():
        counts[net] = len(data.cap)
    node_ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    parent = np.full(node_ptr[-1], -1, dtype=np.int64)
    res = np.zeros(node_ptr[-1])
    cap = np.zeros(node_ptr[-1])
    slot_node = np.full(len(graph.net_pins), -1, dtype=np.int64)
    for net, data in nets.items():
        n = len(data.cap)
        adjacent = [[] for _ in range(n)]
        for e, (a, b, *_) in enumerate(data.res):
            adjacent[a].append((b, e))
            adjacent[b].append((a, e))
        driver = graph.net_driver[net]
        slot_of = {int(graph.net_pins[s]): s for s in range(graph.net_ptr[net], graph.net_ptr[net + 1])}
        root = data.slot_node.get(slot_of.get(int(driver), -1), next(iter(data.slot_node.values()), 0))
        order, via = [], {root: -1}  # node -> the resistor it was reached by
        queue = deque([root])
        while queue:
            v = queue.popleft()
            order.append(v)
            for w, e in adjacent[v]:
                if e == via[v]:
                    continue
                if w in via:
                    raise SpefError(f"{source}:{data.res[e][3]}: resistor loop in net {graph.net_names[net]}")
                via[w] = e
                queue.append(w)
        if len(order) < n:
            lost = next(name for name, k in data.node_of.items() if k not in via)
            raise SpefError(f"{source}:{data.line}: node {lost} of net {graph.net_names[net]} is not connected "
                            "to the net's tree")
        local = {v: i for i, v in enumerate(order)}
        base = node_ptr[net]
        for v in order:
            i = base + local[v]
            cap[i] = data.cap[v]
            if via[v] >= 0:
                a, b, r, _ = data.res[via[v]]
                parent[i] = local[b if a == v else a]
                res[i] = r
        for slot, v in data.slot_node.items():
            slot_node[slot] = local[v]
    return Parasitics(node_ptr, parent, res, cap, slot_node)


def read_spef(path, graph, net_names=None):
    """:func:`parse_spef` of the file at ``path``."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as error:
        raise SpefError(f"{path}: cannot read SPEF file: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise SpefError(f"{path}: not a SPEF file (byte {error.start} is not UTF-8 text)") from None
    return parse_spef(text, graph, net_names, str(path))
