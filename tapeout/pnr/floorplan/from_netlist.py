"""From the synthesised Netlist to a floorplan and the placer's PlacementProblem.

Cells keep their netlist index; each top-level port bit becomes a zero-size fixed cell after
them, at its pin spot on the die edge. Pin offsets come from the LEF footprints.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from tapeout.flow.config import DesignConfig
from tapeout.netlist.netlist import PIN_INPUT, Netlist
from tapeout.pnr.errors import FloorplanError
from tapeout.pnr.floorplan.floorplan import Floorplan, MacroBlock, pack_macros, plan_core, row_orientation, spread_pins
from tapeout.pnr.floorplan.taps import rows_between_taps
from tapeout.pnr.formats.lef_macros import LefMacro, read_lef_macros
from tapeout.pnr.place.problem import PlacementProblem


@dataclass
class Footprints:
    """LEF footprint of every cell type of a netlist, by type index."""

    macros: list[LefMacro]

    @classmethod
    def of(cls, netlist: Netlist, technology=None) -> "Footprints":
        """Footprints from the technology's cell LEF (default: tap130's) and the SRAM macros' LEF."""
        lef = cell_lef_macros(technology)
        for name, model in netlist.macros.items():
            lef.update(read_lef_macros(model.lef_text(), f"{name}.lef"))
        missing = [t for t in netlist.type_names if t not in lef]
        if missing:
            raise ValueError(f"no LEF footprint for cell type {missing[0]!r}")
        return cls([lef[t] for t in netlist.type_names])

    def size(self, netlist: Netlist) -> tuple[np.ndarray, np.ndarray]:
        width = np.array([m.width for m in self.macros])[netlist.cell_type]
        height = np.array([m.height for m in self.macros])[netlist.cell_type]
        return width, height

    def pin_offsets(self, netlist: Netlist) -> tuple[np.ndarray, np.ndarray]:
        """(dx, dy) um of every netlist pin from its cell's lower-left corner (0 for port pins)."""
        dx = np.zeros(netlist.num_pins)
        dy = np.zeros(netlist.num_pins)
        for cell in range(netlist.num_cells):
            macro = self.macros[netlist.cell_type[cell]]
            for pin in netlist.cell_pins(cell):
                dx[pin], dy[pin] = macro.pins.get(netlist.pin_names[pin], (macro.width / 2, macro.height / 2))
        return dx, dy


def cell_lef_macros(technology=None) -> dict[str, LefMacro]:
    """The cell LEF's macros of `technology` (default: tap130), by name (a new dict; parsed once)."""
    from tapeout.tech.generate import LEF_PATH

    return dict(_cell_lef(technology.lef_files[-1] if technology is not None else LEF_PATH))


@lru_cache(maxsize=4)
def _cell_lef(path) -> dict:
    """The MACRO sections of a cell LEF (parsed once per process)."""
    return read_lef_macros(Path(path).read_text(), str(path))


def port_groups(netlist: Netlist, direction_input: bool) -> list[list[tuple[int, str]]]:
    """Port bits of one direction, one group per port (bus), bit 0 first."""
    groups = []
    for k in range(len(netlist.port_names)):
        if (netlist.port_dir[k] == PIN_INPUT) == direction_input:
            groups.append([(p, netlist.pin_names[p]) for p in netlist.port_pins(k)])
    return groups


def make_floorplan(netlist: Netlist, footprints: Footprints, config: DesignConfig) -> Floorplan:
    """Core, rows, fixed macros and I/O pins for the design's [technology] and [floorplan] settings."""
    from tapeout.pnr.finish.tracks import pins_on_tracks
    from tapeout.tech.technology import technology_of

    tech, fp = config.technology, config.floorplan
    technology = technology_of(config)
    site = technology.site
    row_height, site_width = site.height_um, site.width_um
    width, height = footprints.size(netlist)
    is_macro = netlist.cell_is_macro
    macro_cells = [int(c) for c in np.flatnonzero(is_macro)]
    macro_cells.sort(key=lambda c: (-height[c], netlist.cell_names[c]))
    sizes = [(float(width[c]), float(height[c])) for c in macro_cells]
    cell_area = float((width * height)[~is_macro].sum())
    widest = float(width[~is_macro].max(initial=0.0))
    core_w, core_h = plan_core(cell_area, sizes, tech.target_utilization, tech.aspect_ratio,
                               fp.macro_halo_um, row_height, site_width, min_width=widest)
    m = fp.core_margin_um
    core = (m, m, m + core_w, m + core_h)
    die = (0.0, 0.0, core[2] + m, core[3] + m)
    names = [netlist.cell_names[c] for c in macro_cells]
    spots = pack_macros(names, sizes, core, fp.macro_halo_um, row_height, site_width)
    macros = [MacroBlock(c, n, x, y, w, h, o) for c, n, (x, y, o), (w, h) in zip(macro_cells, names, spots, sizes)]
    inputs, outputs = port_groups(netlist, True), port_groups(netlist, False)
    if fp.input_sides == fp.output_sides:
        pins = spread_pins(inputs + outputs, fp.input_sides, die)
    else:
        pins = spread_pins(inputs, fp.input_sides, die) + spread_pins(outputs, fp.output_sides, die)
    try:
        pins = pins_on_tracks(pins, technology.metal_stack, die)
    except ValueError as exc:
        raise FloorplanError(f"I/O pins: {exc}; make the die larger ([technology] target_utilization) or put "
                             "pins on more sides ([floorplan] input_sides/output_sides)") from None
    plan = Floorplan(die, core, row_height, site_width, fp.macro_halo_um, macros, pins, cell_area)
    if technology.tap_cell is not None:
        add_taps(plan, technology.tap_cell, cell_lef_macros(technology)[technology.tap_cell].width,
                 technology.tap_pitch_um)
    return plan


