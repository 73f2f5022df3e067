"""Write a Layout as DEF 5.8 (LEF/DEF Language Reference 5.8, Cadence/Si2), readable by KLayout,
OpenROAD and other tools."""

from __future__ import annotations

from pathlib import Path

from tapeout.pnr.formats.layout import Layout, RoutedRect, RoutedVia


def write_def(layout: Layout, path: Path) -> None:
    """Write `layout` to `path` (coordinates rounded to database units). Names in `layout` are written
    as they are: the caller escapes them (`tapeout.pnr.formats.to_layout.placed_layout` does)."""
    u = layout.dbu

    def d(value: float) -> int:
        return int(round(value * u))

    x0, y0, x1, y1 = layout.die
    lines = [
        "VERSION 5.8 ;",
        'DIVIDERCHAR "/" ;',
        'BUSBITCHARS "[]" ;',
        f"DESIGN {layout.design} ;",
        f"UNITS DISTANCE MICRONS {u} ;",
        f"DIEAREA ( {d(x0)} {d(y0)} ) ( {d(x1)} {d(y1)} ) ;",
    ]
    for r in layout.rows:
        lines.append(f"ROW {r.name} {r.site} {d(r.x)} {d(r.y)} {r.orient} DO {r.count} BY 1 STEP {d(r.step)} 0 ;")
    for t in layout.tracks:
        lines.append(f"TRACKS {t.axis} {d(t.start)} DO {t.count} STEP {d(t.step)} LAYER {t.layer} ;")
    if layout.vias:
        lines.append(f"VIAS {len(layout.vias)} ;")
        for v in layout.vias:
            rects = " ".join(f"+ RECT {layer} ( {d(x0)} {d(y0)} ) ( {d(x1)} {d(y1)} )"
                             for layer, (x0, y0, x1, y1) in v.rects)
            lines.append(f"- {v.name} {rects} ;")
        lines.append("END VIAS")
    lines.append(f"COMPONENTS {len(layout.components)} ;")
    for c in layout.components:
        status = "FIXED" if c.fixed else "PLACED"
        lines.append(f"- {c.name} {c.macro} + {status} ( {d(c.x)} {d(c.y)} ) {c.orient} ;")
    lines.append("END COMPONENTS")
    lines.append(f"PINS {len(layout.pins)} ;")
    for p in layout.pins:
        hw, hh = d(p.w / 2), d(p.h / 2)
        lines.append(
            f"- {p.name} + NET {p.net} + DIRECTION {p.direction} + USE SIGNAL\n"
            f"  + LAYER {p.layer} ( {-hw} {-hh} ) ( {hw} {hh} ) + PLACED ( {d(p.x)} {d(p.y)} ) N ;"
        )
    lines.append("END PINS")
    if layout.special_nets:
        lines.append(f"SPECIALNETS {len(layout.special_nets)} ;")
        for net in layout.special_nets:
            lines.append(f"- {net.name} ( * {net.name} ) + USE {net.use}")
            routed = [f"{w.layer} {d(w.width)} + SHAPE {w.shape} ( {d(w.x0)} {d(w.y0)} ) ( {d(w.x1)} {d(w.y1)} )"
                      for w in net.wires]
            routed += [f"{_via_layer(layout, name)} 0 + SHAPE STRIPE ( {d(x)} {d(y)} ) {name}"
                       for name, x, y in net.vias]
            for k, item in enumerate(routed):
                lines.append(f"  {'+ ROUTED' if k == 0 else 'NEW'} {item}")
            lines.append("  ;")
        lines.append("END SPECIALNETS")
    lines.append(f"NETS {len(layout.nets)} ;")
    for name, conns in layout.nets.items():
        parts = " ".join(f"( {comp} {pin} )" for comp, pin in conns)
        routed = layout.routes.get(name)
        if not routed:
            lines.append(f"- {name} {parts} ;")
            continue
        lines.append(f"- {name} {parts}")
        for k, item in enumerate(routed):
            lead = "+ ROUTED" if k == 0 else "NEW"
            if isinstance(item, RoutedVia):
                lines.append(f"  {lead} {item.layer} ( {d(item.x)} {d(item.y)} ) {item.via}")
            elif isinstance(item, RoutedRect):
                lines.append(f"  {lead} {item.layer} ( {d(item.x0)} {d(item.y0)} ) "
                             f"RECT ( 0 0 {d(item.x1) - d(item.x0)} {d(item.y1) - d(item.y0)} )")
            else:
                lines.append(f"  {lead} {item.layer} ( {d(item.x0)} {d(item.y0)} ) ( {d(item.x1)} {d(item.y1)} )")
        lines.append("  ;")
    lines.append("END NETS")
    lines.append("END DESIGN")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _via_layer(layout: Layout, via: str) -> str:
    """The bottom routing layer of a via of the layout's VIAS section (DEF names it before the via)."""
    for v in layout.vias:
        if v.name == via:
            return v.rects[0][0]
    raise ValueError(f"via {via} is not in the layout's VIAS section")
