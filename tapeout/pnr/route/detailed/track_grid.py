"""The 3-D track graph of the detailed router.

Every signal layer shares one lattice of points: x on the vertical layer's tracks of the lowest
vertical signal layer (`x0 + ox + i * px`), y on the lowest horizontal one's (`y0 + oy + j * py`), um.
A layer whose pitch is k lattice steps uses every k-th row (horizontal layers) or column (vertical
layers). Wires run in the layer's preferred direction only; vias join a point to the same point of
the layer above. Node `n = (layer * ny + j) * nx + i`.

`blocked[n]` marks points whose wire or via pad would come closer than the layer's spacing to an
obstacle (power rails and straps, their via stacks, cell obstructions, other layers are free).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from tapeout.pnr.finish.tracks import own_offset


@dataclass(frozen=True)
class SignalLayer:
    """A routing layer as the detailed router uses it (um): preferred direction, wire width, spacing,
    the via pad half-sizes (along x, along y) on it, and its lattice stride."""

    name: str
    horizontal: bool
    width: float
    spacing: float
    pad_half: tuple[float, float]
    stride: int


@dataclass
class TrackGrid:
    """The lattice over the die (um) and the per-node obstacle mask."""

    layers: tuple[SignalLayer, ...]
    x0: float
    y0: float
    px: float
    py: float
    nx: int
    ny: int
    blocked: np.ndarray
    obstacles: dict = field(default_factory=dict)  # layer index -> obstacle rectangles (um) blocked so far

    @property
    def nl(self) -> int:
        return len(self.layers)

    def node(self, layer: int, i: int, j: int) -> int:
        return (layer * self.ny + j) * self.nx + i

    def unpack(self, n):
        """(layer, i, j) of node index/indices `n`."""
        i = n % self.nx
        j = (n // self.nx) % self.ny
        return n // (self.nx * self.ny), i, j

    def x(self, i):
        return self.x0 + i * self.px

    def y(self, j):
        return self.y0 + j * self.py

    def usable(self, layer: int) -> np.ndarray:
        """(ny, nx) mask of the points layer `layer` has (its rows or columns)."""
        lay = self.layers[layer]
        mask = np.zeros((self.ny, self.nx), dtype=bool)
        if lay.horizontal:
            mask[::lay.stride, :] = True
        else:
            mask[:, ::lay.stride] = True
        return mask

    def near(self, layer: int, rect, half: tuple[float, float]) -> tuple[int, int, int, int]:
        """Index ranges (i0, i1, j0, j1) of the points where a shape of half-sizes `half` (x, y um)
        would come closer than `layer`'s spacing to `rect` (um); empty when i0 > i1 or j0 > j1."""
        spacing = self.layers[layer].spacing
        reach_x, reach_y = spacing + half[0] - 1e-6, spacing + half[1] - 1e-6  # exactly the spacing is allowed
        x0, y0, x1, y1 = rect
        i0 = max(0, math.floor((x0 - reach_x - self.x0) / self.px) + 1)
        i1 = min(self.nx - 1, math.ceil((x1 + reach_x - self.x0) / self.px) - 1)
        j0 = max(0, math.floor((y0 - reach_y - self.y0) / self.py) + 1)
        j1 = min(self.ny - 1, math.ceil((y1 + reach_y - self.y0) / self.py) - 1)
        return i0, i1, j0, j1

    def block_rect(self, layer: int, rect) -> None:
        """Block the points of `layer` whose wire or pad would be closer than the spacing to `rect` (um)."""
        lay = self.layers[layer]
        half = (max(lay.width / 2 if not lay.horizontal else 0.0, lay.pad_half[0]),
                max(lay.width / 2 if lay.horizontal else 0.0, lay.pad_half[1]))
        i0, i1, j0, j1 = self.near(layer, rect, half)
        self.obstacles.setdefault(layer, []).append(tuple(rect))
        if i0 <= i1 and j0 <= j1:
            self.blocked.reshape(self.nl, self.ny, self.nx)[layer, j0:j1 + 1, i0:i1 + 1] = True


def signal_layers(metal_stack, via_pads) -> tuple[SignalLayer, ...]:
    """The signal layers: every routing layer above the lowest (the cells' pin layer) and below the top
    one (kept for the power grid). `via_pads` maps a layer name to the largest via pad half-sizes on it."""
    chosen = metal_stack[1:-1]
    horizontal = [lay for lay in chosen if lay.direction == "HORIZONTAL"]
    vertical = [lay for lay in chosen if lay.direction == "VERTICAL"]
    if not horizontal or not vertical:
        raise ValueError("the detailed router needs a horizontal and a vertical signal layer")
    py, px = horizontal[0].pitch_um, vertical[0].pitch_um
    return tuple(SignalLayer(lay.name, lay.direction == "HORIZONTAL", lay.width_um, lay.spacing_um,
                             via_pads.get(lay.name, (lay.width_um / 2, lay.width_um / 2)),
                             max(1, int(round(lay.pitch_um / (py if lay.direction == "HORIZONTAL" else px)))))
                 for lay in chosen)


def track_grid(metal_stack, via_pads, die) -> TrackGrid:
    """The empty lattice over `die` (x0, y0, x1, y1 um), points on the lowest signal layers' tracks."""
    layers = signal_layers(metal_stack, via_pads)
    by_name = {lay.name: lay for lay in metal_stack}
    hor = by_name[next(lay.name for lay in layers if lay.horizontal)]
    ver = by_name[next(lay.name for lay in layers if not lay.horizontal)]
    ox, oy = own_offset(ver), own_offset(hor)
    nx = int(math.floor((die[2] - die[0] - ox) / ver.pitch_um + 1e-9)) + 1
    ny = int(math.floor((die[3] - die[1] - oy) / hor.pitch_um + 1e-9)) + 1
    grid = TrackGrid(layers, die[0] + ox, die[1] + oy, ver.pitch_um, hor.pitch_um, nx, ny,
                     np.zeros(len(layers) * nx * ny, dtype=bool))
    for k in range(grid.nl):
        grid.blocked.reshape(grid.nl, ny, nx)[k][~grid.usable(k)] = True
    return grid
