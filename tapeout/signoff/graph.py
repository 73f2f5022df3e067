"""The timing graph: pins as nodes, net edges and cell arcs as edges, on flat arrays.

A :class:`TimingGraph` is built from netlist-shaped arrays (the layout of
:class:`tapeout.netlist.netlist.Netlist`: cell pins first, then one pin per port
bit; nets as CSR) and one :class:`tapeout.tech.library.LibCell` per cell type. It
resolves every Liberty timing group into arrays:

* cell arcs ``arc_from -> arc_to`` with their sense and the ids of their
  ``cell_rise``/``cell_fall``/``rise_transition``/``fall_transition`` tables in
  :attr:`tables` (-1 where absent); ``arc_kind`` is `ARC_COMBINATIONAL` (also
  ``clear``/``preset`` arcs), `ARC_RISING_EDGE` or `ARC_FALLING_EDGE`;
* checks at data pins against a clock pin (``setup_rising``/``recovery_rising`` are
  `CHECK_SETUP`, ``hold_rising``/``removal_rising`` `CHECK_HOLD`) with the ids of their
  ``rise_constraint``/``fall_constraint`` tables; checks on falling clock edges are
  not modelled.

Edges are indexed 0 rise, 1 fall throughout :mod:`tapeout.signoff`.
"""

import numpy as np

from .delay import TablePack

__all__ = ["TimingGraph", "SENSE_CODES", "ARC_COMBINATIONAL", "ARC_RISING_EDGE",
           "ARC_FALLING_EDGE", "CHECK_SETUP", "CHECK_HOLD"]

SENSE_CODES = {"positive_unate": 0, "negative_unate": 1, "non_unate": 2, "": 2}
ARC_COMBINATIONAL, ARC_RISING_EDGE, ARC_FALLING_EDGE = 0, 1, 2
_ARC_KINDS = {"combinational": ARC_COMBINATIONAL, "combinational_rise": ARC_COMBINATIONAL,
              "combinational_fall": ARC_COMBINATIONAL, "clear": ARC_COMBINATIONAL,
              "preset": ARC_COMBINATIONAL, "three_state_enable": ARC_COMBINATIONAL,
              "three_state_disable": ARC_COMBINATIONAL, "rising_edge": ARC_RISING_EDGE,
              "falling_edge": ARC_FALLING_EDGE}
CHECK_SETUP, CHECK_HOLD = 0, 1
_CHECK_KINDS = {"setup_rising": CHECK_SETUP, "recovery_rising": CHECK_SETUP,
                "hold_rising": CHECK_HOLD, "removal_rising": CHECK_HOLD}
_ARC_TABLES = ("cell_rise", "cell_fall", "rise_transition", "fall_transition")


def _int_array(name, value, length=None):
    array = np.ascontiguousarray(value, dtype=np.int64)
    if array.ndim != 1 or (length is not None and len(array) != length):
        raise ValueError(f"{name} must be a 1-D array of {length} integers, "
                         f"not an array of shape {array.shape}")
    return array


