"""Pin access: one lattice point per pin where the router's wire starts, reserved for the pin's net.

A cell pin on the layer below the signal layers (SKY130's li1) is reached by a via from a point of the
lowest signal layer that lies inside one of the pin's shapes; among such points the one nearest the
pin's centre is taken that no other net's access point sits on or beside (via pads of two nets one
track apart would be too close). A top-level pin is reached from the nearest point of its own layer
by a short stub on that layer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PinAccess:
    """Per netlist pin: its access node (-1: none), whether a via from the pin layer lands there, and
    the stub (x0, y0, x1, y1 um, on the node's layer) from a top-level pin's centre to the node."""

    node: np.ndarray
    via: np.ndarray
    stubs: dict[int, tuple[float, float, float, float]]


def placed_rect(rect, x: float, y: float, w: float, h: float, orient: str):
    """A macro-relative rectangle (um) placed at lower-left (x, y) with orientation N, S, FN or FS."""
    x0, y0, x1, y1 = rect
    if orient in ("S", "FN"):
        x0, x1 = w - x1, w - x0
    if orient in ("S", "FS"):
        y0, y1 = h - y1, h - y0
    return (x + x0, y + y0, x + x1, y + y1)


def points_inside(grid, layer: int, rect) -> list[tuple[int, int]]:
    """Lattice points (i, j) of `layer` inside `rect` (um), edges included."""
    import math

    x0, y0, x1, y1 = rect
    i0 = max(0, math.ceil((x0 - grid.x0) / grid.px - 1e-9))
    i1 = min(grid.nx - 1, math.floor((x1 - grid.x0) / grid.px + 1e-9))
    j0 = max(0, math.ceil((y0 - grid.y0) / grid.py - 1e-9))
    j1 = min(grid.ny - 1, math.floor((y1 - grid.y0) / grid.py + 1e-9))
    return [(i, j) for j in range(j0, j1 + 1) for i in range(i0, i1 + 1)
            if not grid.blocked[grid.node(layer, i, j)]]


TOLERANCES_UM = (0.0, 0.05, 0.17)
"""How far outside the pin shape an access point may lie, tried in turn (the via's pad then overhangs
the pin by at most this much)."""


def cell_pin_candidates(grid, pin_layer: str, shapes, centre) -> list[int]:
    """Access nodes on signal layer 0 inside the pin's `shapes` on `pin_layer` (placed, um), nearest the
    `centre` first; points just outside the shapes when none lies inside (`TOLERANCES_UM`)."""
    for tolerance in TOLERANCES_UM:
        found = {}
        for layer, (x0, y0, x1, y1) in shapes:
            if layer != pin_layer and layer != grid.layers[0].name:
                continue
            rect = (x0 - tolerance, y0 - tolerance, x1 + tolerance, y1 + tolerance)
            for i, j in points_inside(grid, 0, rect):
                found[grid.node(0, i, j)] = abs(grid.x(i) - centre[0]) + abs(grid.y(j) - centre[1])
        if found:
            return sorted(found, key=lambda n: (found[n], n))
    return []


def nearest_node(grid, layer: int, x: float, y: float) -> int:
    """The unblocked node of `layer` nearest (x, y) um (-1 when the layer has none near)."""
    i = int(round((x - grid.x0) / grid.px))
    j = int(round((y - grid.y0) / grid.py))
    best, best_d = -1, np.inf
    for dj in range(-4, 5):
        for di in range(-4, 5):
            a, b = i + di, j + dj
            if 0 <= a < grid.nx and 0 <= b < grid.ny and not grid.blocked[grid.node(layer, a, b)]:
                d = abs(grid.x(a) - x) + abs(grid.y(b) - y)
                if d < best_d - 1e-12:
                    best, best_d = grid.node(layer, a, b), d
    return best


def _clashes(grid, node: int, owner: np.ndarray, net: int) -> bool:
    """True when another net's access point is on `node` or one track beside it (across its layer)."""
    layer, i, j = grid.unpack(node)
    horizontal = grid.layers[layer].horizontal
    near = [(i, j), (i, j - 1), (i, j + 1)] if horizontal else [(i, j), (i - 1, j), (i + 1, j)]
    return any(0 <= a < grid.nx and 0 <= b < grid.ny and owner[grid.node(layer, a, b)] not in (-1, net)
               for a, b in near)


def pin_access(grid, pins, pin_layer: str) -> PinAccess:
    """Access for `pins`: (pin index, net, kind, data) with kind "cell" (data: placed shapes, centre) or
    "port" (data: layer index, x, y). Raises ValueError naming (by index) a pin with no free access point."""
    count = 1 + max((p[0] for p in pins), default=-1)
    node = np.full(count, -1, dtype=np.int64)
    via = np.zeros(count, dtype=bool)
    stubs = {}
    owner = np.full(grid.blocked.size, -1, dtype=np.int64)
    for pin, net, kind, data in pins:
        if kind == "port":
            layer, x, y = data
            n = nearest_node(grid, layer, x, y)
            if n >= 0:
                _, i, j = grid.unpack(n)
                stubs[pin] = (x, y, float(grid.x(i)), float(grid.y(j)))
        else:
            shapes, centre = data
            candidates = cell_pin_candidates(grid, pin_layer, shapes, centre)
            free = [c for c in candidates if not _clashes(grid, c, owner, net)]
            n = (free or candidates or [-1])[0]
            via[pin] = any(layer == pin_layer for layer, _ in shapes)
        if n < 0:
            raise ValueError(f"pin {pin} has no free access point")
        node[pin] = n
        owner[n] = net
    return PinAccess(node, via, stubs)
