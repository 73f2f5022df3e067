"""Pin access: one lattice point per pin where the router's wire starts, reserved for the pin's net.

A cell pin on the layer below the signal layers (SKY130's li1) is reached by a via whose pad on the
pin layer lies wholly inside one of the pin's shapes, so the via adds no pin-layer metal that could
come too close to another pin. The via sits as near a lattice point of the lowest signal layer as the
shape allows (at most a pitch away in x and y; two when no nearer point works) and is joined to it by
a short wire on that layer. The access's metal on that layer (the via's pad and the short wire) must
keep the spacing to obstacles and to other nets' accesses; the lattice points where another net's
wire would come too close to it are reserved for the net, and those where only another net's via pad
would are counted as the net's via pads (the router's pad conflicts). Among the candidates the one nearest a lattice
point, then nearest the pin's centre, is taken. A pin with no shape wide enough for the pad falls back
to a lattice point inside or just outside the shape (`TOLERANCES_UM`). A top-level pin is reached
from the nearest point of its own layer by a short stub on that layer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from tapeout.pnr.route.detailed.rect_index import RectIndex, gap

SHARED = np.iinfo(np.int64).max
"""`reserved` value of a point two nets' accesses both keep other wires off: no net may use it."""

MANUFACTURING_GRID_UM = 0.005


@dataclass(frozen=True)
class AccessRules:
    """Sizes (um) that shape an access: the access via's pad half-sizes (x, y) on the pin layer and on
    the lowest signal layer, that layer's wire width and its via pad half-sizes towards the layer above."""

    pin_pad: tuple[float, float]
    metal_pad: tuple[float, float]
    width: float
    up_pad: tuple[float, float]


@dataclass
class PinAccess:
    """Per netlist pin: its access node (-1: none), whether a via from the pin layer lands there, the
    stub (x0, y0, x1, y1 um, on the node's layer: along x at y0, then along y at x1) from a top-level
    pin's centre or an off-lattice via to the node; per net, the points reserved for it and the points
    counted as its via pads."""

    node: np.ndarray
    via: np.ndarray
    stubs: dict[int, tuple[float, float, float, float]]
    reserved: dict[int, set[int]] = field(default_factory=dict)
    pads: dict[int, set[int]] = field(default_factory=dict)
    unkept: list[int] = field(default_factory=list)  # cell pins whose access keeps no room for itself


def placed_rect(rect, x: float, y: float, w: float, h: float, orient: str):
    """A macro-relative rectangle (um) placed at lower-left (x, y) with orientation N, S, FN or FS."""
    x0, y0, x1, y1 = rect
    if orient in ("S", "FN"):
        x0, x1 = w - x1, w - x0
    if orient in ("S", "FS"):
        y0, y1 = h - y1, h - y0
    return (x + x0, y + y0, x + x1, y + y1)


def points_inside(grid, layer: int, rect) -> list[tuple[int, int]]:
    """Lattice points (i, j) of `layer` inside `rect` (um), edges included."""
    x0, y0, x1, y1 = rect
    i0 = max(0, math.ceil((x0 - grid.x0) / grid.px - 1e-9))
    i1 = min(grid.nx - 1, math.floor((x1 - grid.x0) / grid.px + 1e-9))
    j0 = max(0, math.ceil((y0 - grid.y0) / grid.py - 1e-9))
    j1 = min(grid.ny - 1, math.floor((y1 - grid.y0) / grid.py + 1e-9))
    return [(i, j) for j in range(j0, j1 + 1) for i in range(i0, i1 + 1)
            if not grid.blocked[grid.node(layer, i, j)]]


TOLERANCES_UM = (0.0, 0.05, 0.17)
"""How far outside the pin shape an access point may lie, tried in turn (the via's pad then overhangs
the pin by at most this much)."""


def cell_pin_candidates(grid, pin_layer: str, shapes, centre) -> list[int]:
    """Access nodes on signal layer 0 inside the pin's `shapes` on `pin_layer` (placed, um), nearest the
    `centre` first; points just outside the shapes when none lies inside (`TOLERANCES_UM`)."""
    for tolerance in TOLERANCES_UM:
        found = {}
        for layer, (x0, y0, x1, y1) in shapes:
            if layer != pin_layer and layer != grid.layers[0].name:
                continue
            rect = (x0 - tolerance, y0 - tolerance, x1 + tolerance, y1 + tolerance)
            for i, j in points_inside(grid, 0, rect):
                found[grid.node(0, i, j)] = abs(grid.x(i) - centre[0]) + abs(grid.y(j) - centre[1])
        if found:
            return sorted(found, key=lambda n: (found[n], n))
    return []