class TimingGraph:
    """Pins, nets and the library timing of a flat netlist.

    Parameters
    ----------
    lib_cells : sequence of LibCell
        Library record of each cell type.
    cell_names : sequence of str
        Instance names.
    cell_type : array of int, shape (n_cells,)
        Index into ``lib_cells`` of each instance.
    pin_cell : array of int, shape (n_pins,)
        Instance of each pin, -1 for top-level port bits.
    pin_names : sequence of str
        Library pin name (``"A"``) of cell pins, port bit name (``"a[3]"``) of ports.
    pin_is_driver : array of bool, shape (n_pins,)
        Cell outputs and top-level input ports.
    net_names : sequence of str
    net_ptr, net_pins : array of int
        Pins of net ``n`` are ``net_pins[net_ptr[n]:net_ptr[n + 1]]``.
    """

    def __init__(self, lib_cells, cell_names, cell_type, pin_cell, pin_names, pin_is_driver,
                 net_names, net_ptr, net_pins):
        self.lib_cells = list(lib_cells)
        self.cell_names = list(cell_names)
        self.cell_type = _int_array("cell_type", cell_type, len(self.cell_names))
        if len(self.cell_type) and not (0 <= self.cell_type.min() and
                                        self.cell_type.max() < len(self.lib_cells)):
            raise ValueError(f"cell_type must index lib_cells (0 to {len(self.lib_cells) - 1}), "
                             f"not values up to {int(self.cell_type.max())}")
        self.pin_names = list(pin_names)
        n_pins = len(self.pin_names)
        self.pin_cell = _int_array("pin_cell", pin_cell, n_pins)
        self.pin_is_driver = np.ascontiguousarray(pin_is_driver, dtype=bool)
        if self.pin_is_driver.shape != (n_pins,):
            raise ValueError(f"pin_is_driver must be a 1-D array of {n_pins} booleans, "
                             f"not an array of shape {self.pin_is_driver.shape}")
        self.net_names = list(net_names)
        self.net_ptr = _int_array("net_ptr", net_ptr, len(self.net_names) + 1)
        self.net_pins = _int_array("net_pins", net_pins, int(self.net_ptr[-1]))
        self.pin_net = np.full(n_pins, -1, dtype=np.int64)
        self.pin_net[self.net_pins] = np.repeat(np.arange(self.n_nets), np.diff(self.net_ptr))
        self.net_driver = np.full(self.n_nets, -1, dtype=np.int64)
        drivers = self.net_pins[self.pin_is_driver[self.net_pins]]
        self.net_driver[self.pin_net[drivers[::-1]]] = drivers[::-1]
        self.pin_cap_pf = np.zeros(n_pins)
        self.pin_edge_cap_pf = np.zeros((n_pins, 2))  # seen by a rising (0) and a falling (1) transition
        self.pin_max_transition_ns = np.full(n_pins, np.inf)
        self.pin_max_capacitance_pf = np.full(n_pins, np.inf)
        self.pin_is_clock = np.zeros(n_pins, dtype=bool)
        self._pin_of = {}
        self.tables = TablePack()
        arcs, checks = [], []
        for pin, (cell, name) in enumerate(zip(self.pin_cell, self.pin_names)):
            if cell < 0:
                continue
            self._pin_of[(int(cell), name)] = pin
            lib_pin = self.lib_cells[self.cell_type[cell]].pins.get(name)
            if lib_pin is None:
                raise ValueError(f"pin {name!r} of cell {self.cell_names[cell]!r} is not a pin of "
                                 f"{self.lib_cells[self.cell_type[cell]].name}")
            if lib_pin.direction != "output":
                self.pin_cap_pf[pin] = lib_pin.capacitance
                self.pin_edge_cap_pf[pin] = lib_pin.edge_capacitance(0), lib_pin.edge_capacitance(1)
            if lib_pin.max_transition is not None:
                self.pin_max_transition_ns[pin] = lib_pin.max_transition
            if lib_pin.max_capacitance is not None:
                self.pin_max_capacitance_pf[pin] = lib_pin.max_capacitance
            self.pin_is_clock[pin] = lib_pin.is_clock
        for cell in range(self.n_cells):
            lib = self.lib_cells[self.cell_type[cell]]
            for arc in lib.arcs:
                kind = _ARC_KINDS.get(arc.timing_type)
                src, dst = self._pin_of.get((cell, arc.related_pin)), self._pin_of.get((cell, arc.pin))
                if kind is None or src is None or dst is None:
                    continue
                ids = [self.tables.add(arc.tables[t]) if t in arc.tables else -1
                       for t in _ARC_TABLES]
                arcs.append((src, dst, SENSE_CODES.get(arc.timing_sense, 2), kind, *ids))
            for check in lib.checks:
                kind = _CHECK_KINDS.get(check.timing_type)
                pin, clock = self._pin_of.get((cell, check.pin)), self._pin_of.get((cell, check.related_pin))
                if kind is None or pin is None or clock is None:
                    continue
                ids = [self.tables.add(check.tables[t]) if t in check.tables else -1
                       for t in ("rise_constraint", "fall_constraint")]
                checks.append((pin, clock, kind, *ids))
        self.tables.freeze()
        arcs = np.array(arcs, dtype=np.int64).reshape(-1, 8)
        self.arc_from, self.arc_to = arcs[:, 0].copy(), arcs[:, 1].copy()
        self.arc_sense, self.arc_kind = arcs[:, 2].copy(), arcs[:, 3].copy()
        self.arc_tables = np.ascontiguousarray(arcs[:, 4:8])
        checks = np.array(checks, dtype=np.int64).reshape(-1, 5)
        self.check_pin, self.check_clock_pin = checks[:, 0].copy(), checks[:, 1].copy()
        self.check_kind = checks[:, 2].copy()
        self.check_tables = np.ascontiguousarray(checks[:, 3:5])

    @classmethod
    def from_netlist(cls, netlist):
        """The graph of a :class:`tapeout.netlist.netlist.Netlist` (its ``lib_cells`` as types)."""
        return cls(netlist.lib_cells, netlist.cell_names, netlist.cell_type, netlist.pin_cell,
                   netlist.pin_names, netlist.pin_is_driver, netlist.net_names, netlist.net_ptr,
                   netlist.net_pins)

    @classmethod
    def from_connections(cls, library, instances, nets, inputs=(), outputs=()):
        """A graph from names, for small hand-made netlists and tests.

        Parameters
        ----------
        library : mapping of str to LibCell
            Cell types by name (a :class:`tapeout.tech.library.Library` or a dict).
        instances : mapping of str to str
            Instance name -> cell type name.
        nets : mapping of str to sequence of str
            Net name -> its pins, ``"inst/PIN"`` for cell pins or a port name.
        inputs, outputs : sequence of str
            Top-level port names.
        """
        types, type_index = [], {}
        for name in instances.values():
            if name not in type_index:
                type_index[name] = len(types)
                types.append(library[name])
        cell_names = list(instances)
        pin_cell, pin_names, is_driver, pin_index = [], [], [], {}
        for k, (inst, type_name) in enumerate(instances.items()):
            for lib_pin in library[type_name].pins.values():
                pin_index[f"{inst}/{lib_pin.name}"] = len(pin_cell)
                pin_cell.append(k)
                pin_names.append(lib_pin.name)
                is_driver.append(lib_pin.direction == "output")
        for port, drives in [(p, True) for p in inputs] + [(p, False) for p in outputs]:
            pin_index[port] = len(pin_cell)
            pin_cell.append(-1)
            pin_names.append(port)
            is_driver.append(drives)
        net_ptr, net_pins = [0], []
        for net, pins in nets.items():
            for pin in pins:
                if pin not in pin_index:
                    raise ValueError(f"net {net!r} names an unknown pin {pin!r}")
                net_pins.append(pin_index[pin])
            net_ptr.append(len(net_pins))
        return cls(types, cell_names, [type_index[t] for t in instances.values()], pin_cell,
                   pin_names, is_driver, list(nets), net_ptr, net_pins)

    @property
    def n_pins(self):
        return len(self.pin_names)

    @property
    def n_nets(self):
        return len(self.net_names)

    @property
    def n_cells(self):
        return len(self.cell_names)

    @property
    def n_arcs(self):
        return len(self.arc_from)

    @property
    def port_pins(self):
        """Indices of the top-level port pins."""
        return np.flatnonzero(self.pin_cell < 0)

    def pin(self, cell_name, pin_name):
        """Index of pin ``pin_name`` of instance ``cell_name``."""
        if getattr(self, "_cell_index", None) is None:
            self._cell_index = {name: k for k, name in enumerate(self.cell_names)}
        try:
            return self._pin_of[(self._cell_index[cell_name], pin_name)]
        except KeyError:
            raise KeyError(f"no pin {cell_name}/{pin_name}") from None

    def pin_label(self, pin):
        """``inst/PIN`` for cell pins, the port bit name for ports."""
        cell = self.pin_cell[pin]
        return self.pin_names[pin] if cell < 0 else f"{self.cell_names[cell]}/{self.pin_names[pin]}"

    def pin_labels(self):
        """:meth:`pin_label` of every pin."""
        return [self.pin_label(p) for p in range(self.n_pins)]

    def cell_type_name(self, cell):
        return self.lib_cells[self.cell_type[cell]].name

    def net_sink_cap_pf(self, edge: int | None = None):
        """Sum of the input-pin capacitances on each net (pF); for a rising (`edge` 0) or falling (1)
        transition when given."""
        caps = self.pin_cap_pf if edge is None else self.pin_edge_cap_pf[:, edge]
        return np.bincount(self.pin_net[self.net_pins], weights=caps[self.net_pins], minlength=self.n_nets)
