"""Package floorplan picture (SVG and PNG): interposer, dies, HBM stacks, reticle, to scale."""

from __future__ import annotations

from pathlib import Path

from .die import RETICLE_HEIGHT_MM, RETICLE_WIDTH_MM
from .interposer import PackageLayout

_COLOURS = {"interposer": "#d8d2c4", "die": "#4a78b5", "hbm": "#c9803a"}


def _reticle_outline(die) -> tuple[float, float, float, float]:
    """Reticle field centred on ``die``, long side along the die's long side."""
    if die.width_mm > die.height_mm:
        w, h = RETICLE_HEIGHT_MM, RETICLE_WIDTH_MM
    else:
        w, h = RETICLE_WIDTH_MM, RETICLE_HEIGHT_MM
    cx, cy = die.x_mm + die.width_mm / 2, die.y_mm + die.height_mm / 2
    return cx - w / 2, cy - h / 2, w, h


def draw_package(layout: PackageLayout, svg_path: str | Path, png_path: str | Path, *,
                 die_labels: list[str], hbm_label: str = "", title: str = "") -> int:
    """Draw ``layout`` to ``svg_path`` and ``png_path``.

    Every rectangle is an SVG group with an id: ``interposer`` (when there is
    one), ``reticle``, ``die-<i>``, ``hbm-<i>``. Output is deterministic.

    Parameters
    ----------
    layout : PackageLayout
    svg_path, png_path : path
    die_labels : list of str
        One label per die.
    hbm_label : str
        Label written on every HBM stack.
    title : str

    Returns
    -------
    int
        Number of rectangles drawn.
    """
    import matplotlib  # imported here: the CLI starts without loading matplotlib
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    dies = [p for p in layout.placements if p.kind == "die"]
    if len(die_labels) != len(dies):
        raise ValueError(f"die_labels must have one label per die ({len(dies)}), "
                         f"not {len(die_labels)}")
    with matplotlib.rc_context({"svg.hashsalt": "tapeout-package", "svg.fonttype": "none"}):
        fig = Figure(figsize=(8, 6), dpi=100)
        ax = fig.add_subplot()
        rects = []
        if layout.interposer.has_interposer:
            rects.append(("interposer", Rectangle((0, 0), layout.width_mm, layout.height_mm,
                                                  facecolor=_COLOURS["interposer"],
                                                  edgecolor="black", linewidth=1.0)))
        x, y, w, h = _reticle_outline(dies[0])
        rects.append(("reticle", Rectangle((x, y), w, h, fill=False, edgecolor="#b03030",
                                           linestyle="--", linewidth=1.0, zorder=3)))
        for p in layout.placements:
            rects.append((f"{p.kind}-{p.index}",
                          Rectangle((p.x_mm, p.y_mm), p.width_mm, p.height_mm,
                                    facecolor=_COLOURS[p.kind], edgecolor="black",
                                    linewidth=0.6, zorder=2)))
            label = die_labels[p.index] if p.kind == "die" else hbm_label
            ax.text(p.x_mm + p.width_mm / 2, p.y_mm + p.height_mm / 2, label, ha="center",
                    va="center", fontsize=7, color="white", zorder=4)
        for gid, patch in rects:
            patch.set_gid(gid)
            ax.add_patch(patch)
        ax.text(x, y + h, "reticle 26 x 33 mm", color="#b03030", fontsize=7,
                ha="left", va="bottom", zorder=4)
        xs = [0.0, layout.width_mm, x, x + w]
        ys = [0.0, layout.height_mm, y, y + h]
        pad = 2.0
        ax.set_xlim(min(xs) - pad, max(xs) + pad)
        ax.set_ylim(min(ys) - pad, max(ys) + pad)
        ax.set_aspect("equal")
        ax.set_xlabel("mm")
        ax.set_ylabel("mm")
        if title:
            ax.set_title(title, fontsize=9)
        fig.tight_layout()
        fig.savefig(svg_path, format="svg", metadata={"Date": None})
        fig.savefig(png_path, format="png", metadata={"Software": None})
    return len(rects)
