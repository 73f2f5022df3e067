"""Bookshelf placement benchmarks (the ISPD 98/2005/2006 contest format): read, place, write.

An ``.aux`` line ``RowBasedPlacement : a.nodes a.nets a.wts a.pl a.scl`` names the files.
``.nodes`` lists ``name width height [terminal|terminal_NI]``; ``.nets`` lists
``NetDegree : k [name]`` followed by k lines ``node I|O|B [: dx dy]`` with pin offsets from the
node's centre; ``.pl`` gives ``name x y [: orientation] [/FIXED|/FIXED_NI]`` lower-left corners;
``.scl`` describes ``CoreRow`` blocks (Coordinate, Height, Sitewidth, Sitespacing,
SubrowOrigin, NumSites). Keywords are read without regard to case (``Numsites`` as ISPD 98's
IBM files spell it); lines starting with ``#`` and the ``UCLA`` header lines are skipped.
Lengths are taken as um. (Format: Nam, Alpert, Villarrubia, Winter, Yildiz, "The ISPD2005
placement contest and benchmark suite", ISPD 2005.)

Terminals, and nodes marked ``/FIXED`` in the ``.pl``, are fixed; ``terminal_NI`` and
``/FIXED_NI`` nodes are fixed but let cells overlap them (they keep their pins, not their area).
Rows may leave gaps between them and may be split into sub-rows; the core is their bounding
box. Movable nodes taller than a row are multi-row cells (legalised first). The site pitch is
``Sitespacing`` (``Sitewidth`` when absent).
"""

