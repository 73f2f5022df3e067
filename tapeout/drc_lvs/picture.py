"""The layout with its DRC markers drawn: KLayout renders the GDS and a marker layer on top, each
marker box widened to at least 1/150 of the layout so that it shows at full-chip scale."""

from __future__ import annotations

from pathlib import Path

MARKER_LAYER = (1000, 0)
"""A GDS layer no technology here uses, for the markers (only in the picture, never in the GDS file)."""


def render_markers(gds_path: Path, png_path: Path, boxes_um, layer_properties: Path | None = None,
                   width: int = 1400) -> None:
    """Draw `gds_path` with `boxes_um` ((x0, y0, x1, y1) in um) outlined in red into `png_path`."""
    import klayout.db as db
    import klayout.lay as lay

    view = lay.LayoutView()
    view.load_layout(str(gds_path))
    if layer_properties is not None and Path(layer_properties).is_file():
        view.load_layer_props(str(layer_properties))
    layout = view.cellview(0).layout()
    top = view.cellview(0).cell
    chip = top.dbbox()
    least = max(chip.width(), chip.height()) / 150
    markers = layout.layer(*MARKER_LAYER)
    for x0, y0, x1, y1 in boxes_um:
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        half_w, half_h = max(x1 - x0, least) / 2, max(y1 - y0, least) / 2
        top.shapes(markers).insert(db.DBox(cx - half_w, cy - half_h, cx + half_w, cy + half_h))
    props = lay.LayerPropertiesNode()
    props.source = f"{MARKER_LAYER[0]}/{MARKER_LAYER[1]}@1"
    props.name = "DRC markers"
    props.frame_color = props.fill_color = 0xFF0000
    props.dither_pattern = 1  # hollow
    props.width = 3
    view.insert_layer(view.end_layers(), props)
    view.max_hier()
    view.zoom_fit()
    box = view.box()
    height = max(200, int(width * box.height() / max(box.width(), 1e-9)))
    view.save_image(str(png_path), width, min(height, 2 * width))