def _room(lo: float, hi: float) -> tuple[float, float]:
    """[lo, hi] shrunk to the manufacturing grid."""
    g = MANUFACTURING_GRID_UM
    return math.ceil(lo / g - 1e-6) * g, math.floor(hi / g + 1e-6) * g


def _near_positions(lo: float, hi: float, points: dict[int, float], pitch: float) -> dict[int, list]:
    """Per lattice index k (coordinate `points[k]` um): positions in [lo, hi] on the manufacturing grid
    nearest it and at the ends of the room, each with its distance, within a `pitch` of it."""
    g = MANUFACTURING_GRID_UM
    lo_g, hi_g = _room(lo, hi)
    out = {}
    for k, at in points.items():
        found = {min(max(round(at / g) * g, lo_g), hi_g), lo_g, hi_g}
        near = [(v, abs(v - at)) for v in found if abs(v - at) <= pitch + 1e-9]
        if near:
            out[k] = near
    return out


def via_positions(grid, pin_layer: str, shapes, centre, pin_pad, reach: int = 1) -> list[tuple[int, float, float]]:
    """(node, via x, via y um): via positions whose `pin_pad` (half-sizes x, y um) fits inside one of the
    pin's `shapes` on `pin_layer`, each at most `reach` pitches from its node of signal layer 0 (per node:
    nearest it, and at the ends of the shape's room); nearest their node first, then nearest the `centre`."""
    found = {}
    hx, hy = pin_pad
    for layer, (x0, y0, x1, y1) in shapes:
        if layer != pin_layer or x1 - x0 < 2 * hx - 1e-9 or y1 - y0 < 2 * hy - 1e-9:
            continue
        lo_x, hi_x, lo_y, hi_y = x0 + hx, x1 - hx, y0 + hy, y1 - hy
        i0 = max(0, math.floor((lo_x - grid.x0) / grid.px) - reach)
        i1 = min(grid.nx - 1, math.ceil((hi_x - grid.x0) / grid.px) + reach)
        j0 = max(0, math.floor((lo_y - grid.y0) / grid.py) - reach)
        j1 = min(grid.ny - 1, math.ceil((hi_y - grid.y0) / grid.py) + reach)
        columns = _near_positions(lo_x, hi_x, {i: grid.x(i) for i in range(i0, i1 + 1)}, reach * grid.px)
        rows = _near_positions(lo_y, hi_y, {j: grid.y(j) for j in range(j0, j1 + 1)}, reach * grid.py)
        for j, ys in rows.items():
            for i, xs in columns.items():
                n = grid.node(0, i, j)
                if grid.blocked[n]:
                    continue
                for x, dx in xs:
                    for y, dy in ys:
                        key = (round(dx + dy, 6), abs(x - centre[0]) + abs(y - centre[1]), n, x, y)
                        found[key] = (n, x, y)
    return [found[key] for key in sorted(found)]


def access_metal(grid, node: int, x: float, y: float, rules: AccessRules) -> list[tuple[float, float, float, float]]:
    """Rectangles (um) an access puts on signal layer 0: the via pad at (x, y) and the wire from it to
    the `node` (along x, then along y; DEF wires reach half their width past their ends)."""
    _, i, j = grid.unpack(node)
    nx_, ny_ = float(grid.x(i)), float(grid.y(j))
    px, py = rules.metal_pad
    h = rules.width / 2
    rects = [(x - px, y - py, x + px, y + py)]
    if abs(nx_ - x) > 1e-9:
        rects.append((min(x, nx_) - h, y - h, max(x, nx_) + h, y + h))
    if abs(ny_ - y) > 1e-9:
        rects.append((nx_ - h, min(y, ny_) - h, nx_ + h, max(y, ny_) + h))
    return rects


def zone(grid, rects, half, layer: int = 0) -> set[int]:
    """Points of `layer` (signal layer 0 unless given) where a shape of half-sizes `half` would come too
    close to `rects`."""
    nodes = set()
    for rect in rects:
        i0, i1, j0, j1 = grid.near(layer, rect, half)
        nodes.update(grid.node(layer, i, j) for j in range(j0, j1 + 1) for i in range(i0, i1 + 1))
    return nodes


