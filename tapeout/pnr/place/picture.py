"""Picture of a placement: cells coloured by block, SRAM macros with halos, well taps, I/O pins and the
clock tree."""

from __future__ import annotations

from pathlib import Path

import numpy as np

BLOCK_COLOURS = {"array": "#4C72B0", "buffer": "#55A868", "crossbar": "#C44E52", "other": "#8C8C8C"}
TAP_COLOUR = "#222222"


def block_of(name: str) -> str:
    """The tile block a flattened instance name belongs to ('array', 'buffer', 'crossbar' or 'other')."""
    for block in ("array", "buffer", "crossbar"):
        if f".{block}." in name or name.startswith(f"{block}.") or f"\\{block}." in name:
            return block
    return "other"


def draw_placement(paths: list[Path], plan, netlist, x, y, width, height, clock_tree=None,
                   title: str = "", markers=None) -> None:
    """Write the placement picture to each of `paths` (PNG or SVG by suffix).

    markers -- optional list of (x, y, label) drawn as red crosses (e.g. DRC violations)
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.collections import LineCollection, PatchCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, Rectangle

    die = plan.die
    fig = Figure(figsize=(8, 8 * (die[3] - die[1]) / max(die[2] - die[0], 1e-9) + 0.6), dpi=110)
    ax = fig.add_subplot()
    ax.add_patch(Rectangle((die[0], die[1]), die[2] - die[0], die[3] - die[1], fill=False, lw=1.2, ec="black"))
    core = plan.core
    ax.add_patch(Rectangle((core[0], core[1]), core[2] - core[0], core[3] - core[1], fill=False, lw=0.6,
                           ec="grey", ls="--"))
    macro = netlist.cell_is_macro
    blocks = np.array([block_of(name) for name in netlist.cell_names])
    for block, colour in BLOCK_COLOURS.items():
        cells = np.flatnonzero((blocks == block) & ~macro)
        if len(cells):
            rects = [Rectangle((x[c], y[c]), width[c], height[c]) for c in cells]
            ax.add_collection(PatchCollection(rects, facecolor=colour, edgecolor="none", alpha=0.8))
    for m in plan.macros:
        h = plan.halo
        ax.add_patch(Rectangle((m.x - h, m.y - h), m.width + 2 * h, m.height + 2 * h, fill=False, ec="#55A868",
                               ls=":", lw=0.8))
        ax.add_patch(Rectangle((m.x, m.y), m.width, m.height, fc="#DDEEDD", ec="#2E6B3A", lw=1.0))
        ax.text(m.x + m.width / 2, m.y + m.height / 2, m.name.split(".")[-1].lstrip("\\") + "\n"
                + netlist.type_names[netlist.cell_type[m.cell]], ha="center", va="center", fontsize=7)
    taps = plan.taps
    if taps:
        ax.add_collection(PatchCollection([Rectangle((t.x, t.y), plan.tap_width, plan.row_height) for t in taps],
                                          facecolor=TAP_COLOUR, edgecolor="none"))
    if plan.pins:
        ax.scatter([p.x for p in plan.pins], [p.y for p in plan.pins], s=1.5, c="black", marker="s", lw=0)
    if clock_tree is not None:
        parent = clock_tree.parent
        child = np.flatnonzero(parent >= 0)
        segs = np.stack([np.column_stack([clock_tree.node_x_um[child], clock_tree.node_y_um[child]]),
                         np.column_stack([clock_tree.node_x_um[parent[child]], clock_tree.node_y_um[parent[child]]])],
                        axis=1)
        ax.add_collection(LineCollection(segs, colors="#E69F00", linewidths=0.4))
        ax.scatter(clock_tree.buffer_x_um, clock_tree.buffer_y_um, s=6, c="#E69F00", marker="^", lw=0)
    if markers:
        ax.scatter([m[0] for m in markers], [m[1] for m in markers], s=30, c="red", marker="x", lw=1.2)
    handles = [Patch(color=c, label=b) for b, c in BLOCK_COLOURS.items()]
    handles.append(Patch(fc="#DDEEDD", ec="#2E6B3A", label="SRAM macro"))
    if taps:
        handles.append(Patch(color=TAP_COLOUR, label=f"well tap ({len(taps):,})"))
    if clock_tree is not None:
        handles.append(Patch(color="#E69F00", label="clock tree"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=len(handles), fontsize=7,
              frameon=False)
    ax.set_xlim(die[0] - 2, die[2] + 2)
    ax.set_ylim(die[1] - 2, die[3] + 2)
    ax.set_aspect("equal")
    ax.set_xlabel("um")
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    with matplotlib.rc_context({"svg.hashsalt": "tapeout", "svg.fonttype": "none"}):
        for path in paths:
            fig.savefig(path, metadata={"Date": None} if str(path).endswith(".svg") else None)
