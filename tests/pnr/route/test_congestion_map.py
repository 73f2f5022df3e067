import numpy as np

from tapeout.pnr.route.congestion_map import plot_congestion, save_congestion_map
from tapeout.pnr.route.grid import RoutingGrid
from tapeout.pnr.route.negotiated import RoutingProblem, global_route
from tapeout.tech.layers import RoutingLayer


def _overflowing_result():
    grid = RoutingGrid((0, 0, 100, 100), 20, (RoutingLayer("m1", "HORIZONTAL", 20.0, 1.0), RoutingLayer("m2", "VERTICAL", 20.0, 1.0)))
    pins = np.array([[5, 45], [95, 45]] * 3, dtype=float)  # three nets on one row, one track per edge
    return global_route(RoutingProblem(grid, np.array([0, 2, 4, 6]), pins[:, 0], pins[:, 1]), max_iterations=0)


def test_png_and_svg_written_deterministically(tmp_path):
    result = _overflowing_result()
    png, svg = save_congestion_map(result, tmp_path / "a")
    assert open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    first = open(svg, "rb").read()
    assert b"<svg" in first
    _, svg2 = save_congestion_map(result, tmp_path / "b")
    assert open(svg2, "rb").read() == first


def test_overflowed_gcells_are_outlined():
    result = _overflowing_result()
    assert result.overflowed_gcells().sum() == 5  # the whole row
    figure = plot_congestion(result)
    axes = figure.axes[0]
    assert len(axes.lines) == 5
    assert "overflow 8 on 4 edges" in axes.get_title()