NEAR_REACH = 10
"""How many lattice steps from a top-level or block pin its access point may lie (each way)."""


def nearest_node(grid, layer: int, x: float, y: float) -> int:
    """The unblocked node of `layer` nearest (x, y) um (-1 when the layer has none near)."""
    i = int(round((x - grid.x0) / grid.px))
    j = int(round((y - grid.y0) / grid.py))
    best, best_d = -1, np.inf
    for dj in range(-NEAR_REACH, NEAR_REACH + 1):
        for di in range(-NEAR_REACH, NEAR_REACH + 1):
            a, b = i + di, j + dj
            if 0 <= a < grid.nx and 0 <= b < grid.ny and not grid.blocked[grid.node(layer, a, b)]:
                d = abs(grid.x(a) - x) + abs(grid.y(b) - y)
                if d < best_d - 1e-12:
                    best, best_d = grid.node(layer, a, b), d
    return best


def _clashes(grid, node: int, owner: np.ndarray, net: int) -> bool:
    """True when another net's access point is on `node` or one track beside it (across its layer)."""
    layer, i, j = grid.unpack(node)
    horizontal = grid.layers[layer].horizontal
    near = [(i, j), (i, j - 1), (i, j + 1)] if horizontal else [(i, j), (i - 1, j), (i + 1, j)]
    return any(0 <= a < grid.nx and 0 <= b < grid.ny and owner[grid.node(layer, a, b)] not in (-1, net)
               for a, b in near)


@dataclass
class _Taken:
    """One pin's access: its net, node, via position (um), metal on signal layer 0 and the points it keeps
    other nets' wires (`wires`) and via pads (`pad_zone`) off."""

    net: int
    node: int
    x: float
    y: float
    rects: list
    wires: set[int]
    pad_zone: set[int]


