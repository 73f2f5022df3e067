"""GCell routing grid: gcell geometry, metal stack, per-edge track capacities.

The die is cut into ``nx`` x ``ny`` gcells. A routing *edge* joins two adjacent
gcells; wires crossing it use one track each. Edges are numbered flat so that
compiled kernels work on plain arrays:

* horizontal edge (x, y)-(x+1, y): ``y * (nx - 1) + x``
* vertical edge (x, y)-(x, y+1): ``n_h_edges + y * nx + x``

The capacity of an edge on one layer is the number of that layer's tracks
crossing it: ``floor(span_um / pitch_um * usable_fraction)``, where ``span_um``
is the gcell extent across the wire direction; only layers whose preferred
direction matches the edge count. Blockages (macros) remove the covered
fraction of tracks on every layer up to their ``top_layer``.
"""

from dataclasses import dataclass

import numba
import numpy as np

from tapeout.tech.layers import METAL_STACK, RoutingLayer

__all__ = [
    "Blockage",
    "DEFAULT_METAL_STACK",
    "RoutingGrid",
    "edge_cost",
    "h_edge",
    "v_edge",
    "edge_ends",
]


DEFAULT_METAL_STACK = METAL_STACK


@dataclass(frozen=True)
class Blockage:
    """A rectangle (um) blocking every layer from the bottom up to ``top_layer``.

    Parameters
    ----------
    x0, y0, x1, y1 : float
        Lower-left and upper-right corners (um).
    top_layer : str
        Name of the highest blocked layer (a macro's obstruction layer).
    """

    x0: float
    y0: float
    x1: float
    y1: float
    top_layer: str

    def __post_init__(self):
        if not (self.x1 > self.x0 and self.y1 > self.y0):
            raise ValueError(
                f"blockage must have x1 > x0 and y1 > y0, not "
                f"({self.x0!r}, {self.y0!r}, {self.x1!r}, {self.y1!r})")


def _check_box(name, box):
    if (not isinstance(box, (tuple, list)) or len(box) != 4
            or not all(isinstance(v, (int, float)) for v in box)
            or not (box[2] > box[0] and box[3] > box[1])):
        raise ValueError(f"{name} must be (x0, y0, x1, y1) with x1 > x0 and y1 > y0, not {box!r}")
    return tuple(float(v) for v in box)


def _cuts(lo, hi, step):
    n = max(1, int(np.ceil((hi - lo) / step - 1e-9)))
    cuts = lo + step * np.arange(n + 1, dtype=np.float64)
    cuts[-1] = hi
    return cuts


def _overlap(a0, a1, b0, b1):
    return np.clip(np.minimum(a1, b1) - np.maximum(a0, b0), 0.0, None)


