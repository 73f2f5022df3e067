"""Connectivity check (LVS-style): the placed DEF against the synthesised netlist.

:func:`read_def_connectivity` reads the ``COMPONENTS`` and ``NETS`` sections of a
DEF file (instances with their types; nets as ``( inst PIN )`` / ``( PIN port )``
pairs). :func:`compare_connectivity` reports missing/extra instances, type
mismatches, dropped nets and pins found on a different net. A net counts as the same
when it has the same name or, failing that, exactly the same pins.
"""

import re
from dataclasses import dataclass, field

from tapeout.errors import TapeoutError
from tapeout.netlist.names import def_unescape

__all__ = ["DefError", "Connectivity", "Mismatch", "read_def_connectivity",
           "compare_connectivity"]


class DefError(TapeoutError):
    """A DEF file whose COMPONENTS or NETS section cannot be read."""


@dataclass
class Connectivity:
    """Instances (name -> type) and nets (name -> set of ``(inst, pin)``; ``"PIN"`` for ports)."""

    instances: dict = field(default_factory=dict)
    nets: dict = field(default_factory=dict)

    @classmethod
    def from_graph(cls, graph, net_names=None):
        """The graph's instances and nets; `net_names` (plain strings) name the nets as written."""
        instances = {name: graph.cell_type_name(k) for k, name in enumerate(graph.cell_names)}
        nets = {}
        for net, name in enumerate(graph.net_names if net_names is None else net_names):
            pins = graph.net_pins[graph.net_ptr[net]:graph.net_ptr[net + 1]]
            nets[name] = {("PIN", graph.pin_names[p]) if graph.pin_cell[p] < 0 else
                          (graph.cell_names[graph.pin_cell[p]], graph.pin_names[p]) for p in pins}
        return cls(instances, nets)


@dataclass(frozen=True)
class Mismatch:
    """``kind``: missing_instance, extra_instance, type_mismatch, dropped_net, extra_net,
    pin_on_different_net."""

    kind: str
    name: str
    detail: str

    def __str__(self):
        return f"{self.kind}: {self.name}: {self.detail}"


def _section(text, name, source):
    match = re.search(rf"^\s*{name}\s+\d+\s*;(.*?)^\s*END\s+{name}\b", text, re.S | re.M)
    if not match:
        return None
    return [s.strip() for s in match.group(1).split(";") if s.strip()]


def read_def_connectivity(path):
    """Instances and nets of the DEF file at ``path``."""
    try:
        with open(path) as handle:
            text = handle.read()
    except OSError as error:
        raise DefError(f"{path}: cannot read DEF file: {error.strerror}") from None
    result = Connectivity()
    for name in ("COMPONENTS", "NETS"):
        statements = _section(text, name, path)
        if statements is None:
            raise DefError(f"{path}: no {name} section")
        for statement in statements:
            words = statement.split()
            if not words or words[0] != "-" or len(words) < 2:
                raise DefError(f"{path}: {name}: expected '- name ...', not {statement[:40]!r}")
            if name == "COMPONENTS":
                if len(words) < 3:
                    raise DefError(f"{path}: COMPONENTS: {words[1]} has no cell type")
                result.instances[def_unescape(words[1])] = words[2]
            else:
                pairs = re.findall(r"\(\s*(\S+)\s+(\S+)\s*\)", statement.split("+")[0])
                result.nets[def_unescape(words[1])] = {(def_unescape(a), def_unescape(b)) for a, b in pairs}
    return result


def compare_connectivity(layout, reference, net_names=None, physical_cells=()):
    """Differences between ``layout`` and ``reference``.

    Parameters
    ----------
    layout : Connectivity or path
        The placed/routed design (a DEF path is read with :func:`read_def_connectivity`).
    reference : Connectivity or TimingGraph
        The synthesised netlist.
    net_names : sequence of str, optional
        Net names of a TimingGraph reference as the layout writes them (default: the graph's).
    physical_cells : collection of str
        Masters of physical-only cells (well taps, fillers, decaps): in the layout, not in a netlist;
        their instances are not extra.

    Returns
    -------
    list of Mismatch
    """
    if not isinstance(layout, Connectivity):
        layout = read_def_connectivity(layout)
    if not isinstance(reference, Connectivity):
        reference = Connectivity.from_graph(reference, net_names)
    out = []
    for name, cell in reference.instances.items():
        if name not in layout.instances:
            out.append(Mismatch("missing_instance", name, f"{cell} not in the layout"))
        elif layout.instances[name] != cell:
            out.append(Mismatch("type_mismatch", name,
                                f"layout {layout.instances[name]}, netlist {cell}"))
    for name in layout.instances.keys() - reference.instances.keys():
        if layout.instances[name] in physical_cells:
            continue
        out.append(Mismatch("extra_instance", name, f"{layout.instances[name]} not in the netlist"))
    by_pins = {frozenset(pins): name for name, pins in layout.nets.items()}
    layout_net_of = {pin: name for name, pins in layout.nets.items() for pin in pins}
    matched = set()
    for name, pins in reference.nets.items():
        twin = name if name in layout.nets else by_pins.get(frozenset(pins))
        if twin is None and not any(pin in layout_net_of for pin in pins):
            out.append(Mismatch("dropped_net", name, f"none of its {len(pins)} pins is connected"))
            continue
        if twin is None:
            twin = max({layout_net_of[p] for p in pins if p in layout_net_of},
                       key=lambda n: len(layout.nets[n] & pins))
        matched.add(twin)
        for pin in sorted(pins):
            if pin[0] != "PIN" and pin[0] not in layout.instances:
                continue
            got = layout_net_of.get(pin)
            if got != twin:
                where = "unconnected" if got is None else f"on net {got}"
                out.append(Mismatch("pin_on_different_net", f"{pin[0]}/{pin[1]}",
                                    f"{where}, netlist net {name}"))
    for name in layout.nets.keys() - matched:
        out.append(Mismatch("extra_net", name, "not in the netlist"))
    return out
