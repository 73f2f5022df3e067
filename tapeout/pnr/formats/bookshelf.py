"""Bookshelf placement benchmarks (the ISPD 2005 contest format): read, place, write.

An ``.aux`` line ``RowBasedPlacement : a.nodes a.nets a.wts a.pl a.scl`` names the
files. ``.nodes`` lists ``name width height [terminal]``; ``.nets`` lists
``NetDegree : k [name]`` followed by k lines ``node I|O|B [: dx dy]`` with pin offsets
from the node's centre; ``.pl`` gives ``name x y : N [/FIXED]`` lower-left corners;
``.scl`` describes ``CoreRow`` blocks (Coordinate, Height, Sitewidth, SubrowOrigin,
NumSites). Lines starting with ``#`` and the ``UCLA`` header lines are skipped.
Lengths are taken as um. (Format: Nam, Alpert, Villarrubia, Winter, Yildiz, "The ISPD2005
placement contest and benchmark suite", ISPD 2005.)
"""

import os
from pathlib import Path

import numpy as np

from tapeout.errors import ConfigError
from tapeout.pnr.place.cost import hpwl
from tapeout.pnr.place.placer import place
from tapeout.pnr.place.problem import PlacementProblem

__all__ = ["read_bookshelf", "write_pl", "place_bookshelf"]


def _lines(path):
    """Yield (line number, fields) of the meaningful lines of a Bookshelf file."""
    try:
        text = Path(path).read_text()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read ({error.strerror})") from None
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("UCLA"):
            continue
        yield number, line.replace(":", " : ").split()


def _number(path, number, text, what):
    try:
        return float(text)
    except ValueError:
        raise ConfigError(f"{path}:{number}: {what} must be a number, not {text!r}") from None


def _read_aux(path):
    for number, fields in _lines(path):
        if ":" in fields:
            files = fields[fields.index(":") + 1:]
            by_suffix = {Path(f).suffix: Path(path).parent / f for f in files}
            missing = [s for s in (".nodes", ".nets", ".pl", ".scl") if s not in by_suffix]
            if missing:
                raise ConfigError(f"{path}:{number}: the aux line names no "
                                  f"{', '.join(missing)} file")
            return by_suffix
    raise ConfigError(f"{path}: no 'RowBasedPlacement : ...' line")


def _read_nodes(path):
    names, width, height, fixed = [], [], [], []
    for number, fields in _lines(path):
        if fields[0] in ("NumNodes", "NumTerminals"):
            continue
        if len(fields) < 3:
            raise ConfigError(f"{path}:{number}: expected 'name width height [terminal]'")
        names.append(fields[0])
        width.append(_number(path, number, fields[1], "width"))
        height.append(_number(path, number, fields[2], "height"))
        fixed.append(len(fields) > 3 and fields[3].startswith("terminal"))
    return names, np.array(width), np.array(height), np.array(fixed, dtype=bool)


def _read_nets(path, index, width, height):
    net_ptr, pin_cell, pin_dx, pin_dy, net_names = [0], [], [], [], []
    expected = 0
    for number, fields in _lines(path):
        if fields[0] in ("NumNets", "NumPins"):
            continue
        if fields[0] == "NetDegree":
            if expected:
                raise ConfigError(f"{path}:{number}: net {net_names[-1]} has fewer pins "
                                  f"than its NetDegree")
            expected = int(_number(path, number, fields[2], "NetDegree"))
            net_names.append(fields[3] if len(fields) > 3 else f"net{len(net_names)}")
            net_ptr.append(net_ptr[-1])
            continue
        if not expected:
            raise ConfigError(f"{path}:{number}: pin line outside a net")
        cell = index.get(fields[0])
        if cell is None:
            raise ConfigError(f"{path}:{number}: unknown node {fields[0]!r}")
        dx = dy = 0.0
        if ":" in fields and len(fields) >= fields.index(":") + 3:
            at = fields.index(":")
            dx = _number(path, number, fields[at + 1], "pin x offset")
            dy = _number(path, number, fields[at + 2], "pin y offset")
        pin_cell.append(cell)
        pin_dx.append(dx + width[cell] / 2)
        pin_dy.append(dy + height[cell] / 2)
        net_ptr[-1] += 1
        expected -= 1
    if expected:
        raise ConfigError(f"{path}: the last net has fewer pins than its NetDegree")
    return (np.array(net_ptr, dtype=np.int64), np.array(pin_cell, dtype=np.int64),
            np.array(pin_dx), np.array(pin_dy), net_names)


def _read_pl(path, index, x, y):
    for number, fields in _lines(path):
        cell = index.get(fields[0])
        if cell is None:
            raise ConfigError(f"{path}:{number}: unknown node {fields[0]!r}")
        if len(fields) < 3:
            raise ConfigError(f"{path}:{number}: expected 'name x y : orientation'")
        x[cell] = _number(path, number, fields[1], "x")
        y[cell] = _number(path, number, fields[2], "y")


_ROW_KEYS = ("Coordinate", "Height", "Sitewidth", "SubrowOrigin", "NumSites")