class _Accesses:
    """The accesses chosen so far: their metal, the points each keeps other nets' wires off."""

    def __init__(self, grid, rules: AccessRules, pin_metal=()):
        self.grid, self.rules = grid, rules
        self.metal = RectIndex()
        for rect in grid.obstacles.get(0, ()):
            self.metal.add(rect, -1)
        for rect, net in pin_metal:
            self.metal.add(rect, net)
        self.node_owner = np.full(grid.blocked.size, -1, dtype=np.int64)
        self.wire_zone: dict[int, list[int]] = {}  # point -> nets keeping other wires off it (one per access)
        self.pad_zone: dict[int, list[int]] = {}  # point -> nets keeping other via pads off it (one per access)
        self.taken: dict[int, _Taken] = {}  # by pin
        self.held: dict[int, set[int]] = {}  # per net: the points its unkept pins keep other via pads off

    def _can_leave(self, node: int, net: int, wires, pads, new: int) -> bool:
        """Whether `net`'s access at `node` can take a via up there, or step to a point beside it along
        the track and take a via up there, once the access of net `new` (keeping `wires` off other wires and `pads` off
        other via pads) is added."""
        others = set(self.pad_zone.get(node, ())) | ({new} if node in pads else set())
        if not others - {net}:
            return True
        grid = self.grid
        _, i, _ = grid.unpack(node)
        for m, ok in ((node - 1, i > 0), (node + 1, i < grid.nx - 1)):
            if not ok or grid.blocked[m] or self.node_owner[m] not in (-1, net):
                continue
            keep = set(self.wire_zone.get(m, ())) | ({new} if m in wires else set())
            keep |= set(self.pad_zone.get(m, ())) | ({new} if m in pads else set())
            if not keep - {net}:
                return True
        return False

    def try_take(self, pin: int, net: int, node: int, x: float, y: float) -> bool:
        """Take the access of `pin` (of `net`) with its via at (x, y) um joined to `node`, when its metal
        keeps the spacing and every access near it keeps a way out; False (nothing taken) otherwise."""
        grid, rules = self.grid, self.rules
        rects = access_metal(grid, node, x, y, rules)
        spacing = grid.layers[0].spacing
        if any(self.metal.too_close(r, net, spacing) for r in rects):
            return False
        wire_half = (rules.width / 2, rules.width / 2)
        wires = zone(grid, rects, wire_half)
        if any(self.node_owner[n] not in (-1, net) for n in wires):
            return False
        if set(self.wire_zone.get(node, ())) - {net}:
            return False
        pad_zone = zone(grid, rects, rules.up_pad) - wires
        neighbours = {m for n in wires | pad_zone for m in (n - 1, n + 1) if 0 <= m < self.node_owner.size}
        affected = {n for n in wires | pad_zone | neighbours if self.node_owner[n] not in (-1, net)}
        if not self._can_leave(node, net, wires, pad_zone, net) or any(
                not self._can_leave(n, int(self.node_owner[n]), wires, pad_zone, net) for n in affected):
            return False  # an access (this one or another net's) would have no way out
        self._add(pin, _Taken(net, node, x, y, rects, wires, pad_zone))
        return True

    def _add(self, pin: int, t: _Taken) -> None:
        for r in t.rects:
            self.metal.add(r, t.net)
        for n in t.pad_zone:
            self.pad_zone.setdefault(n, []).append(t.net)
        self.node_owner[t.node] = t.net
        for n in t.wires:
            self.wire_zone.setdefault(n, []).append(t.net)
        self.taken[pin] = t

    def release(self, pin: int) -> _Taken:
        """Undo `try_take` of `pin`; returns what it had taken."""
        t = self.taken.pop(pin)
        for r in t.rects:
            self.metal.remove(r, t.net)
        for n in t.pad_zone:
            self.pad_zone[n].remove(t.net)
        for n in t.wires:
            self.wire_zone[n].remove(t.net)
        self.node_owner[t.node] = -1
        return t

    def hold(self, net: int, node: int, x: float, y: float, positions_of, near: float) -> int:
        """Keep the accesses near an unkept pin of `net` (its via at (x, y) um joined to `node`) clear of its
        metal: the metal and the points it keeps other via pads off are added, and each other net's access
        within `near` um whose metal comes too close to it, or which then has no way out, moves to another of
        its positions (`positions_of`) where one works. Returns how many moved."""
        rects = access_metal(self.grid, node, x, y, self.rules)
        for r in rects:
            self.metal.add(r, net)
        pads = zone(self.grid, rects, self.rules.up_pad)
        for n in pads:
            self.pad_zone.setdefault(n, []).append(net)
        self.held.setdefault(net, set()).update(pads)
        spacing = self.grid.layers[0].spacing
        moved = 0
        around = sorted((abs(t.x - x) + abs(t.y - y), q) for q, t in self.taken.items()
                        if t.net != net and abs(t.x - x) <= near and abs(t.y - y) <= near)
        for _, q in around:
            t = self.taken[q]
            close = any(gap(a, b) < spacing - 1e-9 for a in t.rects for b in rects)
            if not close and self._can_leave(t.node, t.net, set(), set(), t.net):
                continue
            old = self.release(q)
            if any(self.try_take(q, old.net, c, cx, cy) for c, cx, cy in positions_of(q)
                   if (c, cx, cy) != (old.node, old.x, old.y)):
                moved += 1
            else:
                self._add(q, old)  # nowhere better: back where it was
        return moved

    def reserved_and_pads(self) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
        """Per net: the points its accesses keep other wires off, and those they keep other via pads off."""
        reserved: dict[int, set[int]] = {}
        pads: dict[int, set[int]] = {}
        for t in self.taken.values():
            reserved.setdefault(t.net, set()).update(t.wires | {t.node})
            pads.setdefault(t.net, set()).update(t.pad_zone)
        for net, points in self.held.items():
            pads.setdefault(net, set()).update(points)
        return reserved, pads

    def reseat(self, pin: int, net: int, positions, positions_of, near: float) -> bool:
        """Make room for `pin` (no position of its own is free) by moving one access nearby (its via
        within `near` um in x and y of the pin's first position) to another of its positions; False when
        none works."""
        _, x, y = positions[0]
        others = sorted((abs(t.x - x) + abs(t.y - y), q) for q, t in self.taken.items()
                        if abs(t.x - x) <= near and abs(t.y - y) <= near and t.net != net)
        for _, q in others:
            old = self.release(q)
            for c, x, y in positions:
                if self.try_take(pin, net, c, x, y):
                    if any(self.try_take(q, old.net, cq, xq, yq) for cq, xq, yq in positions_of(q)
                           if (cq, xq, yq) != (old.node, old.x, old.y)):
                        return True
                    self.release(pin)
            restored = self.try_take(q, old.net, old.node, old.x, old.y)
            assert restored, "an access released and taken back must fit where it was"
        return False


FAR_REACH = 2
"""How many pitches (in x and y) from its via a pin's access point may lie when no point within one
pitch works, even after moving an access nearby: a longer stub to a row its neighbours leave free."""

