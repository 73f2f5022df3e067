"""Stream a DEF out to GDSII with KLayout (`klayout.db`): every standard cell's layout merged from
the library's GDS, macros without a layout written as black boxes (their LEF abstract: pins and
obstructions, labelled `BLACKBOX <macro>` on the text layer 83/44), no timestamps (same input, same
bytes). Lengths in um.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tapeout.errors import TapeoutError

TEXT_LAYER = (83, 44)  # SKY130 text.drawing


class GdsError(TapeoutError):
    """A DEF that cannot be streamed out (an unknown macro, an unreadable file)."""


@dataclass
class GdsSummary:
    top: str
    instances: int
    cells: int
    layers: list[tuple[int, int]]
    black_boxes: list[str] = field(default_factory=list)
    die_um: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)

    def metrics(self) -> dict:
        return {"gds__instances__count": self.instances, "gds__cells__count": self.cells,
                "gds__layers__count": len(self.layers), "gds__black_boxes__count": len(self.black_boxes)}


def stream_out(def_path: Path, technology, out_path: Path, macro_lefs=()) -> GdsSummary:
    """Read `def_path` with the technology's LEFs (plus `macro_lefs`) and write `out_path` (GDSII)."""
    import klayout.db as db

    from tapeout.gds.layer_map import reader_options

    options = reader_options(technology)
    layout = db.Layout()
    with tempfile.TemporaryDirectory() as scratch:
        cfg = options.lefdef_config
        cfg.lef_files = [*cfg.lef_files, *(str(_abstract(p, Path(scratch))) for p in macro_lefs)]
        options.lefdef_config = cfg
        try:
            layout.read(str(def_path), options)
        except RuntimeError as exc:
            raise GdsError(f"{def_path}: KLayout cannot read it: {str(exc).splitlines()[0]}") from None
    top = layout.top_cell()
    masters = {layout.cell(inst.cell_index).name for inst in top.each_inst()}
    empty = sorted(name for name in masters if layout.cell(name).bbox().empty())
    if empty:
        raise GdsError(f"{def_path}: no LEF or GDS geometry for macro {empty[0]}"
                       + (f" (and {len(empty) - 1} more)" if len(empty) > 1 else ""))
    macro_names = {_macro_name(p) for p in macro_lefs}
    black_boxes = sorted(masters & macro_names)
    text = layout.layer(*TEXT_LAYER)
    for name in black_boxes:
        cell = layout.cell(name)
        box = cell.bbox()
        cell.shapes(text).insert(db.Text(f"BLACKBOX {name}", db.Trans(box.center())))
    save = db.SaveLayoutOptions()
    save.format = "GDS2"
    save.gds2_write_timestamps = False
    save.gds2_libname = top.name
    layout.write(str(out_path), save)
    die = top.dbbox()
    layers = sorted({(layout.get_info(li).layer, layout.get_info(li).datatype) for li in layout.layer_indexes()})
    return GdsSummary(top.name, sum(1 for _ in top.each_inst()), layout.cells(), layers, black_boxes,
                      (die.left, die.bottom, die.right, die.top))


def _abstract(lef: Path, scratch: Path) -> Path:
    """The macro LEF without its FOREIGN statement: there is no layout to refer to, so KLayout must
    take the LEF geometry (pins and obstructions) instead of looking the cell up in the library GDS."""
    text = Path(lef).read_text()
    kept = "".join(line for line in text.splitlines(keepends=True) if not line.split()[:1] == ["FOREIGN"])
    path = scratch / Path(lef).name
    path.write_text(kept)
    return path


def _macro_name(lef: Path) -> str:
    for line in Path(lef).read_text().splitlines():
        words = line.split()
        if len(words) >= 2 and words[0] == "MACRO":
            return words[1]
    return ""
