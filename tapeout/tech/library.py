"""A parsed Liberty library as Python objects and flat numpy arrays.

:func:`load_library` reads a ``.lib`` with ``liberty-parser`` once; per cell it keeps
the area, width in sites, leakage, pins (direction, capacitance, function), timing
arcs with their NLDM tables, setup/hold-like checks, internal energy and the
max_capacitance/max_transition limits; :class:`Library` adds per-cell numpy arrays
(``names``, ``area_um2``, ``leakage_nw``, ``width_sites``, ``is_sequential``) for
synthesis reports, placement, STA and power. Units are those of the ``tap130``
header: ns, pF, um2, nW, pJ.

A parsed library is memoised in memory and cached as verified JSON in the user cache
(``$TAPEOUT_CACHE_DIR`` or ``~/.cache/tapeout``) keyed by the file's SHA-256
(:mod:`tapeout.tech.library_cache`), so reloading a library skips the slow Liberty parse.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from tapeout.errors import TapeoutError
from tapeout.tech.nldm import Table
from tapeout.tech.process import ROW_HEIGHT_UM, SITE_WIDTH_UM

DELAY_TABLES = ("cell_rise", "cell_fall", "rise_transition", "fall_transition")
CONSTRAINT_TABLES = ("rise_constraint", "fall_constraint")
CHECK_TYPES = ("setup_rising", "setup_falling", "hold_rising", "hold_falling",
               "recovery_rising", "recovery_falling", "removal_rising", "removal_falling",
               "min_pulse_width", "minimum_period")


class LibertyError(TapeoutError):
    """A Liberty file that cannot be read or lacks what the flow needs."""


@dataclass
class Pin:
    """A cell pin (capacitances in pF, limits in pF and ns; None where not given)."""

    name: str
    direction: str
    capacitance: float = 0.0
    function: str | None = None
    is_clock: bool = False
    max_capacitance: float | None = None
    max_transition: float | None = None
    rise_capacitance: float | None = None
    fall_capacitance: float | None = None

    def edge_capacitance(self, edge: int) -> float:
        """Capacitance seen by a rising (`edge` 0) or falling (1) transition: Liberty's
        `rise_capacitance`/`fall_capacitance` where given, else `capacitance` (as OpenSTA takes them)."""
        value = self.rise_capacitance if edge == 0 else self.fall_capacitance
        return self.capacitance if value is None else value


@dataclass
class TimingArc:
    """One ``timing`` group: ``related_pin`` -> ``pin``.

    ``tables`` maps ``cell_rise``/``cell_fall``/``rise_transition``/``fall_transition``
    (delay arcs) or ``rise_constraint``/``fall_constraint`` (checks) to a Table.
    """

    pin: str
    related_pin: str
    timing_type: str
    timing_sense: str
    tables: dict = field(default_factory=dict)

    @property
    def is_check(self) -> bool:
        """True for setup/hold/recovery/removal-like constraints."""
        return self.timing_type in CHECK_TYPES


@dataclass
class PowerArc:
    """Internal energy (pJ per transition) of ``pin`` (output arc or input pin)."""

    pin: str
    related_pin: str
    rise: Table | None
    fall: Table | None


@dataclass
class LibCell:
    """A library cell."""

    name: str
    area_um2: float
    width_sites: int
    leakage_nw: float
    pins: dict
    arcs: list
    checks: list
    power: list
    flop: dict | None = None
    dont_use: bool = False
    is_clock_cell: bool = False

    @property
    def inputs(self) -> list:
        return [p for p in self.pins.values() if p.direction == "input"]

    @property
    def outputs(self) -> list:
        return [p for p in self.pins.values() if p.direction == "output"]

    @property
    def is_sequential(self) -> bool:
        return self.flop is not None

    @property
    def is_buffer(self) -> bool:
        """One input, one output whose function is that input."""
        return (len(self.inputs) == 1 and len(self.outputs) == 1
                and (self.outputs[0].function or "").replace(" ", "").strip("()") == self.inputs[0].name)

    def arc(self, related_pin: str, pin: str) -> TimingArc:
        """The delay arc ``related_pin`` -> ``pin``."""
        for arc in self.arcs:
            if arc.related_pin == related_pin and arc.pin == pin:
                return arc
        raise KeyError(f"{self.name} has no arc {related_pin} -> {pin}")


class Library:
    """A cell library: ``cells`` by name plus flat arrays in cell order."""

    def __init__(self, name: str, cells: list, units: dict):
        self.name = name
        self.units = units
        self.cells = {c.name: c for c in cells}
        self.names = np.array([c.name for c in cells])
        self.area_um2 = np.array([c.area_um2 for c in cells], dtype=float)
        self.width_sites = np.array([c.width_sites for c in cells], dtype=np.int64)
        self.leakage_nw = np.array([c.leakage_nw for c in cells], dtype=float)
        self.is_sequential = np.array([c.is_sequential for c in cells], dtype=bool)
        self._index = {c.name: i for i, c in enumerate(cells)}

    def __len__(self) -> int:
        return len(self.cells)

    def __contains__(self, name) -> bool:
        return name in self.cells

    def __getitem__(self, name: str) -> LibCell:
        try:
            return self.cells[name]
        except KeyError:
            raise KeyError(f"cell {name!r} is not in library {self.name}") from None

    def index(self, name: str) -> int:
        """Position of cell ``name`` in the flat arrays."""
        return self._index[name]


def _text(value) -> str:
    value = getattr(value, "value", value)
    return str(value).strip().strip('"')


def _vector(group, key, fallback):
    if key in group:
        return group.get_array(key).reshape(-1)
    return fallback


SECOND_AXIS = ("total_output_net_capacitance", "related_pin_transition")
"""Template variables this project keeps on a table's index 2: delay, slew and power tables are
(input transition, output load), constraint tables (constrained-pin transition, related-pin
transition). Libraries that order a template the other way (SKY130's constraint templates put
`related_pin_transition` first) are transposed on reading."""


def _table(group, templates) -> Table:
    template = templates.get(_text(group.args[0]) if group.args else "", {})
    index_1 = _vector(group, "index_1", template.get("index_1", np.zeros(1)))
    index_2 = _vector(group, "index_2", template.get("index_2", np.zeros(0)))
    values = group.get_array("values")
    if index_2.size:
        values = values.reshape(index_1.size, index_2.size)
    else:
        values = values.reshape(-1)
        if values.size == 1 and index_1.size != 1:
            index_1 = np.zeros(1)
    if template.get("variable_1") in SECOND_AXIS and values.size > 1:
        if index_2.size:
            return Table(index_2, index_1, values.T.copy())
        return Table(np.zeros(1), index_1, values.reshape(1, -1))
    return Table(index_1, index_2, values)


def _templates(library) -> dict:
    templates = {}
    for kind in ("lu_table_template", "power_lut_template"):
        for group in library.get_groups(kind):
            templates[_text(group.args[0])] = {
                **{key: group.get_array(key).reshape(-1) for key in ("index_1", "index_2") if key in group},
                **{key: _text(group[key]) for key in ("variable_1", "variable_2") if key in group},
            }
    return templates


def _bus_width(library, bus) -> list:
    bus_type = library.get_groups("type", _text(bus["bus_type"]))
    name = _text(bus.args[0])
    if not bus_type:
        raise LibertyError(f"bus {name} names an undefined bus_type {_text(bus['bus_type'])}")
    lo, hi = int(bus_type[0]["bit_from"]), int(bus_type[0]["bit_to"])
    return [f"{name}[{i}]" for i in range(min(lo, hi), max(lo, hi) + 1)]


def _float(group, key, default=None):
    value = group.get(key)
    return default if value is None else float(_text(value))


def _pin_objects(library, cell):
    """(pin names, group) for every pin, bus bits expanded."""
    for group in cell.get_groups("pin"):
        yield [_text(group.args[0])], group
    for bus in cell.get_groups("bus"):
        yield _bus_width(library, bus), bus


def _cell(library, group, templates, site_area) -> LibCell:
    name = _text(group.args[0])
    pins, arcs, checks, power = {}, [], [], []
    for names, pin_group in _pin_objects(library, group):
        direction = _text(pin_group.get("direction", "input"))
        function = pin_group.get("function")
        for pin_name in names:
            pins[pin_name] = Pin(
                name=pin_name,
                direction=direction,
                capacitance=_float(pin_group, "capacitance", 0.0),
                function=None if function is None else _text(function),
                is_clock=_text(pin_group.get("clock", "false")) == "true",
                max_capacitance=_float(pin_group, "max_capacitance"),
                rise_capacitance=_float(pin_group, "rise_capacitance"),
                fall_capacitance=_float(pin_group, "fall_capacitance"),
                max_transition=_float(pin_group, "max_transition"),
            )
            for timing in pin_group.get_groups("timing"):
                arc = TimingArc(
                    pin=pin_name,
                    related_pin=_text(timing.get("related_pin", "")),
                    timing_type=_text(timing.get("timing_type", "combinational")),
                    timing_sense=_text(timing.get("timing_sense", "")),
                    tables={t.group_name: _table(t, templates) for t in timing.groups
                            if t.group_name in DELAY_TABLES + CONSTRAINT_TABLES},
                )
                (checks if arc.is_check else arcs).append(arc)
            for ip in pin_group.get_groups("internal_power"):
                energy = {t.group_name: _table(t, templates) for t in ip.groups}
                power.append(PowerArc(pin_name, _text(ip.get("related_pin", "")),
                                      energy.get("rise_power"), energy.get("fall_power")))
    flop = None
    ffs = group.get_groups("ff")
    if ffs:
        ff = ffs[0]
        flop = {"state": [_text(a) for a in ff.args]}
        for key in ("next_state", "clocked_on", "clear", "preset"):
            if key in ff:
                flop[key] = _text(ff[key])
    area = _float(group, "area", 0.0)
    return LibCell(
        name=name,
        area_um2=area,
        width_sites=int(round(area / site_area)),
        leakage_nw=_float(group, "cell_leakage_power", 0.0),
        pins=pins,
        arcs=arcs,
        checks=checks,
        power=power,
        flop=flop,
        dont_use=_text(group.get("dont_use", "false")) == "true",
        is_clock_cell=_text(group.get("is_clock_cell", "false")) == "true",
    )


def parse_library(text: str, source: str = "<text>",
                  site_area_um2: float = SITE_WIDTH_UM * ROW_HEIGHT_UM) -> Library:
    """Parse Liberty ``text`` into a :class:`Library` (``source`` names it in errors)."""
    from liberty.parser import parse_liberty  # imports sympy: only when a parse is needed

    try:
        root = parse_liberty(text)
    except Exception as error:  # liberty-parser raises several unrelated types
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise LibertyError(f"{source}: not a valid Liberty file: {first}") from None
    if root.group_name != "library":
        raise LibertyError(f"{source}: top-level group must be 'library', not {root.group_name!r}")
    templates = _templates(root)
    units = {key: _text(root[key]) for key in ("time_unit", "leakage_power_unit", "voltage_unit")
             if key in root}
    cap = root.get("capacitive_load_unit")
    if cap is not None:
        units["capacitive_load_unit"] = " ".join(_text(v) for v in cap)
    cells = [_cell(root, g, templates, site_area_um2) for g in root.get_groups("cell")]
    return Library(_text(root.args[0]) if root.args else "", cells, units)


def load_library(path, use_cache: bool = True) -> Library:
    """Load the Liberty file at ``path``, through the on-disk cache when allowed."""
    from tapeout.tech.library_cache import read_cached, write_cached

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise LibertyError(f"{path}: cannot read Liberty file: {error.strerror}") from None
    digest = hashlib.sha256(data).hexdigest()
    if use_cache:
        cached = read_cached(digest)
        if cached is not None:
            return cached
    library = parse_library(data.decode("utf-8", errors="replace"), str(path))
    if use_cache:
        write_cached(digest, library)
    return library


@lru_cache(maxsize=None)
def default_library() -> Library:
    """The shipped ``tap130`` library (parsed once per process)."""
    from tapeout.tech.generate import LIBERTY_PATH

    return load_library(LIBERTY_PATH)
