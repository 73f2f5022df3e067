"""The global route as a hand-off file: `route.npz`, format 'global_route' v1.

It holds every array of a `RouteResult` under its attribute name, the overflow history, the pin
layer, and the grid as data: `grid_die` (x0, y0, x1, y1 um), `grid_gcell_um`, per layer
`layer_name`, `layer_direction` ('HORIZONTAL'/'VERTICAL'), `layer_pitch_um`, `layer_usable`, and the
blockages (`blockage_box` um, `blockage_top_layer`). Reading rebuilds the grid from that data and
checks that it gives the stored track capacities.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numpy as np

from tapeout.pnr.formats.arrays_file import HandoffError, load_arrays, save_arrays
from tapeout.pnr.route.grid import Blockage, RoutingGrid
from tapeout.pnr.route.result import RouteResult
from tapeout.tech.layers import RoutingLayer

KIND, VERSION = "global_route", 1
ARRAY_FIELDS = [f.name for f in fields(RouteResult) if f.name not in ("grid", "pin_layer", "overflow_history")]


def save_route(path: Path, result: RouteResult) -> None:
    grid = result.grid
    layers = grid.layers
    save_arrays(
        path, KIND, VERSION,
        **{name: getattr(result, name) for name in ARRAY_FIELDS},
        pin_layer=result.pin_layer, overflow_history=np.asarray(result.overflow_history, dtype=np.int64),
        grid_die=np.asarray(grid.die), grid_gcell_um=grid.gcell_um,
        layer_name=np.array([l.name for l in layers]), layer_direction=np.array([l.direction for l in layers]),
        layer_pitch_um=np.array([l.pitch_um for l in layers]),
        layer_usable=np.array([l.usable_fraction for l in layers]),
        blockage_box=np.array([[b.x0, b.y0, b.x1, b.y1] for b in grid.blockages]).reshape(-1, 4),
        blockage_top_layer=np.array([b.top_layer for b in grid.blockages], dtype=str),
    )


def load_route(path: Path) -> RouteResult:
    a = load_arrays(path, KIND, VERSION)
    try:
        layers = [RoutingLayer(str(n), str(d), float(p), float(u)) for n, d, p, u in
                  zip(a["layer_name"], a["layer_direction"], a["layer_pitch_um"], a["layer_usable"])]
        blockages = [Blockage(*map(float, box), str(top)) for box, top in zip(a["blockage_box"],
                                                                               a["blockage_top_layer"])]
        grid = RoutingGrid(tuple(float(v) for v in a["grid_die"]), float(a["grid_gcell_um"]), layers, blockages)
        arrays = {name: a[name] for name in ARRAY_FIELDS}
    except (KeyError, TypeError, ValueError) as exc:
        raise HandoffError(f"{path}: damaged global route file ({exc})") from None
    if not np.array_equal(grid.layer_capacity, arrays["layer_capacity"]):
        raise HandoffError(f"{path}: the stored grid does not give the stored track capacities (damaged file)")
    return RouteResult(grid=grid, pin_layer=int(a["pin_layer"]),
                       overflow_history=tuple(int(v) for v in a["overflow_history"]), **arrays)
