"""A hand-built two-net layout on SKY130 layers, written with klayout.db.

Two black-box cells: `drv` with pin Y (a li1 pad under a met1 pad, joined by an mcon) and `load` with
pin A (a met2 pad). Net `a` runs along y = 0..0.14 um from drv instance `d0` to load `l0`, net `b`
mirrored above it from `d1` to `l1`: met1 wire 10 um long, a via up to the load's met2 pad. The
instance names are GDS properties (attribute 1), as the gds stage writes them.
"""

from __future__ import annotations

MET1, MET2, LI1, MCON, VIA = (68, 20), (69, 20), (67, 20), (67, 44), (68, 44)
LI1_LABEL, MET2_LABEL = (67, 5), (69, 5)
NETLIST = """module two_nets ();
  wire a;
  wire b;
  drv d0 (.Y(a));
  drv d1 (.Y(b));
  load l0 (.A(a));
  load l1 (.A(b));
endmodule
"""


def write_two_nets(path, gap_um: float = 0.5, short: bool = False, drop_via: str | None = None,
                   extra_met1=None) -> None:
    """Write the layout to `path`: the two met1 wires `gap_um` apart; `short` joins them with a met1
    bridge; `drop_via` ('a' or 'b') leaves out that net's met1-met2 via; `extra_met1` adds a met1 box
    (x0, y0, x1, y1) in um."""
    import klayout.db as db

    layout = db.Layout()
    layout.dbu = 0.001
    top = layout.create_cell("two_nets")
    drv, load = layout.create_cell("drv"), layout.create_cell("load")

    def shapes(cell, layer):
        return cell.shapes(layout.layer(*layer))

    shapes(drv, LI1).insert(db.DBox(-0.25, -0.3, 0.25, 0.085))         # pin Y: li1 under the mcon
    shapes(drv, LI1_LABEL).insert(db.DText("Y", db.DTrans(db.DVector(0, 0))))
    shapes(load, MET2).insert(db.DBox(-0.13, -2.0, 0.13, 0.13))        # pin A: met2 pad around the via
    shapes(load, MET2_LABEL).insert(db.DText("A", db.DTrans(db.DVector(0, -1.0))))

    flip = db.DTrans(db.DTrans.M0)  # net b is net a mirrored at y = 0, then moved up
    for net, trans in (("a", db.DTrans()), ("b", db.DTrans(db.DVector(0, 0.28 + gap_um)) * flip)):
        wiring = [(MET1, (0.0, 0.0, 10.0, 0.14)),                # the wire
                  (MCON, (0.1, -0.2, 0.27, -0.03)),              # mcon 0.17 square below the left end
                  (MET1, (0.07, -0.23, 0.30, 0.14)),             # met1 around it (m1.4 0.03)
                  (MET1, (9.445, -0.155, 9.705, 0.14))]          # met1 pad of the via (via.4a 0.055)
        if drop_via != net:
            wiring.append((VIA, (9.5, -0.1, 9.65, 0.05)))
        for layer, (x0, y0, x1, y1) in wiring:
            shapes(top, layer).insert(trans * db.DBox(x0, y0, x1, y1))
        for cell, name, x, y in ((drv, f"d{'ab'.index(net)}", 0.185, -0.115),
                                 (load, f"l{'ab'.index(net)}", 9.575, -0.025)):
            inst = top.insert(db.DCellInstArray(cell.cell_index(), trans * db.DTrans(db.DVector(x, y))))
            inst.set_property(1, name)
    if short:
        shapes(top, MET1).insert(db.DBox(5.0, 0.0, 5.14, 0.28 + gap_um))
    if extra_met1 is not None:
        shapes(top, MET1).insert(db.DBox(*extra_met1))
    layout.write(str(path))
