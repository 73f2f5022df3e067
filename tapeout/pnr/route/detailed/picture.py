"""Pictures of the detailed routes: the whole die (every wire as a line, coloured by layer) and a
zoomable region at true widths (wires, via pads, same-net patches and cell outlines), centred where
the vias are densest."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tapeout.pnr.formats.layout import RoutedVia, RoutedWire
from tapeout.pnr.route.detailed.patches import item_rects

LAYER_COLOURS = {"li1": "#8c564b", "met1": "#1f77b4", "met2": "#d62728", "met3": "#2ca02c", "met4": "#ff7f0e",
                 "met5": "#9467bd"}
REGION_UM = 40.0
"""Side of the zoomed region (um)."""


def densest_window(routes: dict, die, side: float = REGION_UM) -> tuple[float, float, float, float]:
    """The `side` x `side` um window of the die (x0, y0, x1, y1) holding the most vias."""
    xs = np.array([i.x for items in routes.values() for i in items if isinstance(i, RoutedVia)])
    ys = np.array([i.y for items in routes.values() for i in items if isinstance(i, RoutedVia)])
    x0, y0, x1, y1 = die
    if xs.size == 0:
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    else:
        bins = (max(1, int((x1 - x0) / side)), max(1, int((y1 - y0) / side)))
        counts, ex, ey = np.histogram2d(xs, ys, bins=bins, range=[[x0, x1], [y0, y1]])
        i, j = np.unravel_index(int(np.argmax(counts)), counts.shape)
        cx, cy = (ex[i] + ex[i + 1]) / 2, (ey[j] + ey[j + 1]) / 2
    half = side / 2
    cx = min(max(cx, x0 + half), x1 - half) if x1 - x0 > side else (x0 + x1) / 2
    cy = min(max(cy, y0 + half), y1 - half) if y1 - y0 > side else (y0 + y1) / 2
    return (cx - half, cy - half, cx + half, cy + half)


def _figure(width_um: float, height_um: float, inches: float = 8.0):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(inches, inches * height_um / max(width_um, 1e-9) + 0.6), dpi=110)


def _legend(ax, layers) -> None:
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=LAYER_COLOURS.get(name, "#444444"), label=name) for name in layers],
              loc="upper right", fontsize=7, framealpha=0.85)


def _frame(ax, box, title: str) -> None:
    """Axes limits to `box` (x0, y0, x1, y1 um), equal aspect, um labels and the title."""
    ax.set_xlim(box[0], box[2])
    ax.set_ylim(box[1], box[3])
    ax.set_aspect("equal")
    ax.set_xlabel("x (um)")
    ax.set_ylabel("y (um)")
    ax.set_title(title, fontsize=9)


def draw_overview(path: Path, routes: dict, die, title: str) -> None:
    """Every routed wire of the die as a line coloured by its layer (PNG)."""
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Rectangle

    fig = _figure(die[2] - die[0], die[3] - die[1])
    ax = fig.add_subplot()
    ax.add_patch(Rectangle((die[0], die[1]), die[2] - die[0], die[3] - die[1], fill=False, lw=1.0, ec="black"))
    segments: dict[str, list] = {}
    for items in routes.values():
        for item in items:
            if isinstance(item, RoutedWire):
                segments.setdefault(item.layer, []).append(((item.x0, item.y0), (item.x1, item.y1)))
    for layer in sorted(segments):
        ax.add_collection(LineCollection(segments[layer], colors=LAYER_COLOURS.get(layer, "#444444"),
                                         linewidths=min(1.0, max(0.2, 100.0 / (die[2] - die[0])))))
    _legend(ax, sorted(segments))
    _frame(ax, die, title)
    fig.savefig(path, dpi=110, bbox_inches="tight", metadata={"Software": None})


def draw_region(path: Path, routes: dict, widths: dict[str, float], via_shapes: dict, cells, window,
                title: str) -> None:
    """The routes inside `window` (x0, y0, x1, y1 um) at their true widths, with the via pads of every
    layer, the same-net patches and the outlines of `cells` ((x, y, w, h) um); SVG, zoomable."""
    import matplotlib
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle

    x0, y0, x1, y1 = window
    fig = _figure(x1 - x0, y1 - y0)
    ax = fig.add_subplot()
    outlines = [Rectangle((cx, cy), w, h) for cx, cy, w, h in cells
                if cx < x1 and cx + w > x0 and cy < y1 and cy + h > y0]
    ax.add_collection(PatchCollection(outlines, facecolor="none", edgecolor="#bbbbbb", linewidths=0.3))
    shapes: dict[str, list] = {}

    def add(layer, a, b, c, d):
        if a < x1 and c > x0 and b < y1 and d > y0:
            shapes.setdefault(layer, []).append(Rectangle((a, b), c - a, d - b))

    for items in routes.values():
        for item in items:
            for layer, rect in item_rects(item, widths, via_shapes):
                add(layer, *rect)
    order = [name for name in LAYER_COLOURS if name in shapes] + sorted(set(shapes) - set(LAYER_COLOURS))
    for layer in order:
        ax.add_collection(PatchCollection(shapes[layer], facecolor=LAYER_COLOURS.get(layer, "#444444"),
                                          edgecolor="none", alpha=0.55))
    _legend(ax, order)
    _frame(ax, window, title)
    with matplotlib.rc_context({"svg.hashsalt": "tapeout"}):
        fig.savefig(path, bbox_inches="tight", metadata={"Date": None, "Creator": None})
