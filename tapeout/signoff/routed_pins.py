"""Where each pin of a placed design is, as shapes the detailed routes must reach: a cell pin's LEF
shapes placed with its instance, a top-level pin's centre on its layer."""

from __future__ import annotations


def placed_pin_shapes(placed, technology, cts_dir) -> list[list[tuple[str, tuple[float, float, float, float]]]]:
    """Shapes (layer, (x0, y0, x1, y1) um) of every netlist pin of `placed` (a PlacedDesign)."""
    from tapeout.pnr.floorplan.from_netlist import cell_lef_macros
    from tapeout.pnr.formats.to_layout import placed_layout
    from tapeout.pnr.route.detailed.build import block_lef_macros
    from tapeout.pnr.route.detailed.pin_access import placed_rect

    netlist, plan = placed.netlist, placed.plan
    n_cells = netlist.num_cells
    layout = placed_layout(netlist, plan, placed.x[:n_cells], placed.y[:n_cells], technology.site.name)
    macros = {**cell_lef_macros(technology), **block_lef_macros(cts_dir, technology)}
    pin_x, pin_y = placed.pin_xy
    spots = {s.pin: s for s in plan.pins}
    shapes = []
    for p in range(netlist.num_pins):
        cell = int(netlist.pin_cell[p])
        if cell < 0:
            spot = spots.get(p)
            x, y = float(pin_x[p]), float(pin_y[p])
            shapes.append([(spot.layer, (x, y, x, y))] if spot is not None else [])
            continue
        comp = layout.components[cell]
        macro = macros.get(comp.macro)
        if macro is None:
            shapes.append([])
            continue
        place = (comp.x, comp.y, macro.width, macro.height, comp.orient)
        shapes.append([(layer, placed_rect(rect, *place)) for layer, rect in
                       macro.pin_shapes.get(netlist.pin_names[p], [])])
    return shapes
