"""Congestion heatmap of a global route: usage/capacity per gcell, PNG and SVG."""

import os

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["plot_congestion", "save_congestion_map"]


def plot_congestion(result, title="Global routing congestion"):
    """A matplotlib ``Figure`` of ``result.gcell_congestion()`` over the die (um).

    Colour is the usage/capacity ratio (clipped at 1.5); gcells touching an
    overflowed edge are outlined in red.
    """
    grid = result.grid
    ratio = result.gcell_congestion()
    overflowed = result.overflowed_gcells()
    figure = Figure(figsize=(6.4, 5.6))
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    mesh = axes.pcolormesh(grid.x_cuts, grid.y_cuts, np.minimum(ratio, 1.5), cmap="viridis",
                           vmin=0.0, vmax=1.5, shading="flat")
    figure.colorbar(mesh, ax=axes, label="usage / capacity")
    for gy, gx in zip(*np.nonzero(overflowed)):
        x0, x1 = grid.x_cuts[gx], grid.x_cuts[gx + 1]
        y0, y1 = grid.y_cuts[gy], grid.y_cuts[gy + 1]
        axes.plot([x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0], color="red", linewidth=1.0)
    axes.set_aspect("equal")
    axes.set_xlabel("x (um)")
    axes.set_ylabel("y (um)")
    axes.set_title(f"{title}\noverflow {result.overflow_total} on {result.overflowed_edges} edges, "
                   f"max ratio {ratio.max():.2f}")
    return figure


def save_congestion_map(result, path_stem, title="Global routing congestion"):
    """Write ``<path_stem>.png`` and ``<path_stem>.svg``; returns both paths.

    The SVG carries no date and fixed ids, so the same result gives the same bytes.
    """
    figure = plot_congestion(result, title)
    paths = (f"{os.fspath(path_stem)}.png", f"{os.fspath(path_stem)}.svg")
    figure.savefig(paths[0], dpi=120, metadata={"Software": None})
    with matplotlib.rc_context({"svg.hashsalt": "tapeout"}):
        figure.savefig(paths[1], metadata={"Date": None, "Creator": None})
    return paths