class RoutingGrid:
    """GCell grid over a die with per-layer, per-edge track capacities.

    Parameters
    ----------
    die : tuple of float
        Routing area ``(x0, y0, x1, y1)`` (um).
    gcell_um : float
        GCell width and height (um); the last row/column takes the remainder.
    layers : sequence of RoutingLayer
        The metal stack, bottom first. At least one usable ``H`` and one usable
        ``V`` layer are needed.
    blockages : sequence of Blockage
        Macro obstructions.

    Attributes
    ----------
    nx, ny : int
        GCells across and up.
    x_cuts, y_cuts : ndarray
        GCell boundaries (um), ``nx + 1`` and ``ny + 1`` values.
    n_h_edges, n_edges : int
        Number of horizontal edges, of all edges.
    edge_direction : ndarray of int8
        0 for horizontal edges, 1 for vertical ones.
    layer_capacity : ndarray of int32, shape (n_layers, n_edges)
        Tracks per layer and edge.
    capacity : ndarray of int32, shape (n_edges,)
        Tracks per edge summed over layers (the 2-D routing capacity).
    """

    def __init__(self, die, gcell_um, layers=DEFAULT_METAL_STACK, blockages=()):
        self.die = _check_box("die", die)
        if not (isinstance(gcell_um, (int, float)) and gcell_um > 0):
            raise ValueError(f"gcell_um must be a positive number, not {gcell_um!r}")
        self.gcell_um = float(gcell_um)
        self.layers = tuple(layers)
        for layer in self.layers:
            if not isinstance(layer, RoutingLayer):
                raise TypeError(f"layers must be RoutingLayer objects, not {layer!r}")
        for direction in "HV":
            if not any(l.axis == direction and l.usable_fraction > 0 for l in self.layers):
                raise ValueError(
                    f"layers must include a usable {direction} layer, not {[l.name for l in self.layers]!r}")
        names = [l.name for l in self.layers]
        self.blockages = tuple(blockages)
        for blockage in self.blockages:
            if not isinstance(blockage, Blockage):
                raise TypeError(f"blockages must be Blockage objects, not {blockage!r}")
            if blockage.top_layer not in names:
                raise ValueError(f"blockage top_layer must be one of {names!r}, not {blockage.top_layer!r}")

        x0, y0, x1, y1 = self.die
        self.x_cuts = _cuts(x0, x1, self.gcell_um)
        self.y_cuts = _cuts(y0, y1, self.gcell_um)
        self.nx = len(self.x_cuts) - 1
        self.ny = len(self.y_cuts) - 1
        self.n_h_edges = (self.nx - 1) * self.ny
        self.n_v_edges = self.nx * (self.ny - 1)
        self.n_edges = self.n_h_edges + self.n_v_edges
        self.edge_direction = np.zeros(self.n_edges, dtype=np.int8)
        self.edge_direction[self.n_h_edges:] = 1
        self.layer_direction = np.array([0 if l.axis == "H" else 1 for l in self.layers], dtype=np.int8)
        self.layer_capacity = self._layer_capacity(names)
        self.capacity = self.layer_capacity.sum(axis=0).astype(np.int32)

    @property
    def n_layers(self):
        return len(self.layers)

    @property
    def x_centers(self):
        """GCell centre x coordinates (um)."""
        return 0.5 * (self.x_cuts[:-1] + self.x_cuts[1:])

    @property
    def y_centers(self):
        """GCell centre y coordinates (um)."""
        return 0.5 * (self.y_cuts[:-1] + self.y_cuts[1:])

    def layer_index(self, name):
        """Index of the layer called ``name`` in the stack."""
        for index, layer in enumerate(self.layers):
            if layer.name == name:
                return index
        raise ValueError(f"layer must be one of {[l.name for l in self.layers]!r}, not {name!r}")

    def gcell_of(self, x_um, y_um):
        """GCell column and row of points (um); points off the die clamp to the border."""
        gx = np.searchsorted(self.x_cuts, np.asarray(x_um, dtype=np.float64), side="right") - 1
        gy = np.searchsorted(self.y_cuts, np.asarray(y_um, dtype=np.float64), side="right") - 1
        return (np.clip(gx, 0, self.nx - 1).astype(np.int32),
                np.clip(gy, 0, self.ny - 1).astype(np.int32))

    def edge_gcells(self, edges):
        """Lower-left gcell ``(x, y)`` of each edge and its direction (0 H, 1 V)."""
        edges = np.asarray(edges, dtype=np.int64)
        vertical = edges >= self.n_h_edges
        local = np.where(vertical, edges - self.n_h_edges, edges)
        width = np.where(vertical, self.nx, self.nx - 1)
        return local % width, local // width, vertical.astype(np.int8)

    def _edge_regions(self):
        """Per edge: the box from one gcell centre to the other, full gcell wide across (um)."""
        xc, yc = self.x_centers, self.y_centers
        hx, hy = np.meshgrid(np.arange(self.nx - 1), np.arange(self.ny), indexing="xy")
        vx, vy = np.meshgrid(np.arange(self.nx), np.arange(self.ny - 1), indexing="xy")
        hx, hy, vx, vy = hx.ravel(), hy.ravel(), vx.ravel(), vy.ravel()
        rx0 = np.concatenate([xc[hx], self.x_cuts[vx]])
        rx1 = np.concatenate([xc[hx + 1], self.x_cuts[vx + 1]])
        ry0 = np.concatenate([self.y_cuts[hy], yc[vy]])
        ry1 = np.concatenate([self.y_cuts[hy + 1], yc[vy + 1]])
        # track span across the wire: gcell height for H edges, width for V edges
        span = np.concatenate([self.y_cuts[hy + 1] - self.y_cuts[hy], self.x_cuts[vx + 1] - self.x_cuts[vx]])
        return rx0, ry0, rx1, ry1, span

    def _layer_capacity(self, names):
        rx0, ry0, rx1, ry1, span = self._edge_regions()
        area = (rx1 - rx0) * (ry1 - ry0)
        capacity = np.zeros((self.n_layers, self.n_edges), dtype=np.int32)
        for index, layer in enumerate(self.layers):
            blocked = np.zeros(self.n_edges)
            for blockage in self.blockages:
                if names.index(blockage.top_layer) >= index:
                    blocked += (_overlap(rx0, rx1, blockage.x0, blockage.x1)
                                * _overlap(ry0, ry1, blockage.y0, blockage.y1))
            free = 1.0 - np.clip(blocked / area, 0.0, 1.0)
            tracks = np.floor(span / layer.pitch_um * layer.usable_fraction * free + 1e-9)
            direction = 0 if layer.axis == "H" else 1
            capacity[index] = np.where(self.edge_direction == direction, tracks, 0).astype(np.int32)
        return capacity


@numba.njit(inline="always", cache=True)
def edge_cost(usage, capacity, history, present_factor):
    """PathFinder cost of adding one wire to an edge (McMurchie & Ebeling, FPGA 1995).

    ``(1 + history) * (1 + present_factor * overflow_if_added)``: a base cost of
    one gcell, raised by the congestion history and by the overflow the new wire
    would make now.
    """
    over = usage + 1 - capacity
    if over > 0:
        return (1.0 + history) * (1.0 + present_factor * over)
    return 1.0 + history


@numba.njit(inline="always", cache=True)
def h_edge(x, y, nx):
    """Index of the horizontal edge from gcell (x, y) to (x + 1, y)."""
    return y * (nx - 1) + x


@numba.njit(inline="always", cache=True)
def v_edge(x, y, nx, n_h_edges):
    """Index of the vertical edge from gcell (x, y) to (x, y + 1)."""
    return n_h_edges + y * nx + x


@numba.njit(inline="always", cache=True)
def edge_ends(edge, nx, n_h_edges):
    """Flat gcell indices (``y * nx + x``) of an edge's two ends, lower-left first."""
    if edge < n_h_edges:
        y = edge // (nx - 1)
        g = y * nx + edge - y * (nx - 1)
        return g, g + 1
    g = edge - n_h_edges
    return g, g + nx
