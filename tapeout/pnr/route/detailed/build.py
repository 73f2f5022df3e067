"""The detailed-routing job of a placed design: the track graph with its obstacles, pin access, the
negotiated routing, and the routed Layout (DEF view) with its figures."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tapeout.errors import TapeoutError
from tapeout.pnr.formats.layout import Layout, RoutedVia, RoutedWire
from tapeout.pnr.route.detailed.geometry import net_geometry, wirelength_um
from tapeout.pnr.route.detailed.negotiate import DetailedRouteError, route_nets
from tapeout.pnr.route.detailed.patches import item_rects, lengthen_along_tracks, same_net_patches
from tapeout.pnr.route.detailed.pin_access import SHARED, AccessRules, pin_access, placed_rect, zone
from tapeout.pnr.route.detailed.rect_index import RectIndex
from tapeout.pnr.route.detailed.track_grid import track_grid

ROOM_REACH = 2.0
"""How far (in the layer's spacings) the room from a patch to other nets' metal is measured: a bridge or
lengthening needs one spacing; where no lengthening keeps it, the one with the most room (within this
reach) is taken."""


@dataclass
class DetailedJob:
    layout: Layout
    nets: int
    wirelength_um: float
    vias: int
    shorts: int
    opens: int
    conflict_history: list[int]
    die: tuple[float, float, float, float]
    widths: dict[str, float]  # default wire width per layer (um)
    via_shapes: dict  # per via name: its (layer, rect um) shapes
    cell_boxes: list[tuple[float, float, float, float]]  # (x, y, w, h) um of every placed cell


class NamedRouteError(DetailedRouteError):
    """A net that cannot be routed, by name, with the partial layout routed so far."""

    def __init__(self, name: str, region, layout):
        TapeoutError.__init__(self, f"net {name} cannot be routed in {region}")
        self.name, self.region, self.layout = name, region, layout


def default_vias(tech_lef, names: list[str]) -> list[str]:
    """The first DEFAULT via of the technology LEF joining each pair of consecutive layers of `names`."""
    found = []
    for below, above in zip(names[:-1], names[1:]):
        match = [v.name for v in tech_lef.vias.values() if v.default and below in v.layers and above in v.layers]
        if not match:
            raise ValueError(f"the technology LEF has no DEFAULT via from {below} to {above}")
        found.append(match[0])
    return found


def pad_halves(tech_lef, vias: list[str]) -> dict[str, tuple[float, float]]:
    """Largest half-sizes (x, y um) of the pads the chosen vias put on each metal layer."""
    halves: dict[str, tuple[float, float]] = {}
    for name in vias:
        for layer, (x0, y0, x1, y1) in tech_lef.vias[name].shapes:
            hx, hy = halves.get(layer, (0.0, 0.0))
            halves[layer] = (max(hx, (x1 - x0) / 2), max(hy, (y1 - y0) / 2))
    return halves


def block_lef_macros(cts_dir, technology) -> dict:
    """The LEF macros of the design's SRAM blocks (from the cts stage's memories.json), by name."""
    from pathlib import Path

    from tapeout.pnr.formats.lef_macros import read_lef_macros
    from tapeout.synth.memory_macros import macro_models, read_mappings

    models = macro_models(read_mappings(Path(cts_dir) / "memories.json"), technology.macro_factory)
    return {k: v for name, model in models.items() for k, v in read_lef_macros(model.lef_text(), name).items()}


def io_rect(pin) -> tuple[float, float, float, float]:
    """The rectangle (um) of a top-level pin's shape (an IoPin)."""
    return pin.x - pin.w / 2, pin.y - pin.h / 2, pin.x + pin.w / 2, pin.y + pin.h / 2


def port_zones(grid, io_pins: dict, requests, access) -> list[tuple[int, set[int]]]:
    """Per top-level pin (net, points): the points of its layer where another net's wire or via pad would
    come closer than the spacing to the pin's shape (`io_pins`: IoPin by netlist pin) or to its stub (the
    pins are not on the tracks)."""
    zones = []
    for p, k, kind, data in requests:
        pin = io_pins.get(p) if kind == "port" else None
        if pin is None:
            continue
        layer = data[0]
        lay = grid.layers[layer]
        rects = [io_rect(pin)]
        if p in access.stubs:
            x0, y0, x1, y1 = access.stubs[p]
            h = lay.width / 2
            rects += [(min(x0, x1) - h, y0 - h, max(x0, x1) + h, y0 + h),
                      (x1 - h, min(y0, y1) - h, x1 + h, max(y0, y1) + h)]
        half = (max(lay.width / 2, lay.pad_half[0]), max(lay.width / 2, lay.pad_half[1]))
        zones.append((k, zone(grid, rects, half, layer)))
    return zones


