"""The `cts` flow stage: a balanced buffered clock tree per clock net of the placed design, put into the
netlist (library clock buffers, one net per buffer), the buffers placed on legal sites; writes the
placed design every later stage reads, with the tree's latency, skew, buffers and wirelength."""

from __future__ import annotations

import json

import numpy as np

from tapeout.flow.stage import Artifact, Picture, StageContext
from tapeout.pnr.physical_stage import PhysicalStage
from tapeout.pnr.resize.stage import PLACED_DESIGN

CTS_JSON = Artifact("cts", "cts.json", "json", "per clock net: sinks, buffers, model latency and skew (ns), "
                    "wirelength (um); the inserted buffer instances")
CLOCK_TREE_NPZ = Artifact("cts", "clock_tree.npz", "npz", "tree nodes x, y (um) and parents, format 'clock_tree' v2")
CTS_PNG = Artifact("cts", "clock_tree.png", "png", "the placement with the clock tree")
CTS_SVG = Artifact("cts", "clock_tree.svg", "svg", "the same, zoomable")
CTS_NETLIST_JSON = Artifact("cts", "{top}.json", "yosys-json", "the netlist with the clock buffers")
CTS_V = Artifact("cts", "{top}.v", "verilog", "the same as structural Verilog")
CTS_MEMORIES = Artifact("cts", "memories.json", "json", "SRAM macros of the netlist (as synthesised)")
CTS_FLOORPLAN = Artifact("cts", "floorplan.json", "json", "the floorplan (as placed)")
CTS_PLACEMENT = Artifact("cts", "placement.npz", "npz", "cell positions with the clock buffers legalised (um)")
CTS_DEF = Artifact("cts", "{top}.def", "def", "the placed design with the clock tree (DEF 5.8)")

CTS_PLACED_DESIGN = (CTS_NETLIST_JSON, CTS_MEMORIES, CTS_FLOORPLAN, CTS_PLACEMENT)
"""The files `tapeout.pnr.place.placed_design.load_placed` reads: what routing and signoff start from."""


