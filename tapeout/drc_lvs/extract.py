"""Connectivity extracted from a GDS with KLayout's `LayoutToNetlist`: the metal layers (drawing and
pin shapes), the cuts between them, and standard cells as black boxes whose pins are their labelled
metal shapes.

Every instance of the top cell that carries a name (GDS property 1, the DEF component name KLayout
writes) contributes a terminal ``instance/pin`` for each pin label (`<metal>.label`) in its layout,
placed where the label is; the top cell's own labels are the chip's I/O pins (terminal ``/pin``).
The extraction is flat: a cell's metal takes part like any wire (a wire touching a cell's internal
metal is joined to it), its transistors do not (a cell's pins are not joined through the cell).
"""

from __future__ import annotations

from dataclasses import dataclass

from tapeout.drc_lvs.rules import Layer

NAME_PROPERTY = 1
"""GDS property attribute holding an instance's name (KLayout's DEF reader: `inst-property-name` #1)."""


@dataclass(frozen=True)
class MetalLayer:
    """A routing layer for extraction: its metal (drawing and pin shapes) and its label layer."""

    metal: Layer
    label: tuple[int, int]


@dataclass(frozen=True)
class CutLayer:
    """A cut joining metal `below` to metal `above` (names of `MetalLayer`s)."""

    cut: Layer
    below: str
    above: str


@dataclass
class Extraction:
    """Extracted nets as sets of terminal names (``inst/pin`` or ``/port``), with counts."""

    nets: list[set[str]]
    instances: int
    terminals: int


def extract(layout, cell, metals, cuts) -> Extraction:
    """Nets of `cell` in `layout` (a klayout.db.Layout, changed: terminal labels are added to it)."""
    import klayout.db as db

    text_layers = {m.metal.name: layout.layer() for m in metals}
    instances = terminals = 0
    labels_of = {}
    for inst in cell.each_inst():
        name = inst.property(NAME_PROPERTY)
        if name is None:
            continue
        instances += 1
        master = inst.cell_index
        if master not in labels_of:
            labels_of[master] = _labels(layout, layout.cell(master), metals)
        for metal, text, point in labels_of[master]:
            cell.shapes(text_layers[metal]).insert(db.Text(f"{name}/{text}", inst.trans * db.Trans(point)))
            terminals += 1
    for metal in metals:
        index = layout.find_layer(*metal.label)
        if index is None:
            continue
        for shape in cell.shapes(index).each():
            if shape.is_text():
                cell.shapes(text_layers[metal.metal.name]).insert(
                    db.Text(f"/{shape.text_string}", db.Trans(shape.text_trans.disp)))
                terminals += 1

    l2n = db.LayoutToNetlist(db.RecursiveShapeIterator(layout, cell, []))
    regions, texts = {}, []
    for metal in metals:
        parts = [l2n.make_layer(index, f"{metal.metal.name}_{n}") for n, index in
                 enumerate(_indexes(layout, metal.metal))]
        for part in parts:
            l2n.connect(part)
        for a, b in zip(parts, parts[1:]):
            l2n.connect(a, b)
        text = l2n.make_text_layer(text_layers[metal.metal.name], f"{metal.metal.name}_terminals")
        for part in parts:
            l2n.connect(part, text)
        regions[metal.metal.name] = parts
        texts.append(l2n.layer_index(text))
    for cut in cuts:
        for n, index in enumerate(_indexes(layout, cut.cut)):
            region = l2n.make_layer(index, f"{cut.cut.name}_{n}")
            l2n.connect(region)
            for metal in (cut.below, cut.above):
                for part in regions.get(metal, ()):
                    l2n.connect(region, part)
    l2n.extract_netlist()
    nets = []
    circuit = l2n.netlist().top_circuit()
    for net in circuit.each_net():
        if not net.name:
            continue
        names = {t.string for index in texts for t in l2n.texts_of_net(net, index, True).each()}
        if names:
            nets.append(names)
    return Extraction(nets, instances, terminals)


def _indexes(layout, layer: Layer) -> list[int]:
    found = (layout.find_layer(*gds) for gds in (layer.gds, *layer.also))
    return [index for index in found if index is not None]


def _labels(layout, master, metals):
    """(metal name, text, point in the master's coordinates) of every pin label in `master`."""
    found = []
    for metal in metals:
        index = layout.find_layer(*metal.label)
        if index is None:
            continue
        it = master.begin_shapes_rec(index)
        while not it.at_end():
            shape = it.shape()
            if shape.is_text():
                found.append((metal.metal.name, shape.text_string, (it.trans() * shape.text_trans).disp))
            it.next()
    return found