def halves_of(tech_lef, via: str, layer: str) -> tuple[float, float]:
    """Half-sizes (x, y um) of the pad `via` puts on `layer`."""
    return pad_halves(tech_lef, [via])[layer]


def detailed_route(config, cts_dir, top, settings, progress=None, log=None) -> DetailedJob:
    from tapeout.netlist.names import def_escape, net_written_names, written
    from tapeout.pnr.finish.block_supplies import block_supply_pins
    from tapeout.pnr.finish.power_grid import power_grid, via_enclosures
    from tapeout.pnr.floorplan.from_netlist import cell_lef_macros, clock_pins
    from tapeout.pnr.formats.to_layout import placed_layout
    from tapeout.pnr.place.placed_design import load_placed
    from tapeout.tech.tech_lef import read_tech_lef
    from tapeout.tech.technology import technology_of

    technology = technology_of(config)
    placed = load_placed(cts_dir, top, technology)
    netlist, plan = placed.netlist, placed.plan
    n_cells = netlist.num_cells
    layout = placed_layout(netlist, plan, placed.x[:n_cells], placed.y[:n_cells], technology.site.name)
    tech_lef = read_tech_lef(technology.lef_files[0])
    stack = technology.metal_stack
    names = [lay.name for lay in stack[:-1]]
    vias = default_vias(tech_lef, names)
    halves = pad_halves(tech_lef, vias)
    grid = track_grid(stack, halves, plan.die)
    layer_index = {lay.name: k for k, lay in enumerate(grid.layers)}
    signal_vias, access_via, pin_layer = vias[1:], vias[0], stack[0].name

    if technology.power_grid is not None:
        enclosure = via_enclosures(tech_lef.vias, technology.cut_stack)
        hooks = block_supply_pins(layout.components, block_lef_macros(cts_dir, technology), technology.power_grid)
        special, via_defs = power_grid(plan, technology.power_grid, stack, technology.cut_stack, enclosure, hooks)
        rects = {v.name: v.rects for v in via_defs}
        for net in special:
            for w in net.wires:
                if w.layer in layer_index:
                    h = w.width / 2
                    grid.block_rect(layer_index[w.layer], (min(w.x0, w.x1) - (h if w.x0 == w.x1 else 0),
                                                           min(w.y0, w.y1) - (h if w.y0 == w.y1 else 0),
                                                           max(w.x0, w.x1) + (h if w.x0 == w.x1 else 0),
                                                           max(w.y0, w.y1) + (h if w.y0 == w.y1 else 0)))
            for name, x, y in net.vias:
                for layer, (a, b, c, d) in rects[name]:
                    if layer in layer_index:
                        grid.block_rect(layer_index[layer], (x + a, y + b, x + c, y + d))

    lef = {**cell_lef_macros(technology), **block_lef_macros(cts_dir, technology)}
    shapes_of = {}
    cell_boxes = []
    for c, comp in enumerate(layout.components[:n_cells]):
        macro = lef.get(comp.macro)
        if macro is None:
            continue
        place = (comp.x, comp.y, macro.width, macro.height, comp.orient)
        cell_boxes.append(place[:4])
        for layer, rect in macro.obstructions:
            if layer in layer_index:
                grid.block_rect(layer_index[layer], placed_rect(rect, *place))
        for pin, shapes in macro.pin_shapes.items():
            placed_shapes = [(layer, placed_rect(rect, *place)) for layer, rect in shapes]
            shapes_of[(c, pin)] = placed_shapes
            supply = technology.power_grid is not None and pin in (technology.power_grid.power,
                                                                   technology.power_grid.ground)
            for layer, rect in placed_shapes:  # supply pins, and block pins above the lowest signal layer
                if layer in layer_index and (supply or layer_index[layer] > 0):
                    grid.block_rect(layer_index[layer], rect)

    net_names = [written(n, def_escape) for n in net_written_names(netlist)]
    pin_x, pin_y = placed.pin_xy
    spots = {s.pin: s for s in plan.pins}
    nets = [n for n in range(netlist.num_nets) if netlist.net_const[n] < 0 and len(netlist.net_pin_list(n)) > 1]
    requests = []
    pin_metal = []  # cell pins' shapes on the lowest signal layer (SKY130's mux4 select bar), with their net
    for k, net in enumerate(nets):
        for p in netlist.net_pin_list(net):
            cell = int(netlist.pin_cell[p])
            if cell < 0:
                spot = spots.get(int(p))
                if spot is None or spot.layer not in layer_index:
                    raise ValueError(f"port pin {netlist.pin_names[p]} has no pin on a signal layer")
                requests.append((int(p), k, "port", (layer_index[spot.layer], float(pin_x[p]), float(pin_y[p]))))
            else:
                shapes = shapes_of.get((cell, netlist.pin_names[p]), [])
                upper = [(layer_index[layer], rect) for layer, rect in shapes if layer_index.get(layer, 0) > 0]
                if upper and not any(layer in (pin_layer, grid.layers[0].name) for layer, _ in shapes):
                    # a block's pin on an upper signal layer (an SRAM macro's met4): reached like a top-level pin
                    layer, (x0, y0, x1, y1) = upper[0]
                    requests.append((int(p), k, "port", (layer, (x0 + x1) / 2, (y0 + y1) / 2)))
                    continue
                metal = [(layer, rect) for layer, rect in shapes if layer == grid.layers[0].name]
                pin_metal += [(rect, k) for _, rect in metal]  # joined to its li1 by the cell's own vias
                requests.append((int(p), k, "cell", (metal or shapes, (float(pin_x[p]), float(pin_y[p])))))
    if log:
        log(f"track graph: {grid.nx} x {grid.ny} points on {', '.join(lay.name for lay in grid.layers)}; "
            f"{int(grid.blocked.sum()):,} of {grid.blocked.size:,} nodes blocked; {len(nets)} nets")
    clock = set(int(netlist.pin_net[p]) for p in clock_pins(netlist))
    try:
        lowest = grid.layers[0]
        rules = AccessRules(halves[pin_layer], halves_of(tech_lef, access_via, lowest.name), lowest.width,
                            halves_of(tech_lef, signal_vias[0], lowest.name))
        access = pin_access(grid, requests, pin_layer, rules, pin_metal)
    except ValueError as exc:
        pin = int(str(exc).split()[1])
        cell = int(netlist.pin_cell[pin])
        owner = netlist.cell_names[cell] if cell >= 0 else "the top level"
        raise ValueError(f"pin {netlist.pin_names[pin]} of {owner} has no free access point on the "
                         f"signal layers") from None
    if log and access.unkept:
        first = ", ".join(f"{netlist.pin_names[p]} of {netlist.cell_names[int(netlist.pin_cell[p])]}"
                          for p in access.unkept[:3])
        log(f"pin access: {len(access.unkept)} cell pins with no via position that keeps its spacing ({first}, ...)")
    reserved = np.full(grid.blocked.size, -1, dtype=np.int64)
    net_pins = [[] for _ in nets]
    access_pads = [[] for _ in nets]
    kept = [(k, points) for k, points in access.reserved.items()]
    kept += [(k, zone(grid, [rect], (rules.width / 2, rules.width / 2))) for rect, k in pin_metal]
    io_pins = {p.name: p for p in layout.pins}
    io_pins = {s.pin: io_pins[s.name] for s in plan.pins if s.name in io_pins}  # by netlist pin
    kept += port_zones(grid, io_pins, requests, access)
    for k, points in kept:  # kept free of other nets' wires by the net's access metal and pin metal
        for n in points:
            reserved[n] = k if reserved[n] in (-1, k) else SHARED
    pad_reserved = np.full(grid.blocked.size, -1, dtype=np.int64)
    kept_pads = [(k, points) for k, points in access.pads.items()]
    kept_pads += [(k, zone(grid, [rect], rules.up_pad)) for rect, k in pin_metal]
    for k, points in kept_pads:  # and of their via pads
        for n in points:
            pad_reserved[n] = k if pad_reserved[n] in (-1, k) else SHARED
    for p, k, _, _ in requests:
        reserved[access.node[p]] = k
        net_pins[k].append(int(access.node[p]))
        if access.via[p]:
            access_pads[k].append(int(access.node[p]))

    def span(k):
        _, i, j = grid.unpack(np.array(net_pins[k]))
        return (i.max() - i.min()) * grid.px + (j.max() - j.min()) * grid.py

    order = sorted(range(len(nets)), key=lambda k: (nets[k] not in clock, span(k), k))

    def report(iteration, done, total):
        if progress:
            progress(None, f"pass {iteration}: {done}/{total} nets")
        if log and done % 2000 == 0:
            log(f"pass {iteration}: routing net {done + 1} of {total}")

    widths = {lay.name: lay.width_um for lay in stack}
    min_areas = {lay.name: lay.min_area_um2 for lay in stack[1:]}  # the signal layers (not the pins' li1)
    horizontal = {lay.name: lay.direction == "HORIZONTAL" for lay in stack}
    spacings = {lay.name: lay.spacing_um for lay in stack}
    via_shapes = {name: tech_lef.vias[name].shapes for name in vias}

    def routed_items(k, edges):
        """The net's wires and vias with its pins' access vias and stubs (no patches yet)."""
        items = net_geometry(grid, edges, signal_vias)
        for p in netlist.net_pin_list(nets[k]):
            node = access.node[p]
            _, i, j = grid.unpack(node)
            if access.via[p]:
                x, y = access.stubs[int(p)][:2] if int(p) in access.stubs else (grid.x(i), grid.y(j))
                items.append(RoutedVia(pin_layer, access_via, x, y))
            if int(p) in access.stubs:
                layer = grid.layers[grid.unpack(node)[0]].name
                x0, y0, x1, y1 = access.stubs[int(p)]
                if x0 != x1:
                    items.append(RoutedWire(layer, x0, y0, x1, y0))
                if y0 != y1:
                    items.append(RoutedWire(layer, x1, y0, x1, y1))
        return items

    def patched(k, items, room=None, short=None):
        """`items` and the net's same-net patches (`room`, `short`: see `same_net_patches`)."""
        pins = [shape for p in netlist.net_pin_list(nets[k]) if int(netlist.pin_cell[p]) >= 0
                for shape in shapes_of.get((int(netlist.pin_cell[p]), netlist.pin_names[p]), [])]
        pins += [(io.layer, io_rect(io)) for p in netlist.net_pin_list(nets[k])
                 if (io := io_pins.get(int(p))) is not None]
        return items + same_net_patches(items, pins, widths, spacings, via_shapes, min_areas, horizontal, room, short)

    try:
        result = route_nets(grid, net_pins, access_pads, reserved, order, margin_um=settings.margin_um,
                            via_cost=settings.via_cost, max_iterations=settings.max_iterations, progress=report,
                            pad_reserved=pad_reserved, log=log)
    except DetailedRouteError as exc:
        layout.routes = {net_names[nets[k]]: patched(k, routed_items(k, r.edges))
                         for k, r in enumerate(exc.routes) if r.edges}
        raise NamedRouteError(net_names[nets[exc.net]], exc.region, layout) from None
    total_wl = 0.0
    total_vias = 0
    unpatched = [routed_items(k, r.edges) for k, r in enumerate(result.routes)]
    metal: dict[str, RectIndex] = {lay.name: RectIndex() for lay in stack}  # lengthened pieces keep their
    for index, rects in grid.obstacles.items():  # spacing to the obstacles and every other net's metal
        for rect in rects:
            metal[grid.layers[index].name].add(rect, -1)
    for k, items in enumerate(unpatched):
        for item in items:
            for layer, rect in item_rects(item, widths, via_shapes):
                metal[layer].add(rect, k)
        for p in netlist.net_pin_list(nets[k]):
            if (io := io_pins.get(int(p))) is not None:
                metal[io.layer].add(io_rect(io), k)

    def room(k):
        """Room (um) from net k's new metal to other nets' (none counted on the pin layer, whose other
        nets' pins the index does not hold: no bridge there)."""
        def of(layer, rect):
            return 0.0 if layer == pin_layer else metal[layer].room(rect, k, ROOM_REACH * spacings[layer])
        return of

    final, short = [], []
    for k, items in enumerate(unpatched):
        found = []
        final.append(patched(k, items, room(k), found))
        for patch in final[k][len(items):]:  # seen by the nets patched after it
            metal[patch.layer].add((patch.x0, patch.y0, patch.x1, patch.y1), k)
        short += [(layer, rect, k) for layer, rect in found]
    for k, patch in lengthen_along_tracks(short, min_areas, horizontal, spacings, metal, ROOM_REACH):
        final[k].append(patch)
    for k, items in enumerate(final):
        total_wl += wirelength_um(items)
        total_vias += sum(isinstance(i, RoutedVia) for i in items)
        layout.routes[net_names[nets[k]]] = items
    return DetailedJob(layout, len(nets), total_wl, total_vias, result.conflicts, result.opens,
                       result.conflict_history, plan.die, widths, via_shapes, cell_boxes)
