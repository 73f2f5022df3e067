"""The netlist data model shared by placement, routing and signoff: flat numpy arrays.

Layout (``C`` cells, ``P`` pins, ``N`` nets, ``T`` cell types):

* cell types: ``type_names`` (library cell names), ``type_area_um2``, ``type_width_sites``,
  ``type_is_macro``, ``type_is_sequential`` (arrays of length ``T``); ``lib_cells`` keeps the
  library record of each type (pins, arcs) and ``macros`` the SRAM macro object by name.
* cells: ``cell_names`` and ``cell_type`` (``C``); the pins of cell ``c`` are the
  contiguous range ``cell_pin_ptr[c]:cell_pin_ptr[c + 1]`` (CSR with identity indices).
* pins: cell pins first, grouped by cell, then one pin per top-level port bit.
  ``pin_cell`` (-1 for port pins), ``pin_net``, ``pin_dir`` (`PIN_INPUT`, `PIN_OUTPUT`,
  `PIN_INOUT`; a port pin carries its port's direction), ``pin_cap_pf`` (input
  capacitance, pF; 0 for outputs and ports), ``pin_names`` (``"A"``, ``"ADDR[3]"`` or the
  port bit ``"a[3]"``). A pin drives its net (`pin_is_driver`) when it is a cell output
  or a top-level *input* port bit.
* nets: ``net_names``; the pins of net ``n`` are ``net_pins[net_ptr[n]:net_ptr[n + 1]]``.
  ``net_const`` is 0 or 1 for the constant nets ``1'b0``/``1'b1`` (driven by the
  constant itself, no pin) and -1 for all others.
* ports: ``port_names``, ``port_dir``, ``port_lsb`` (index of bit 0); the pins of port
  ``k`` are ``port_pin_ptr[k]:port_pin_ptr[k + 1]``, bit 0 first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

PIN_INPUT = 0
PIN_OUTPUT = 1
PIN_INOUT = 2
DIRECTION_CODES = {"input": PIN_INPUT, "output": PIN_OUTPUT, "inout": PIN_INOUT}
DIRECTION_NAMES = {code: name for name, code in DIRECTION_CODES.items()}


@dataclass(eq=False)
class Netlist:
    """A flat gate-level netlist; see the module docstring for the array layout."""

    top: str
    type_names: list[str]
    type_area_um2: np.ndarray
    type_width_sites: np.ndarray
    type_is_macro: np.ndarray
    type_is_sequential: np.ndarray
    lib_cells: list
    cell_names: list[str]
    cell_type: np.ndarray
    cell_pin_ptr: np.ndarray
    pin_names: list[str]
    pin_cell: np.ndarray
    pin_net: np.ndarray
    pin_dir: np.ndarray
    pin_cap_pf: np.ndarray
    net_names: list[str]
    net_ptr: np.ndarray
    net_pins: np.ndarray
    net_const: np.ndarray
    port_names: list[str]
    port_dir: np.ndarray
    port_lsb: np.ndarray
    port_pin_ptr: np.ndarray
    macros: dict = field(default_factory=dict)

    @property
    def num_cells(self) -> int:
        return len(self.cell_names)

    @property
    def num_pins(self) -> int:
        return len(self.pin_names)

    @property
    def num_nets(self) -> int:
        return len(self.net_names)

    @property
    def num_ports(self) -> int:
        return len(self.port_names)

    @property
    def first_port_pin(self) -> int:
        """Index of the first port pin (= number of cell pins)."""
        return int(self.cell_pin_ptr[-1])

    @property
    def pin_is_port(self) -> np.ndarray:
        return self.pin_cell < 0

    @property
    def pin_is_driver(self) -> np.ndarray:
        """True for pins that drive their net: cell outputs and top-level input port bits."""
        is_port = self.pin_is_port
        return np.where(is_port, self.pin_dir == PIN_INPUT, self.pin_dir == PIN_OUTPUT)

    @property
    def cell_area_um2(self) -> np.ndarray:
        return self.type_area_um2[self.cell_type]

    @property
    def cell_width_sites(self) -> np.ndarray:
        return self.type_width_sites[self.cell_type]

    @property
    def cell_is_macro(self) -> np.ndarray:
        return self.type_is_macro[self.cell_type]

    @property
    def cell_is_sequential(self) -> np.ndarray:
        return self.type_is_sequential[self.cell_type]

    @property
    def area_um2(self) -> float:
        """Total cell area (um^2)."""
        return float(self.cell_area_um2.sum())

    def net_driver(self) -> np.ndarray:
        """The driving pin of each net (-1 for constant nets and nets without one).

        With several drivers the first in ``net_pins`` order is given; `validate` rejects those.
        """
        drivers = np.full(self.num_nets, -1, dtype=np.int64)
        pins = np.flatnonzero(self.pin_is_driver)
        drivers[self.pin_net[pins[::-1]]] = pins[::-1]
        return drivers

    def cell_pins(self, cell: int) -> range:
        """Pin indices of `cell`."""
        return range(int(self.cell_pin_ptr[cell]), int(self.cell_pin_ptr[cell + 1]))

    def net_pin_list(self, net: int) -> np.ndarray:
        """Pin indices on `net`."""
        return self.net_pins[self.net_ptr[net]:self.net_ptr[net + 1]]

    def port_pins(self, port: int) -> range:
        """Pin indices of the bits of `port`, bit 0 first."""
        return range(int(self.port_pin_ptr[port]), int(self.port_pin_ptr[port + 1]))

    def pin_label(self, pin: int) -> str:
        """``cell `u1` pin A`` or ``port `a[3]``` for messages."""
        cell = int(self.pin_cell[pin])
        if cell < 0:
            return f"port `{self.pin_names[pin]}`"
        return f"cell `{self.cell_names[cell]}` pin {self.pin_names[pin]}"