import math
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
        data = Path(path).read_bytes()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read ({error.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None or "\0" in text:
        raise ConfigError(f"{path}: not a text file (binary content); expected a Bookshelf file") from None
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line or line.upper().startswith("UCLA"):
            continue
        yield number, line.replace(":", " : ").split()


def _number(path, number, text, what, low=None):
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or (low is not None and value < low):
        kind = "a number" if low is None else f"a number of at least {low:g}"
        raise ConfigError(f"{path}:{number}: {what} must be {kind}, not {text!r}") from None
    return value


def _count(path, number, text, what):
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise ConfigError(f"{path}:{number}: {what} must be a whole number, not {text!r}")
    return value


def _read_aux(path):
    for number, fields in _lines(path):
        if ":" in fields:
            files = fields[fields.index(":") + 1:]
            by_suffix = {Path(f).suffix.lower(): Path(path).parent / f for f in files}
            missing = [s for s in (".nodes", ".nets", ".pl", ".scl") if s not in by_suffix]
            if missing:
                raise ConfigError(f"{path}:{number}: the aux line names no "
                                  f"{', '.join(missing)} file")
            return by_suffix
    raise ConfigError(f"{path}: no 'RowBasedPlacement : ...' line")


def _declared(path, fields, number, counts):
    """Record a ``NumX : n`` line; True when the line was one."""
    key = fields[0].lower()
    if key.startswith("num") and len(fields) >= 3 and fields[1] == ":":
        counts[key] = (_count(path, number, fields[2], fields[0]), number)
        return True
    return False


def _check_count(path, counts, key, spelled, found):
    if key in counts and counts[key][0] != found:
        raise ConfigError(f"{path}:{counts[key][1]}: {spelled} says {counts[key][0]} but the file lists {found}")


def _read_nodes(path):
    names, width, height, fixed, overlappable = [], [], [], [], []
    counts = {}
    for number, fields in _lines(path):
        if _declared(path, fields, number, counts):
            continue
        if len(fields) < 3:
            raise ConfigError(f"{path}:{number}: expected 'name width height [terminal]'")
        names.append(fields[0])
        width.append(_number(path, number, fields[1], "width", low=0.0))
        height.append(_number(path, number, fields[2], "height", low=0.0))
        kind = fields[3].lower() if len(fields) > 3 else ""
        fixed.append(kind.startswith("terminal"))
        overlappable.append(kind == "terminal_ni")
    if not names:
        raise ConfigError(f"{path}: no nodes")
    _check_count(path, counts, "numnodes", "NumNodes", len(names))
    _check_count(path, counts, "numterminals", "NumTerminals", sum(fixed))
    return names, np.array(width), np.array(height), np.array(fixed, dtype=bool), np.array(overlappable, dtype=bool)


def _read_nets(path, index, width, height):
    net_ptr, pin_cell, pin_dx, pin_dy, net_names = [0], [], [], [], []
    expected = 0
    counts = {}
    for number, fields in _lines(path):
        if fields[0].lower() == "netdegree":
            if expected:
                raise ConfigError(f"{path}:{number}: net {net_names[-1]} has fewer pins "
                                  f"than its NetDegree")
            if len(fields) < 3 or fields[1] != ":":
                raise ConfigError(f"{path}:{number}: expected 'NetDegree : <pins> [name]'")
            expected = _count(path, number, fields[2], "NetDegree")
            net_names.append(fields[3] if len(fields) > 3 else f"net{len(net_names)}")
            net_ptr.append(net_ptr[-1])
            continue
        if _declared(path, fields, number, counts):
            continue
        if not expected:
            raise ConfigError(f"{path}:{number}: pin line outside a net")
        cell = index.get(fields[0])
        if cell is None:
            raise ConfigError(f"{path}:{number}: unknown node {fields[0]!r}")
        dx = dy = 0.0
        if ":" in fields:
            at = fields.index(":")
            if len(fields) < at + 3:
                raise ConfigError(f"{path}:{number}: expected 'node direction : dx dy'")
            dx = _number(path, number, fields[at + 1], "pin x offset")
            dy = _number(path, number, fields[at + 2], "pin y offset")
        pin_cell.append(cell)
        pin_dx.append(dx + width[cell] / 2)
        pin_dy.append(dy + height[cell] / 2)
        net_ptr[-1] += 1
        expected -= 1
    if expected:
        raise ConfigError(f"{path}: the last net has fewer pins than its NetDegree")
    _check_count(path, counts, "numnets", "NumNets", len(net_names))
    _check_count(path, counts, "numpins", "NumPins", len(pin_cell))
    return (np.array(net_ptr, dtype=np.int64), np.array(pin_cell, dtype=np.int64),
            np.array(pin_dx), np.array(pin_dy), net_names)


def _read_pl(path, index, x, y, fixed, overlappable):
    for number, fields in _lines(path):
        cell = index.get(fields[0])
        if cell is None:
            raise ConfigError(f"{path}:{number}: unknown node {fields[0]!r}")
        if len(fields) < 3:
            raise ConfigError(f"{path}:{number}: expected 'name x y : orientation'")
        x[cell] = _number(path, number, fields[1], "x")
        y[cell] = _number(path, number, fields[2], "y")
        flags = {f.lower() for f in fields[3:]}
        if "/fixed" in flags or "/fixed_ni" in flags:
            fixed[cell] = True
        if "/fixed_ni" in flags:
            overlappable[cell] = True


_ROW_KEYS = ("coordinate", "height", "sitewidth", "sitespacing", "subroworigin", "numsites")
_REQUIRED = {"coordinate": "Coordinate", "height": "Height", "sitewidth": "Sitewidth",
             "subroworigin": "SubrowOrigin", "numsites": "NumSites"}


def _read_scl(path):
    rows = []
    row = None
    for number, fields in _lines(path):
        key = fields[0].lower()
        if key == "corerow":
            row = {}
        elif key == "end":
            if row is not None:
                for needed, spelled in _REQUIRED.items():
                    if needed not in row:
                        raise ConfigError(f"{path}:{number}: row without {spelled}")
                row.setdefault("sitespacing", row["sitewidth"])
                if row["height"] <= 0 or row["sitespacing"] <= 0:
                    raise ConfigError(f"{path}:{number}: row Height and Sitespacing must be positive")
                rows.append(row)
            row = None
        elif row is not None:
            # "SubrowOrigin : x NumSites : n" carries two keys on one line.
            for k in range(0, len(fields) - 2, 3):
                name = fields[k].lower()
                if fields[k + 1] == ":" and name in _ROW_KEYS:
                    row[name] = _number(path, number, fields[k + 2], fields[k],
                                        low=0.0 if name in ("height", "sitewidth", "sitespacing", "numsites")
                                        else None)
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
    names, width, height, fixed, overlappable = _read_nodes(files[".nodes"])
    index = {name: i for i, name in enumerate(names)}
    net_ptr, pin_cell, pin_dx, pin_dy, net_names = _read_nets(files[".nets"], index, width,
                                                              height)
    x = np.zeros(len(names))
    y = np.zeros(len(names))
    _read_pl(files[".pl"], index, x, y, fixed, overlappable)
    rows = _read_scl(files[".scl"])
    heights = {row["height"] for row in rows}
    sites = {row["sitespacing"] for row in rows}
    if len(heights) != 1 or len(sites) != 1:
        raise ConfigError(f"{files['.scl']}: rows of different heights or site spacings are "
                          f"not supported")
    row_height, site = heights.pop(), sites.pop()
    spans = np.array([(row["coordinate"], row["subroworigin"], row["subroworigin"] + row["numsites"] * site)
                      for row in rows if row["numsites"] > 0])
    if spans.size == 0:
        raise ConfigError(f"{files['.scl']}: every row has 0 sites")
    core = (float(spans[:, 1].min()), float(spans[:, 0].min()), float(spans[:, 2].max()),
            float(spans[:, 0].max() + row_height))
    # Overlappable fixed nodes keep their pins (offsets are from the lower-left) but block nothing.
    width = np.where(overlappable, 0.0, width)
    height = np.where(overlappable, 0.0, height)
    try:
        problem = PlacementProblem(
            width=width, height=height, movable=~fixed, x=x, y=y, net_ptr=net_ptr,
            net_pins=np.arange(pin_cell.shape[0]), pin_cell=pin_cell, pin_dx=pin_dx,
            pin_dy=pin_dy, net_weight=np.ones(len(net_names)),
            net_ignored=np.zeros(len(net_names), dtype=bool), core=core,
            row_height=row_height, site_width=site, cell_names=names, net_names=net_names,
            rows=None if _tiles(spans, core, row_height) else spans)
    except ValueError as error:
        raise ConfigError(f"{files['.scl']}: {error}") from None
    if fanout_threshold is not None:
        problem = problem.ignoring_nets(fanout_threshold=fanout_threshold)
    return problem


def _tiles(spans, core, row_height):
    """True when the rows are one full-width row per row height from the core's bottom."""
    n = int(round((core[3] - core[1]) / row_height))
    ys = np.sort(spans[:, 0])
    return (spans.shape[0] == n and np.allclose(ys, core[1] + row_height * np.arange(n))
            and np.allclose(spans[:, 1], core[0]) and np.allclose(spans[:, 2], core[2]))


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
                    fanout_threshold=100, method="auto"):
    """Place a Bookshelf benchmark and write the result as ``.pl``.

    Parameters
    ----------
    aux_path : str or Path
        The benchmark's ``.aux`` file.
    out_pl_path : str or Path
        Where to write the placed ``.pl``.
    seed, effort, progress, method
        As for `tapeout.pnr.place.placer.place`.
    fanout_threshold : int
        Nets with more pins are left out of the cost (still counted in ``hpwl``).

    Returns
    -------
    dict
        ``hpwl`` (um, all nets, as the contest scores), ``hpwl_initial`` (the ``.pl``
        read in), ``cells``, ``movable``, ``nets``, ``moves``, ``moves_per_s``,
        ``runtime_s``, ``violations``, ``method``, ``displacement_mean_rows``,
        ``displacement_max_rows``.

    Raises
    ------
    ConfigError
        On a malformed benchmark, or one with no movable cell.
    """
    problem = read_bookshelf(aux_path, fanout_threshold=fanout_threshold)
    if problem.n_movable == 0:
        raise ConfigError(f"{aux_path}: no movable cells to place (every node is fixed)")
    result = place(problem, seed=seed, effort=effort, progress=progress, method=method)
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
        "displacement_mean_rows": result.displacement_rows[0],
        "displacement_max_rows": result.displacement_rows[1],
    }