RESEAT_NEAR_UM = 1.0
"""How far (um, in x and in y) from a pin with no free position the accesses it may move lie."""


def pin_access(grid, pins, pin_layer: str, rules: AccessRules | None = None, pin_metal=()) -> PinAccess:
    """Access for `pins`: (pin index, net, kind, data) with kind "cell" (data: placed shapes, centre) or
    "port" (data: layer index, x, y); `pin_metal` (rectangle um, net) are cell pins' shapes on signal
    layer 0, which other nets' accesses keep their spacing from (such a pin is given without its pin-layer
    shapes: it is reached on that metal, with no via). Ports go first, then the cell pins with
    the fewest via positions (the hardest to reach); a cell pin with no free position moves one access
    near it to make room (`_Accesses.reseat`), else looks up to `FAR_REACH` pitches away, else it takes a
    lattice point in its shape with no room kept (`unkept`), its via where the pad lies inside the pin,
    and the accesses near it that come too close to its metal or have no way out left move
    (`_Accesses.hold`). Raises ValueError naming (by index) a pin with no free access point."""
    lay = grid.layers[0]
    rules = rules or AccessRules((0.085, 0.085), lay.pad_half, lay.width, lay.pad_half)
    positions = {pin: via_positions(grid, pin_layer, data[0], data[1], rules.pin_pad)
                 for pin, _, kind, data in pins if kind == "cell"}
    cells = {pin: data for pin, _, kind, data in pins if kind == "cell"}

    def reachable(pin):
        """The pin's via positions up to `FAR_REACH` pitches from their node, the nearest ones first."""
        near = set(positions[pin])
        far = via_positions(grid, pin_layer, *cells[pin], rules.pin_pad, FAR_REACH)
        return positions[pin] + [p for p in far if p not in near]

    ordered = sorted(pins, key=lambda p: (p[2] == "cell", len(positions.get(p[0], ())), p[0]))
    count = 1 + max((p[0] for p in ordered), default=-1)
    node = np.full(count, -1, dtype=np.int64)
    via = np.zeros(count, dtype=bool)
    stubs = {}
    taken = _Accesses(grid, rules, pin_metal)
    owner = taken.node_owner
    unkept = []
    for pin, net, kind, data in ordered:
        if kind == "port":
            layer, x, y = data
            n = nearest_node(grid, layer, x, y)
            if n < 0:
                raise ValueError(f"pin {pin} has no free access point")
            _, i, j = grid.unpack(n)
            stubs[pin] = (x, y, float(grid.x(i)), float(grid.y(j)))
            node[pin] = n
            owner[n] = net
            continue
        shapes, centre = data
        via[pin] = any(layer == pin_layer for layer, _ in shapes)
        if any(taken.try_take(pin, net, c, x, y) for c, x, y in positions[pin]):
            continue
        if positions[pin] and taken.reseat(pin, net, positions[pin], positions.get, RESEAT_NEAR_UM):
            continue
        if any(taken.try_take(pin, net, c, x, y) for c, x, y in reachable(pin)[len(positions[pin]):]):
            continue
        candidates = cell_pin_candidates(grid, pin_layer, shapes, centre)
        free = [c for c in candidates if not _clashes(grid, c, owner, net)]
        n = (free or candidates or [-1])[0]
        if n < 0:
            raise ValueError(f"pin {pin} has no free access point")
        node[pin] = n
        owner[n] = net
        if via[pin]:
            unkept.append(pin)
            # the via where its pad lies inside the pin, nearest the point (a pad centred on the point
            # would overhang the pin's li1 towards its neighbours), joined to it by a short wire
            inside = next(((x, y) for c, x, y in reachable(pin) if c == n), None)
            _, i, j = grid.unpack(n)
            if inside is not None:
                stubs[pin] = (inside[0], inside[1], float(grid.x(i)), float(grid.y(j)))
            taken.hold(net, n, *(inside or (float(grid.x(i)), float(grid.y(j)))), reachable, RESEAT_NEAR_UM)
    for pin, t in taken.taken.items():
        node[pin] = t.node
        _, i, j = grid.unpack(t.node)
        if abs(t.x - grid.x(i)) > 1e-9 or abs(t.y - grid.y(j)) > 1e-9:
            stubs[pin] = (t.x, t.y, float(grid.x(i)), float(grid.y(j)))
    reserved, pads = taken.reserved_and_pads()
    return PinAccess(node, via, stubs, reserved, pads, unkept)
