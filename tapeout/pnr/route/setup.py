"""The routing problem of a placed netlist: GCell grid with macro blockages, nets driver first,
constant nets left to tie cells; clock nets are left out before clock tree synthesis (`route_clocks`
False: one net to every flop) and routed after it (one net per clock buffer)."""

from __future__ import annotations

import numpy as np

from tapeout.netlist.netlist import Netlist
from tapeout.pnr.floorplan.floorplan import Floorplan

PIN_LAYER = "met1"  # local wiring from a cell pin to its gcell's global route (li1 is far too resistive)


def routing_problem(netlist: Netlist, plan: Floorplan, pin_x: np.ndarray, pin_y: np.ndarray, gcell_rows: int,
                    route_clocks: bool = False, layers=None):
    """(RoutingProblem, skip mask) for `netlist` placed on `plan`; pin positions in um; `layers` the
    technology's metal stack (default: tap130's)."""
    from tapeout.pnr.floorplan.from_netlist import clock_pins
    from tapeout.pnr.route.grid import Blockage, RoutingGrid
    from tapeout.pnr.route.negotiated import RoutingProblem

    skip = np.diff(netlist.net_ptr) < 2
    skip |= netlist.net_const >= 0
    if not route_clocks:
        skip[netlist.pin_net[clock_pins(netlist)]] = True
    blockages = [Blockage(m.x, m.y, m.x + m.width, m.y + m.height, "met4") for m in plan.macros]
    grid = RoutingGrid(plan.die, gcell_rows * plan.row_height, blockages=blockages,
                       **({"layers": layers} if layers is not None else {}))
    pins = netlist.net_pins  # each net's driver first (see tapeout.netlist.from_synth)
    return RoutingProblem(grid, netlist.net_ptr, pin_x[pins], pin_y[pins], skip), skip
