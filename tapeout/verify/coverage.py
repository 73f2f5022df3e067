"""Functional coverage: the bins every block's testbench must hit, sampled with cocotb-coverage.

Every cover point is a set of named bins (:data:`COVER_POINTS`); a testbench calls
:func:`sample` with the bins an event hits. Each simulation exports cocotb-coverage's
database to YAML (:func:`export`); :func:`merge` adds the hit counts of several runs
and :func:`write_report` lists every bin with its hits and the covered ratio.

Bins per block:

- GEMM shapes on the array, including ragged folds (an edge tile zero-padded), K
  below the array height (the operand stream must stall) and multi-tile GEMMs;
- signed corner operands (-128, 127, -1, 0 products) and accumulator wraparound;
- crossbar contention (``k`` inputs waiting for one output in one clock, up to all
  of them), every source -> destination route, every packet length;
- backpressure (``valid`` high, ``ready`` low) on every stream interface;
- tile buffer same-address read/write, partial (byte-lane) writes, read hold,
  write-one-bank-while-reading-the-other (ping-pong);
- tensor tile commands, and a LOAD issued while a COMPUTE runs (ping-pong while busy).
"""

import json
import os
from pathlib import Path

from .blocks import BLOCKS

OS_SHAPES = ("single_tile", "multi_tile", "ragged_m", "ragged_n", "k_1", "k_below_rows",
             "k_at_least_rows")
WS_SHAPES = ("single_tile", "multi_tile", "ragged_k", "ragged_n", "m_1", "m_above_rows")
CORNERS = ("min*min", "min*max", "max*max", "neg*neg", "zero", "acc_wrap")


def _crossbar_points(ports):
    return {
        "crossbar.contention": tuple(str(k) for k in range(1, ports + 1)),
        "crossbar.route": tuple(f"{s}->{d}" for s in range(ports) for d in range(ports)),
        "crossbar.packet_length": ("1", "2", "3", "4+"),
        "crossbar.backpressure": tuple(f"in{p}" for p in range(ports))
        + tuple(f"out{p}" for p in range(ports)),
    }


def _tile_points(links, banks):
    return {
        "tensor_tile.command": ("load_a", "load_b", "compute", "discarded", "forward"),
        "tensor_tile.pingpong": ("load_other_bank_while_busy", "load_same_bank_while_busy",
                                 "compute_while_busy"),
        "tensor_tile.k": ("k_1", "k_mid", "k_full"),
        "tensor_tile.bank": tuple(f"compute{b}" for b in range(banks)),
        "tensor_tile.backpressure": tuple(f"link_in{p}" for p in range(links))
        + tuple(f"link_out{p}" for p in range(links)),
    }


def block_points(block, params):
    """``{cover point: bin names}`` of ``block``'s testbench run with ``params``: the bins that depend
    on the parameters (crossbar ports and routes, buffer addresses, the tile's links and banks) scale
    with them."""
    if block in ("systolic_array", "systolic_array_ws"):
        shapes = OS_SHAPES if params["dataflow"] == "os" else WS_SHAPES
        sides = ("operands", "results") if params["dataflow"] == "os" else ("weights", "activations", "results")
        return {f"{block}.shape": shapes, f"{block}.corners": CORNERS, f"{block}.backpressure": sides}
    if block == "tile_buffer":
        return {"tile_buffer.events": ("same_address_read_write", "partial_write", "full_write", "read_hold",
                                       "pingpong_write_read"),
                "tile_buffer.read_address": tuple(f"bank{b}@{a}" for b in range(params["banks"])
                                                  for a in range(params["depth"]))}
    if block == "crossbar":
        return _crossbar_points(params["ports"])
    if block == "tensor_tile":
        return _tile_points(params["ports"] - 1, params["banks"])
    raise ValueError(f"block must be one of {', '.join(map(repr, BLOCKS))}, not {block!r}")


COVER_POINTS = {point: bins for block in BLOCKS.values()
                for point, bins in block_points(block.name, block.params).items()}
"""``{cover point: bin names}``: the coverage goal of the unit benches (100% of these bins)."""


def active_points():
    """The cover points of the running testbench (its block and parameters, from the bench
    configuration), or :data:`COVER_POINTS` outside a testbench."""
    from .bench import CONFIG_ENV, load_config
    if CONFIG_ENV not in os.environ:
        return COVER_POINTS
    config = load_config()
    if config["block"] not in BLOCKS:
        return COVER_POINTS
    return block_points(config["block"], config["params"])


def _define(name, bins):
    from cocotb_coverage.coverage import CoverPoint

    @CoverPoint(name, xf=lambda hits: hits, rel=lambda hits, bin_: bin_ in hits,
                bins=list(bins), inj=False)
    def sampler(hits):
        return None
    return sampler


_SAMPLERS = {}


def sample(point, *hits):
    """Record that an event hit the bins ``hits`` of cover point ``point``."""
    points = active_points()
    if point not in points:
        raise ValueError(f"point must be one of the cover points, not {point!r}")
    unknown = set(hits) - set(points[point])
    if unknown:
        raise ValueError(f"{point}: no bin named {sorted(unknown)[0]!r}")
    if point not in _SAMPLERS:
        for name, bins in points.items():
            _SAMPLERS.setdefault(name, _define(name, bins))
    _SAMPLERS[point](frozenset(hits))


def export(path):
    """Write this process's hit counts ``{point: {bin: hits}}`` as YAML (via cocotb-coverage)."""
    from cocotb_coverage.coverage import coverage_db
    for name, bins in active_points().items():
        _SAMPLERS.setdefault(name, _define(name, bins))
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    coverage_db.export_to_yaml(str(path))


def merge(paths, points=None):
    """Add the hit counts of the YAML files in ``paths``; every bin of ``points`` (default
    :data:`COVER_POINTS`) is present.

    Returns
    -------
    dict
        ``{point: {bin: hits}}``.
    """
    import yaml
    merged = {point: {bin_: 0 for bin_ in bins} for point, bins in (points or COVER_POINTS).items()}
    for path in paths:
        data = yaml.safe_load(Path(path).read_text()) or {}
        for point, entry in data.items():
            for bin_, hits in (entry.get("bins:_hits") or {}).items():
                if point in merged and bin_ in merged[point]:
                    merged[point][bin_] += int(hits)
    return merged


def ratio(merged, points=None):
    """Fraction of bins (of ``points``, default all) hit at least once."""
    points = list(merged) if points is None else points
    bins = [hits for point in points for hits in merged[point].values()]
    return sum(1 for hits in bins if hits > 0) / len(bins) if bins else 1.0


def write_report(merged, out_dir):
    """Write ``coverage.txt`` (every bin, its hits, the covered ratio) and ``coverage.json``.

    Returns
    -------
    dict
        ``{"txt": Path, "json": Path, "ratio": float}``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    total = ratio(merged)
    lines = [f"functional coverage: {100 * total:.1f}% of "
             f"{sum(len(b) for b in merged.values())} bins"]
    for point, bins in merged.items():
        lines.append(f"{point}: {100 * ratio(merged, [point]):.0f}%")
        for bin_, hits in bins.items():
            lines.append(f"  {'HIT ' if hits else 'MISS'} {bin_:<32} {hits}")
    txt, js = out_dir / "coverage.txt", out_dir / "coverage.json"
    txt.write_text("\n".join(lines) + "\n")
    js.write_text(json.dumps({"ratio": total, "points": merged}, indent=2) + "\n")
    return {"txt": txt, "json": js, "ratio": total}