def _read_scl(path):
    rows = []
    row = None
    for number, fields in _lines(path):
        key = fields[0]
        if key == "CoreRow":
            row = {}
        elif key == "End":
            if row is not None:
                for needed in _ROW_KEYS:
                    if needed not in row:
                        raise ConfigError(f"{path}:{number}: row without {needed}")
                rows.append(row)
            row = None
        elif row is not None:
            # "SubrowOrigin : x NumSites : n" carries two keys on one line.
            for k in range(0, len(fields) - 2, 3):
                if fields[k + 1] == ":" and fields[k] in _ROW_KEYS:
                    row[fields[k]] = _number(path, number, fields[k + 2], fields[k])
    if not rows:
        raise ConfigError(f"{path}: no CoreRow")
    return rows


def read_bookshelf(aux_path, fanout_threshold=None):
    """Read a Bookshelf benchmark into a `PlacementProblem`.

    Parameters
    ----------
    aux_path : str or Path
        The ``.aux`` file.
    fanout_threshold : int or None
        Nets with more pins are left out of the placement cost.

    Raises
    ------
    ConfigError
        On a malformed or inconsistent file (one line naming file and line).
    """
    files = _read_aux(aux_path)
    names, width, height, fixed = _read_nodes(files[".nodes"])
    index = {name: i for i, name in enumerate(names)}
    net_ptr, pin_cell, pin_dx, pin_dy, net_names = _read_nets(files[".nets"], index, width,
                                                              height)
    x = np.zeros(len(names))
    y = np.zeros(len(names))
    _read_pl(files[".pl"], index, x, y)
    rows = _read_scl(files[".scl"])
    heights = {row["Height"] for row in rows}
    sites = {row["Sitewidth"] for row in rows}
    if len(heights) != 1 or len(sites) != 1:
        raise ConfigError(f"{files['.scl']}: rows of different heights or site widths are "
                          f"not supported")
    row_height, site = heights.pop(), sites.pop()
    left = min(row["SubrowOrigin"] for row in rows)
    right = max(row["SubrowOrigin"] + row["NumSites"] * site for row in rows)
    bottom = min(row["Coordinate"] for row in rows)
    top = max(row["Coordinate"] for row in rows) + row_height
    if len(rows) * row_height < top - bottom - 1e-6:
        raise ConfigError(f"{files['.scl']}: rows do not tile the core (gaps between rows "
                          f"are not supported)")
    problem = PlacementProblem(
        width=width, height=height, movable=~fixed, x=x, y=y, net_ptr=net_ptr,
        net_pins=np.arange(pin_cell.shape[0]), pin_cell=pin_cell, pin_dx=pin_dx,
        pin_dy=pin_dy, net_weight=np.ones(len(net_names)),
        net_ignored=np.zeros(len(net_names), dtype=bool), core=(left, bottom, right, top),
        row_height=row_height, site_width=site, cell_names=names, net_names=net_names)
    if fanout_threshold is not None:
        problem = problem.ignoring_nets(fanout_threshold=fanout_threshold)
    return problem


def write_pl(path, problem, x, y):
    """Write a ``.pl`` file with the lower-left corners ``(x, y)`` (um) of every cell;
    fixed cells are marked ``/FIXED``."""
    lines = ["UCLA pl 1.0", ""]
    for i, name in enumerate(problem.cell_names):
        suffix = "" if problem.movable[i] else " /FIXED"
        lines.append(f"{name}\t{x[i]:.10g}\t{y[i]:.10g}\t: N{suffix}")
    tmp = f"{path}.tmp"
    Path(tmp).write_text("\n".join(lines) + "\n")
    os.replace(tmp, path)


def place_bookshelf(aux_path, out_pl_path, seed=1, effort=1.0, progress=None,
                    fanout_threshold=100):
    """Place a Bookshelf benchmark and write the result as ``.pl``.

    Parameters
    ----------
    aux_path : str or Path
        The benchmark's ``.aux`` file.
    out_pl_path : str or Path
        Where to write the placed ``.pl``.
    seed, effort, progress
        As for `tapeout.pnr.place.placer.place`.
    fanout_threshold : int
        Nets with more pins are left out of the cost (still counted in ``hpwl``).

    Returns
    -------
    dict
        ``hpwl`` (um, all nets, as the contest scores), ``hpwl_initial`` (the ``.pl``
        read in), ``cells``, ``movable``, ``nets``, ``moves``, ``moves_per_s``,
        ``runtime_s``, ``violations``, ``method``.
    """
    problem = read_bookshelf(aux_path, fanout_threshold=fanout_threshold)
    result = place(problem, seed=seed, effort=effort, progress=progress)
    write_pl(out_pl_path, problem, result.x, result.y)
    return {
        "hpwl": result.hpwl,
        "hpwl_initial": hpwl(problem, problem.x, problem.y),
        "cells": problem.n_cells,
        "movable": problem.n_movable,
        "nets": problem.n_nets,
        "moves": result.moves,
        "moves_per_s": result.moves_per_s,
        "runtime_s": result.runtime_s,
        "violations": result.violations,
        "method": result.method,
    }
