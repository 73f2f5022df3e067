"""Electrical and routing rule checks: max fanout, max transition, max capacitance,
routing overflow; each violation with a location (um). Placement legality is
:mod:`tapeout.pnr`'s business."""

from dataclasses import dataclass

import numpy as np

__all__ = ["Violation", "check_drc", "write_drc_report", "plot_drc"]


@dataclass(frozen=True)
class Violation:
    """``kind`` is max_fanout, max_transition, max_capacitance or routing_overflow."""

    kind: str
    name: str
    x_um: float
    y_um: float
    value: float
    limit: float

    def __str__(self):
        return (f"{self.kind:<17} {self.name:<30} at ({self.x_um:.2f}, {self.y_um:.2f}) um: "
                f"{self.value:.4g} > {self.limit:.4g}")


def check_drc(graph, pin_x_um, pin_y_um, max_fanout=None, pin_slew_ns=None, pin_load_pf=None,
              route=None):
    """Violations of the library limits and of routing capacity.

    Parameters
    ----------
    graph : TimingGraph
    pin_x_um, pin_y_um : array of float, shape (n_pins,)
        Pin positions (um), for locations.
    max_fanout : int, optional
        Largest number of sinks per net.
    pin_slew_ns, pin_load_pf : array of float, optional
        Slew per pin and load per driver pin (``TimingReport.pin_slew_ns``/``pin_load_pf``),
        checked against the pins' ``max_transition``/``max_capacitance``.
    route : RouteResult, optional
        Edges with more wires than tracks become routing_overflow violations at the
        edge's midpoint.
    """
    if max_fanout is not None and not (isinstance(max_fanout, int) and max_fanout > 0):
        raise ValueError(f"max_fanout must be a positive integer, not {max_fanout!r}")
    x, y = np.asarray(pin_x_um, dtype=float), np.asarray(pin_y_um, dtype=float)
    labels = graph.pin_labels()
    out = []
    if max_fanout is not None:
        fanout = np.diff(graph.net_ptr) - (graph.net_driver >= 0)
        for net in np.flatnonzero(fanout > max_fanout):
            d = graph.net_driver[net]
            px, py = (x[d], y[d]) if d >= 0 else (np.nan, np.nan)
            out.append(Violation("max_fanout", graph.net_names[net], px, py, int(fanout[net]),
                                 max_fanout))
    for kind, values, limits in (("max_transition", pin_slew_ns, graph.pin_max_transition_ns),
                                 ("max_capacitance", pin_load_pf, graph.pin_max_capacitance_pf)):
        if values is None:
            continue
        values = np.asarray(values, dtype=float)
        bad = np.isfinite(values) & (values > limits)
        if kind == "max_capacitance":
            bad &= graph.pin_is_driver
        for p in np.flatnonzero(bad):
            out.append(Violation(kind, labels[p], x[p], y[p], values[p], limits[p]))
    if route is not None:
        grid = route.grid
        for e in np.flatnonzero(route.usage > route.capacity):
            gx, gy, vertical = (int(v[0]) for v in grid.edge_gcells(np.array([e])))
            half_x = 0.5 * (grid.x_centers[min(gx + 1, grid.nx - 1)] - grid.x_centers[gx])
            half_y = 0.5 * (grid.y_centers[min(gy + 1, grid.ny - 1)] - grid.y_centers[gy])
            ex = grid.x_centers[gx] + (0 if vertical else half_x)
            ey = grid.y_centers[gy] + (half_y if vertical else 0)
            out.append(Violation("routing_overflow", f"edge {e}", float(ex), float(ey),
                                 int(route.usage[e]), int(route.capacity[e])))
    return out


def write_drc_report(violations, path):
    """One line per violation, grouped by kind, with a count per kind."""
    lines = []
    for kind in sorted({v.kind for v in violations}):
        chosen = [v for v in violations if v.kind == kind]
        lines.append(f"{kind}: {len(chosen)}")
        lines += [f"  {v}" for v in chosen]
    lines.append(f"total: {len(violations)}")
    with open(path, "w") as handle:
        handle.write("\n".join(lines) + "\n")


def plot_drc(violations, path, cell_boxes=(), die=None):
    """Cells as rectangles (``(x0, y0, x1, y1)`` um) and violations as markers, saved as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle

    fig, ax = plt.subplots(figsize=(6, 6), dpi=110)
    rects = [Rectangle((x0, y0), x1 - x0, y1 - y0) for x0, y0, x1, y1 in cell_boxes]
    ax.add_collection(PatchCollection(rects, facecolor="0.85", edgecolor="0.5", linewidth=0.3))
    markers = {"max_fanout": "s", "max_transition": "^", "max_capacitance": "o",
               "routing_overflow": "x"}
    for kind, marker in markers.items():
        pts = [(v.x_um, v.y_um) for v in violations if v.kind == kind]
        if pts:
            ax.scatter(*zip(*pts), marker=marker, s=30, label=f"{kind} ({len(pts)})")
    if die is not None:
        ax.set_xlim(die[0], die[2])
        ax.set_ylim(die[1], die[3])
    else:
        ax.autoscale()
    ax.set_aspect("equal")
    ax.set_xlabel("x (um)")
    ax.set_ylabel("y (um)")
    ax.set_title(f"DRC: {len(violations)} violations")
    if violations:
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