def free_row_segments(plan: Floorplan):
    """The free stretches of the floorplan's rows: whole rows minus the macros grown by their halo."""
    from tapeout.pnr.floorplan.rows import free_segments

    n, (x0, y0, x1, _) = plan.rows, plan.core
    blocks = [(m.x - plan.halo, m.y - plan.halo, m.x + m.width + plan.halo, m.y + m.height + plan.halo)
              for m in plan.macros]
    return free_segments(y0 + plan.row_height * np.arange(n), np.arange(n), np.full(n, x0), np.full(n, x1),
                         blocks, x0, plan.site_width, plan.row_height)


def add_taps(plan: Floorplan, master: str, width: float, reach: float) -> None:
    """Fix well taps of `master` (`width` um) in the plan's rows, no point farther than `reach` um from one."""
    from tapeout.pnr.floorplan.taps import place_taps

    try:
        plan.taps = place_taps(free_row_segments(plan), reach, width, plan.site_width)
    except ValueError as exc:
        raise FloorplanError(f"well taps: {exc}") from None
    plan.tap_master, plan.tap_width = master, width


def clock_pins(netlist: Netlist) -> np.ndarray:
    """Indices of the cell pins that are clock inputs (Liberty `clock : true`, or CLK of a macro)."""
    per_type = []
    for t, lib in enumerate(netlist.lib_cells):
        if lib is None or netlist.type_is_macro[t]:
            per_type.append({"CLK"})
        else:
            per_type.append({p.name for p in lib.pins.values() if p.is_clock})
    cell_pins = np.arange(netlist.first_port_pin)
    types = netlist.cell_type[netlist.pin_cell[cell_pins]]
    return np.array([p for p, t in zip(cell_pins, types) if netlist.pin_names[p] in per_type[t]], dtype=np.int64)


def ignored_nets(netlist: Netlist, max_fanout: int) -> np.ndarray:
    """Nets left out of the placement cost: clocks, constants and nets of more than max_fanout pins."""
    ignored = (np.diff(netlist.net_ptr) > max_fanout) | (netlist.net_const >= 0)
    ignored[netlist.pin_net[clock_pins(netlist)]] = True
    return ignored


def placement_problem(netlist: Netlist, footprints: Footprints, plan: Floorplan,
                      max_fanout: int) -> PlacementProblem:
    """The PlacementProblem of a netlist on a floorplan; port bits are fixed zero-size cells; the rows
    leave out the floorplan's well taps."""
    width, height = footprints.size(netlist)
    n_cells, first_port = netlist.num_cells, netlist.first_port_pin
    n_ports = netlist.num_pins - first_port
    x = np.zeros(n_cells + n_ports)
    y = np.zeros(n_cells + n_ports)
    movable = np.concatenate([~netlist.cell_is_macro, np.zeros(n_ports, dtype=bool)])
    for block in plan.macros:
        x[block.cell], y[block.cell] = block.x, block.y
    for spot in plan.pins:
        x[n_cells + spot.pin - first_port], y[n_cells + spot.pin - first_port] = spot.x, spot.y
    cx0, cy0, cx1, cy1 = plan.core
    mov = np.flatnonzero(movable)
    x[mov], y[mov] = (cx0 + cx1) / 2, (cy0 + cy1) / 2
    pin_cell = np.where(netlist.pin_cell >= 0, netlist.pin_cell, n_cells + np.arange(netlist.num_pins) - first_port)
    dx, dy = footprints.pin_offsets(netlist)
    for block in plan.macros:
        if block.orient == "FS":  # mirrored top to bottom
            pins = np.arange(netlist.cell_pin_ptr[block.cell], netlist.cell_pin_ptr[block.cell + 1])
            dy[pins] = block.height - dy[pins]
    names = list(netlist.cell_names) + [netlist.pin_names[p] for p in range(first_port, netlist.num_pins)]
    rows = rows_between_taps(plan.core, plan.rows, plan.row_height, plan.taps, plan.tap_width) if plan.taps else None
    return PlacementProblem(
        width=np.concatenate([width, np.zeros(n_ports)]), height=np.concatenate([height, np.zeros(n_ports)]),
        movable=movable, x=x, y=y, net_ptr=netlist.net_ptr, net_pins=netlist.net_pins, pin_cell=pin_cell,
        pin_dx=dx, pin_dy=dy, net_weight=np.ones(netlist.num_nets),
        net_ignored=ignored_nets(netlist, max_fanout), core=plan.core, row_height=plan.row_height,
        site_width=plan.site_width, cell_names=names, net_names=netlist.net_names, halo=plan.halo, rows=rows,
    )


def pin_positions(problem: PlacementProblem, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Absolute (x, y) um of every pin, given cell (and port pseudo-cell) lower-left corners, every
    standard cell taken unmirrored (as during global placement)."""
    return x[problem.pin_cell] + problem.pin_dx, y[problem.pin_cell] + problem.pin_dy


def legal_pin_positions(problem: PlacementProblem, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Absolute (x, y) um of every pin of a legalised placement: a standard cell in a row of orientation
    FS (`row_orientation`, as `placed_layout` writes it to the DEF) is mirrored top to bottom, so its
    pins sit at the cell's height minus their offset."""
    px, py = pin_positions(problem, x, y)
    cell = problem.pin_cell
    row = np.maximum(np.rint((y[cell] - problem.core[1]) / problem.row_height).astype(np.int64), 0)
    flipped = np.array([row_orientation(r) == "FS" for r in range(int(row.max(initial=0)) + 1)])
    mirrored = problem.movable[cell] & flipped[row]
    return px, np.where(mirrored, y[cell] + problem.height[cell] - problem.pin_dy, py)
