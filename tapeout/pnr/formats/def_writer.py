"""Write a Layout as DEF 5.8 (LEF/DEF Language Reference 5.8, Cadence/Si2), readable by KLayout,
OpenROAD and other tools."""

from __future__ import annotations

from pathlib import Path

from tapeout.pnr.formats.layout import Layout


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
    lines.append(f"NETS {len(layout.nets)} ;")
    for name, conns in layout.nets.items():
        parts = " ".join(f"( {comp} {pin} )" for comp, pin in conns)
        lines.append(f"- {name} {parts} ;")
    lines.append("END NETS")
    lines.append("END DESIGN")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
