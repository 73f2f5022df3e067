"""Density and congestion overlay of a placement: where the cells sit densest and where the
routing estimate runs short.

Left: the legal cells in grey under the global placement's bin density (cell area over free
area, bins of `tapeout.pnr.place.density.DENSITY_BIN_ROWS` rows), the colour scale centred on the
target density. Right: the routing estimate of the final placement (`tapeout.pnr.place.route_estimate`:
per gcell, used over available tracks in the busier direction), 1 marking a gcell whose tracks are
all taken. Macros are outlined.
"""

from __future__ import annotations

import numpy as np


def draw_density(paths, problem, global_xy, final_xy, congestion, target_density, title=""):
    """Write the two-panel picture to each of ``paths`` (PNG or SVG by suffix).

    Parameters
    ----------
    paths : list of Path
    problem : PlacementProblem
    global_xy, final_xy : (x, y)
        Lower-left corners (um) after global placement and after legalisation.
    congestion : RouteEstimate
        Routing estimate of the final placement.
    target_density : float or None
    title : str
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.collections import PatchCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    from tapeout.pnr.place.density import density_map

    grid, density = density_map(problem, *global_xy)
    x0, y0, x1, y1 = problem.core
    fig = Figure(figsize=(13, 6.2 * (y1 - y0) / max(x1 - x0, 1e-9) + 0.9), dpi=100)
    left, right = fig.subplots(1, 2)
    target = target_density if target_density else float(np.nanmean(density))
    xs = grid.x0 + grid.bin_w * np.arange(grid.nx + 1)
    ys = grid.y0 + grid.bin_h * np.arange(grid.ny + 1)
    ids = np.flatnonzero(problem.movable)
    cells = [Rectangle((final_xy[0][c], final_xy[1][c]), problem.width[c], problem.height[c]) for c in ids]
    left.add_collection(PatchCollection(cells, facecolor="#606060", edgecolor="none", alpha=0.35))
    mesh = left.pcolormesh(xs, ys, np.ma.masked_invalid(density).T, cmap="RdBu_r", vmin=0.0,
                           vmax=2 * target, shading="flat", alpha=0.75)
    fig.colorbar(mesh, ax=left, label="cell area / free area (global placement)", shrink=0.8)
    left.set_title(f"bin density: max {np.nanmax(density):.2f}, target {target:.2f}", fontsize=9)
    c = congestion
    mesh = right.pcolormesh(c.x_cuts, c.y_cuts, np.minimum(c.ratio, 2.0), cmap="magma", vmin=0.0,
                            vmax=max(1.2, min(c.max_ratio, 2.0)), shading="flat")
    fig.colorbar(mesh, ax=right, label="routing estimate: usage / capacity per gcell", shrink=0.8)
    right.set_title(f"congestion: max {c.max_ratio:.2f}, {100 * c.overflow_share:.1f} % of gcells over 1, "
                    f"overflow {c.overflow}", fontsize=9)
    fixed = np.flatnonzero(~problem.movable & (problem.width > 0) & (problem.height > 0))
    for axes in (left, right):
        for m in fixed:
            axes.add_patch(Rectangle((problem.x[m], problem.y[m]), problem.width[m], problem.height[m],
                                     fill=False, ec="#2E6B3A", lw=1.0))
        axes.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, ec="black", lw=0.8))
        axes.set_xlim(x0 - 2, x1 + 2)
        axes.set_ylim(y0 - 2, y1 + 2)
        axes.set_aspect("equal")
        axes.set_xlabel("um")
    fig.suptitle(title, fontsize=10)
    with matplotlib.rc_context({"svg.hashsalt": "tapeout", "svg.fonttype": "none"}):
        for path in paths:
            fig.savefig(path, metadata={"Date": None} if str(path).endswith(".svg") else {"Software": None})