class CtsStage(PhysicalStage):
    name = "cts"
    title = "clock tree"
    summary = ("balanced buffered clock tree per clock net by recursive geometric clustering over every flop "
               "and SRAM clock pin; library clock buffers inserted into the netlist and legalised")
    reads = ("design.top", "technology.library", "technology.pdk_root")
    inputs = PLACED_DESIGN
    outputs = (*CTS_PLACED_DESIGN, CTS_V, CTS_DEF, CTS_JSON, CLOCK_TREE_NPZ, CTS_PNG, CTS_SVG)
    pictures = (Picture(CTS_PNG, "placement, macros and clock tree"),)
    key_metrics = ("cts__skew__ns", "cts__latency__ns", "cts__buffers__count")

    def run(self, ctx: StageContext) -> dict:
        from tapeout.errors import StageError
        from tapeout.netlist import write_verilog
        from tapeout.netlist.from_synth import load_synthesized
        from tapeout.pnr.cts.clock_tree import clock_buffer_cell, synthesize_clock_tree
        from tapeout.pnr.cts.insert import insert_clock_buffers, sinks_by_net
        from tapeout.pnr.floorplan.from_netlist import Footprints, clock_pins
        from tapeout.pnr.formats.arrays_file import save_arrays
        from tapeout.pnr.formats.def_writer import write_def
        from tapeout.pnr.formats.to_layout import placed_layout
        from tapeout.pnr.place.legality import check_legality
        from tapeout.pnr.place.legalize import legalize
        from tapeout.pnr.place.picture import draw_placement
        from tapeout.pnr.place.placed_design import load_placed, save_placement
        from tapeout.tech.technology import technology_of

        config, top = ctx.config, ctx.top
        ctx.progress(None, "loading the placed design")
        source = ctx.input_dirs["resize"]
        technology = technology_of(config)
        placed = load_placed(source, top, technology)
        netlist = placed.netlist
        pin_x, pin_y = placed.pin_xy
        library = technology.library()
        buffer_cell = clock_buffer_cell(library, technology.clock_buffer)
        buffer = library[buffer_cell]
        groups = sinks_by_net(netlist, clock_pins(netlist))
        ctx.progress(None, f"clock trees over {len(groups)} clock nets")
        trees = [(sinks, synthesize_clock_tree(netlist, sinks, pin_x, pin_y, library, buffer_cell=buffer_cell,
                                                        stack=technology.metal_stack))
                 for _, sinks in groups]
        data = json.loads(ctx.path(PLACED_DESIGN[0]).read_text())
        data, inserted = insert_clock_buffers(data, top, netlist, trees, buffer_cell, buffer.inputs[0].name,
                                              buffer.outputs[0].name)
        ctx.path(CTS_NETLIST_JSON).write_text(json.dumps(data))
        ctx.path(CTS_MEMORIES).write_bytes((source / "memories.json").read_bytes())

        ctx.progress(None, "placing the clock buffers")
        buffered = load_synthesized(ctx.out_dir, top, library)
        plan = json.loads((source / "floorplan.json").read_text())
        shift = buffered.first_port_pin - netlist.first_port_pin  # port pins follow the new buffers' pins
        for spot in plan["pins"]:
            spot["pin"] += shift
        ctx.path(CTS_FLOORPLAN).write_text(json.dumps(plan, indent=1) + "\n")
        n_old, n_new = netlist.num_cells, buffered.num_cells
        width, _ = Footprints.of(buffered, technology).size(buffered)
        x = np.concatenate([placed.x[:n_old], np.zeros(n_new - n_old), placed.x[n_old:]])
        y = np.concatenate([placed.y[:n_old], np.zeros(n_new - n_old), placed.y[n_old:]])
        for k, b in enumerate(inserted):
            tree = trees[b.tree][1]
            x[n_old + k] = tree.node_x_um[b.node] - width[n_old + k] / 2
            y[n_old + k] = tree.node_y_um[b.node] - placed.plan.row_height / 2
        save_placement(ctx.path(CTS_PLACEMENT), x, y)
        moved = load_placed(ctx.out_dir, top, technology)
        x, y = legalize(moved.problem, x, y)
        violations = check_legality(moved.problem, x, y)
        if violations:
            raise StageError(f"placement is not legal after inserting the clock tree: {len(violations)} "
                             f"violations, first: {violations[0]}")
        save_placement(ctx.path(CTS_PLACEMENT), x, y)
        write_verilog(buffered, ctx.path(CTS_V))
        write_def(placed_layout(buffered, moved.plan, x[:n_new], y[:n_new], technology.site.name), ctx.path(CTS_DEF))
        displacement = np.abs(x - np.concatenate([placed.x[:n_old], x[n_old:n_new], placed.x[n_old:]])).sum() \
            + np.abs(y - np.concatenate([placed.y[:n_old], y[n_old:n_new], placed.y[n_old:]])).sum()

        summary = {"buffer_cell": buffer_cell, "nets": [], "buffers": [b.name for b in inserted]}
        for (net, sinks), (_, tree) in zip(groups, trees):
            summary["nets"].append({"net": netlist.net_names[net], "sinks": len(sinks), "buffers": tree.buffer_count,
                                    "latency_ns": tree.latency_ns, "skew_ns": tree.skew_ns,
                                    "wirelength_um": tree.wirelength_um})
            ctx.log(f"clock net {netlist.net_names[net]}: {len(sinks)} sinks, {tree.buffer_count} buffers, "
                    f"model latency {tree.latency_ns:.3f} ns, skew {tree.skew_ns:.3f} ns")
        ctx.log(f"{len(inserted)} {buffer_cell} legalised; other cells moved {displacement:.1f} um in all")
        ctx.path(CTS_JSON).write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n")
        save_arrays(ctx.path(CLOCK_TREE_NPZ), "clock_tree", 2,
                    **_tree_arrays([t for _, t in trees], [s for s, _ in trees]))
        metrics = {"cts__sinks__count": int(sum(len(s) for _, s in groups)), "cts__buffers__count": len(inserted),
                   "cts__clock_nets__count": len(groups),
                   "cts__wirelength__um": round(float(sum(t.wirelength_um for _, t in trees)), 1),
                   "cts__displacement__um": round(float(displacement), 1)}
        if trees:
            metrics["cts__latency__ns"] = round(max(t.latency_ns for _, t in trees), 5)
            metrics["cts__skew__ns"] = round(max(t.skew_ns for _, t in trees), 5)
        ctx.progress(0.9, "picture")
        drawn = _placed_tree([t for _, t in trees], x, y, width, n_old, inserted, placed.plan.row_height)
        draw_placement([ctx.path(CTS_PNG), ctx.path(CTS_SVG)], moved.plan, buffered, x, y, moved.problem.width,
                       moved.problem.height, drawn,
                       title=f"{config.name}: clock tree, {metrics['cts__sinks__count']:,} sinks, "
                             f"{len(inserted)} buffers")
        return metrics


def _tree_arrays(trees, sinks) -> dict:
    """All trees as one forest: node x, y, parent (global index), tree of each node, sink pins."""
    xs, ys, parents, owner, offset = [], [], [], [], 0
    for t, tree in enumerate(trees):
        xs.append(tree.node_x_um)
        ys.append(tree.node_y_um)
        parents.append(np.where(tree.parent >= 0, tree.parent + offset, -1))
        owner.append(np.full(len(tree.parent), t))
        offset += len(tree.parent)

    def cat(parts, dtype):
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)

    return {"x": cat(xs, float), "y": cat(ys, float), "parent": cat(parents, np.int64), "tree": cat(owner, np.int64),
            "sink_pins": cat([np.asarray(s) for s in sinks], np.int64)}


def _placed_tree(trees, x, y, width, first_buffer, inserted, row_height):
    """The trees with each buffer at its legalised centre, for the picture (None without a tree)."""
    from dataclasses import replace

    if not trees:
        return None
    moved = [t.node_x_um.copy() for t in trees], [t.node_y_um.copy() for t in trees]
    for k, b in enumerate(inserted):
        moved[0][b.tree][b.node] = x[first_buffer + k] + width[first_buffer + k] / 2
        moved[1][b.tree][b.node] = y[first_buffer + k] + row_height / 2
    forest = [replace(t, node_x_um=mx, node_y_um=my) for t, mx, my in zip(trees, *moved)]
    if len(forest) == 1:
        return forest[0]
    arrays = _tree_arrays(forest, [np.zeros(0)] * len(forest))
    first = forest[0]
    return replace(first, node_x_um=arrays["x"], node_y_um=arrays["y"], parent=arrays["parent"],
                   level=np.concatenate([t.level for t in forest]),
                   arrival_ns=np.concatenate([t.arrival_ns for t in forest]),
                   n_sinks=0, wirelength_um=sum(t.wirelength_um for t in forest))
