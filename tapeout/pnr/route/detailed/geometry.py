"""A routed net as DEF geometry: its lattice edges merged into straight wires, and vias."""

from __future__ import annotations

from collections import defaultdict

from tapeout.pnr.formats.layout import RoutedVia, RoutedWire


def _runs(steps: list[int]) -> list[tuple[int, int]]:
    """Unit steps k (k to k+1) merged into maximal runs (first, last point)."""
    runs = []
    for k in sorted(set(steps)):
        if runs and runs[-1][1] == k:
            runs[-1] = (runs[-1][0], k + 1)
        else:
            runs.append((k, k + 1))
    return runs


def net_geometry(grid, edges, via_names) -> list:
    """Wires (merged along each track) and vias of a net's lattice `edges`; `via_names[k]` is the via
    from signal layer k to k + 1."""
    plane = grid.nx * grid.ny
    along = defaultdict(list)  # (layer, horizontal, line) -> unit steps
    vias = set()
    for a, b in edges:
        a, b = min(a, b), max(a, b)
        if a == b:
            continue
        layer, i, j = grid.unpack(a)
        if b - a == plane:
            vias.add((layer, i, j))
        elif b - a == 1:
            along[(layer, True, j)].append(i)
        else:
            along[(layer, False, i)].append(j)
    items = []
    for (layer, horizontal, line), steps in sorted(along.items()):
        name = grid.layers[layer].name
        for lo, hi in _runs(steps):
            if horizontal:
                items.append(RoutedWire(name, grid.x(lo), grid.y(line), grid.x(hi), grid.y(line)))
            else:
                items.append(RoutedWire(name, grid.x(line), grid.y(lo), grid.x(line), grid.y(hi)))
    for layer, i, j in sorted(vias):
        items.append(RoutedVia(grid.layers[layer].name, via_names[layer], grid.x(i), grid.y(j)))
    return items


def wirelength_um(items) -> float:
    return sum(abs(w.x1 - w.x0) + abs(w.y1 - w.y0) for w in items if isinstance(w, RoutedWire))
