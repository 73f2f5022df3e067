"""The layout picture rendered from the GDS itself by KLayout (no display needed)."""

from __future__ import annotations

from pathlib import Path


def render(gds_path: Path, png_path: Path, layer_properties: Path | None = None, width: int = 1400) -> None:
    """Draw `gds_path` (all hierarchy levels, fitted) into `png_path`, coloured by `layer_properties`
    (a KLayout .lyp, e.g. the PDK's) when given."""
    import klayout.db as db
    import klayout.lay as lay

    view = lay.LayoutView()
    view.load_layout(str(gds_path))
    if layer_properties is not None and Path(layer_properties).is_file():
        view.load_layer_props(str(layer_properties))
    else:
        _outline_only(view)
    view.max_hier()
    view.zoom_fit()
    box = view.box()
    height = max(200, int(width * box.height() / max(box.width(), 1e-9)))
    view.save_image(str(png_path), width, min(height, 2 * width))
    del db


def _outline_only(view) -> None:
    """Without layer properties, draw the cell-outline layer (235/4) hollow so it does not hide the cells."""
    it = view.begin_layers()
    while not it.at_end():
        node = it.current()
        if node.source_layer == 235 and node.source_datatype == 4:
            node.dither_pattern = 1  # hollow
            view.set_layer_properties(it, node)
        it.next()
