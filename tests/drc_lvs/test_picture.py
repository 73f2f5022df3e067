"""The DRC picture: the layout with its markers outlined in red."""

import pytest

from tapeout.drc_lvs.picture import render_markers
from tests.drc_lvs.two_nets import write_two_nets

pytest.importorskip("klayout.lay")


def red_pixels(path):
    import matplotlib.image as mpimg

    image = mpimg.imread(str(path))
    return int(((image[..., 0] > 0.9) & (image[..., 1] < 0.2) & (image[..., 2] < 0.2)).sum())


def test_markers_are_drawn_red(tmp_path):
    write_two_nets(tmp_path / "t.gds")
    render_markers(tmp_path / "t.gds", tmp_path / "clean.png", [], width=400)
    render_markers(tmp_path / "t.gds", tmp_path / "marked.png", [(3.0, -0.1, 4.0, 0.0)], width=400)
    assert red_pixels(tmp_path / "clean.png") == 0
    assert red_pixels(tmp_path / "marked.png") > 50
