"""Entry point of the packaging stage: evaluate, write reports and picture, return metrics."""

from __future__ import annotations

import json
from pathlib import Path

from .evaluate import evaluate_package
from .picture import draw_package
from .report import render_markdown, result_to_json
from .spec import PackageSpec, TileFigures

OUTPUT_FILES = ("package.json", "package_report.md", "package.svg", "package.png")
"""Files :func:`run_package` writes into its output directory."""


def run_package(spec: PackageSpec, tile: TileFigures, out_dir: str | Path, tile_source: str = "",
                draw: bool = True) -> dict:
    """Model the package of ``spec`` built from ``tile``; write :data:`OUTPUT_FILES` (without the two
    pictures when ``draw`` is false).

    Parameters
    ----------
    spec : PackageSpec
        The ``[package]`` section.
    tile : TileFigures
        The signed-off tensor tile (area um2, Fmax MHz, power mW, node, MACs).
    out_dir : path
        Directory for the outputs (created if missing).
    tile_source : str
        Where the tile's figures come from, for the reports.
    draw : bool
        Draw ``package.svg`` and ``package.png`` (most of the function's time).

    Returns
    -------
    dict
        ``package__*`` metrics (see :meth:`PackageResult.metrics`).
    """
    result = evaluate_package(spec, tile)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "package.json").write_text(json.dumps({**result_to_json(result), "tile_source": tile_source},
                                                 indent=2) + "\n")
    (out / "package_report.md").write_text(render_markdown(result))
    if draw:
        _draw(spec, result, out)
    return result.metrics()


def _draw(spec: PackageSpec, result, out: Path) -> None:
    die = result.die
    labels = [f"die {i}\n{die.area_mm2:.0f} mm2\n{die.tiles:,} tiles" for i in range(spec.dies)]
    memory = result.memory
    draw_package(result.layout, out / "package.svg", out / "package.png", die_labels=labels,
                 hbm_label=f"{memory.generation.name}\n{memory.stack_capacity_gb:g} GB",
                 title=f"{spec.dies} x {die.area_mm2:.0f} mm2 at {spec.node} ({result.node.name} class), "
                       f"{memory.stacks} x {memory.generation.name} on {result.layout.interposer.name}")
