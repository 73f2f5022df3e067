"""Negotiated rip-up and reroute (PathFinder, McMurchie and Ebeling 1995) of every net on the track graph.

Each net is grown as a tree from its first pin: an A* search from the tree to the nearest unconnected
pin, until all are joined, inside the net's pin box widened by `margin_um` (the whole die if that
fails); each time a net is ripped up its window doubles (up to 16 x `margin_um`), so a net boxed in by
others can detour around a congested region. After each pass the nets in a conflict (`conflicts.py`)
are ripped up and routed again, with the present-congestion factor raised and the history cost of the
conflicting points increased, until no conflict is left or `max_iterations` passes have run; when the
count stalls, the nets beside the conflicts are ripped up too. Conflicts still left after the last pass are
settled pair by pair with the nets around them (`settle`). Clock nets go first, then nets by pin box.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from tapeout.errors import TapeoutError
from tapeout.pnr.route.detailed.conflicts import conflict_points, owners
from tapeout.pnr.route.detailed.search import find_path

STALL_PASSES = 3
NEIGHBOUR_RADIUS = 4
"""When the conflict count has not improved for STALL_PASSES passes, the nets with a point within
NEIGHBOUR_RADIUS lattice steps of a conflict are ripped up and rerouted as well."""

WINDOW_GROWTH = 2.0
MAX_WINDOW_DOUBLINGS = 4
"""A net's search window is its pin box widened by `margin_um` times WINDOW_GROWTH to the power of the
times it was ripped up (at most MAX_WINDOW_DOUBLINGS): a net boxed in by others may detour further."""


SETTLE_TRIES = 200
SETTLE_RADIUS = 4
"""Conflicts left after the last pass are settled pair by pair: a net still in conflict and one of the nets
within SETTLE_RADIUS lattice steps of its conflicts are ripped up and routed again, the net in conflict
first (so it may take the other's place) and the other around it; a try is kept when it lowers the count,
else undone; at most SETTLE_TRIES tries. The negotiation's costs can hold a few nets in a deadlock that
only moving a net outside the conflict breaks."""


class DetailedRouteError(TapeoutError):
    """A net with no path between its pins (carries the net and the region, um)."""

    def __init__(self, net: int, region: tuple[float, float, float, float]):
        super().__init__(f"net {net} cannot be routed in {region}")
        self.net, self.region, self.name, self.layout = net, region, str(net), None
        self.routes: list[NetRoute] = []  # every net's route when the search gave up


@dataclass
class NetRoute:
    """One net's route: node pairs (a, b) joined by a wire or via, and its via pad nodes."""

    edges: list[tuple[int, int]] = field(default_factory=list)
    pads: set[int] = field(default_factory=set)
    _nodes: tuple[int, np.ndarray] | None = field(default=None, repr=False, compare=False)

    def nodes(self) -> np.ndarray:
        """The route's nodes, sorted (kept until an edge is added: every pass asks for all of them)."""
        if self._nodes is None or self._nodes[0] != len(self.edges):
            self._nodes = (len(self.edges), np.unique(np.array([n for e in self.edges for n in e], dtype=np.int64)))
        return self._nodes[1]


@dataclass
class DetailedResult:
    routes: list[NetRoute]
    conflicts: int
    conflict_history: list[int]
    opens: int


def rule_flags(grid):
    """(horizontal, along_free, across_pads) per layer: whether a layer's preferred direction is
    horizontal, whether two nets' wires/pads on adjacent points of one track come closer than its
    spacing, and whether two via pads one track apart do."""
    horizontal = np.array([lay.horizontal for lay in grid.layers])
    along_free, across_pads = [], []
    for lay in grid.layers:
        along_step = grid.px if lay.horizontal else grid.py * lay.stride
        across_step = grid.py * lay.stride if lay.horizontal else grid.px * lay.stride
        half_along = max(lay.width / 2, lay.pad_half[0 if lay.horizontal else 1])
        half_across = lay.pad_half[1 if lay.horizontal else 0]
        along_free.append(along_step - 2 * half_along < lay.spacing - 1e-9)
        across_pads.append(across_step - 2 * half_across < lay.spacing - 1e-9)
    return horizontal, np.array(along_free), np.array(across_pads)


class Negotiation:
    """The routing state of every net on `grid` (see `route_nets` for the inputs): the routes, the occupancy
    and via pad counts per node, the history costs, and the present-congestion factor."""

    def __init__(self, grid, net_pins, access_pads, reserved, pad_reserved=None, margin_um=10.0, via_cost=1.5):
        size = grid.blocked.size
        self.grid, self.net_pins, self.access_pads, self.reserved = grid, net_pins, access_pads, reserved
        self.pad_reserved = np.full(size, -1, dtype=np.int64) if pad_reserved is None else pad_reserved
        self.margin_um, self.via_cost = margin_um, via_cost
        self.horizontal, self.along_free, self.across_pads = rule_flags(grid)
        # `pads` counts the routed via pads only: the access vias' pads are kept apart from other nets' pads
        # by their geometry (`pad_reserved`, from the pin access), not by the lattice rule
        self.occupancy = np.zeros(size, dtype=np.int32)
        self.pads = np.zeros(size, dtype=np.int32)
        self.history = np.zeros(size, dtype=np.float64)
        self.present = 0.5
        self.routes = [NetRoute() for _ in net_pins]
        self.reroutes = np.zeros(len(net_pins), dtype=np.int64)
        self._dist = np.zeros(size, dtype=np.float64)
        self._prev = np.zeros(size, dtype=np.int64)
        self._seen = np.zeros(size, dtype=np.int64)
        self._is_target = np.zeros(size, dtype=np.int64)
        self._stamp = 0

    def rip(self, net: int) -> None:
        """Take the net's route off the lattice."""
        self._count(net, self.routes[net], -1)
        self.routes[net] = NetRoute()

    def put(self, net: int, r: NetRoute) -> None:
        """Lay route `r` of the net on the lattice."""
        self.routes[net] = r
        self._count(net, r, +1)

    def _count(self, net: int, r: NetRoute, step: int) -> None:
        """Add `step` to the occupancy of the route's nodes and to the pad count of its routed via pads."""
        self.occupancy[r.nodes()] += step
        self.pads[list(r.pads - set(self.access_pads[net]))] += step

    def route(self, net: int) -> None:
        """Route the (ripped-up) net as a tree from its first pin, nearest pin first; raises
        DetailedRouteError when a pin cannot be reached on the whole die."""
        grid = self.grid
        terminals = list(dict.fromkeys(self.net_pins[net]))
        r = NetRoute(pads=set(self.access_pads[net]))
        if len(terminals) < 2:
            r.edges = [(terminals[0], terminals[0])] if terminals else []
            self.put(net, r)
            return
        _, ii, jj = grid.unpack(np.array(terminals))
        widen = self.margin_um * WINDOW_GROWTH ** min(self.reroutes[net], MAX_WINDOW_DOUBLINGS)
        margin = (int(np.ceil(widen / grid.px)), int(np.ceil(widen / grid.py)))
        box = (max(0, ii.min() - margin[0]), max(0, jj.min() - margin[1]),
               min(grid.nx - 1, ii.max() + margin[0]), min(grid.ny - 1, jj.max() + margin[1]))
        tree = [terminals[0]]
        in_tree = {terminals[0]}
        left = np.array(terminals[1:], dtype=np.int64)
        _, left_i, left_j = grid.unpack(left)
        reach = np.full(left.size, np.inf)  # each unconnected pin's lattice distance to the tree (um)
        new = np.array(tree, dtype=np.int64)
        while left.size:
            _, ni, nj = grid.unpack(new)
            reach = np.minimum(reach, (np.abs(left_i[:, None] - ni[None, :]) * grid.px
                                       + np.abs(left_j[:, None] - nj[None, :]) * grid.py).min(axis=1))
            target = left[[np.argmin(reach)]]  # the nearest pin first (Prim's order): a tight A* bound
            for window in (box, (0, 0, grid.nx - 1, grid.ny - 1)):
                path = self._search(np.array(tree, dtype=np.int64), target, window, net)
                if path.size:
                    break
            else:
                error = DetailedRouteError(net, (grid.x(box[0]), grid.y(box[1]), grid.x(box[2]), grid.y(box[3])))
                error.routes = self.routes
                raise error
            for a, b in zip(path[:-1], path[1:]):
                r.edges.append((int(a), int(b)))
                if abs(int(a) - int(b)) == grid.nx * grid.ny:
                    r.pads.update((int(a), int(b)))
            added = [int(n) for n in path if int(n) not in in_tree]
            in_tree.update(added)
            tree.extend(added)
            new = np.array(added, dtype=np.int64)
            keep = ~np.isin(left, new)
            left, left_i, left_j, reach = left[keep], left_i[keep], left_j[keep], reach[keep]
        self.put(net, r)

    def _search(self, sources, targets, window, net) -> np.ndarray:
        grid = self.grid
        self._stamp += 1
        return find_path(sources, targets, np.array(window, dtype=np.int64), grid.nx, grid.ny, grid.nl, grid.px,
                         grid.py, self.horizontal, self.along_free, self.across_pads, grid.blocked, self.reserved,
                         self.pad_reserved, net, self.occupancy, self.pads, self.history, self.present,
                         self.via_cost, self._dist, self._prev, self._seen, self._stamp, self._is_target)

    def conflicts(self) -> tuple[np.ndarray, int]:
        """Conflict flags per node and their count (`_conflicts`)."""
        return _conflicts(self.grid, self.routes, self.access_pads, self.pad_reserved, self.horizontal,
                          self.along_free, self.across_pads)


def route_nets(grid, net_pins, access_pads, reserved, order, margin_um=10.0, via_cost=1.5, max_iterations=30,
               progress=None, pad_reserved=None, log=None) -> DetailedResult:
    """Route `net_pins` (per net: its pins' access nodes) on `grid`; `access_pads` per net are the access
    via pads, `reserved[n]` the net owning node n (-1 none), `pad_reserved[n]` the only net that may put
    a via pad on node n of the lowest layer (-1 any); `log` gets a line per pass. Raises DetailedRouteError."""
    state = Negotiation(grid, net_pins, access_pads, reserved, pad_reserved, margin_um, via_cost)
    history_step = 1.0
    todo = list(order)
    conflict_history = []
    best, stalled = None, 0
    for iteration in range(max_iterations + 1):
        for k, net in enumerate(todo):
            if iteration:
                state.rip(net)
                state.reroutes[net] += 1
            state.route(net)
            if progress and k % 500 == 0:
                progress(iteration, k, len(todo))
        flag, count = state.conflicts()
        conflict_history.append(int(count))
        if count == 0 or iteration == max_iterations:
            break
        state.history[flag] += history_step
        state.present *= 1.6
        todo = [net for net in order if flag[state.routes[net].nodes()].any()]
        best, stalled = (count, 0) if best is None or count < best else (best, stalled + 1)
        if stalled >= STALL_PASSES:  # the nets in conflict alone cannot make room: their neighbours move too
            near = _nets_near(grid, state.routes, flag, NEIGHBOUR_RADIUS)
            rerouted = set(todo)
            todo = [net for net in order if net in rerouted or near[net]]
            stalled = 0
        if log:
            log(f"pass {iteration}: {count} conflict points; {len(todo)} nets to reroute")
    if count:
        flag, count = settle(state, order, flag, count, log)
    if conflict_history[-1] != count:
        conflict_history.append(int(count))
    opens = sum(_open_pins(grid, state.routes[net], net_pins[net]) for net in range(len(net_pins)))
    return DetailedResult(state.routes, conflict_history[-1], conflict_history, opens)


def settle(state: Negotiation, order, flag, count, log=None):
    """Flags and count of conflicts after settling the nets in conflict with their neighbours (SETTLE_TRIES)."""
    routes = state.routes
    stuck = [net for net in order if flag[routes[net].nodes()].any()]
    near = _nets_near(state.grid, routes, flag, SETTLE_RADIUS)
    neighbours = [net for net in order if near[net]]
    tries = 0
    for net in stuck:
        for other in neighbours:
            if count == 0 or tries == SETTLE_TRIES or not flag[routes[net].nodes()].any():
                break
            if other == net:
                continue
            tries += 1
            before = routes[net], routes[other]
            for moved in (net, other):
                state.rip(moved)
            for moved in (net, other):
                state.route(moved)
            tried, tried_count = state.conflicts()
            if tried_count < count:
                flag, count = tried, tried_count
                if log:
                    log(f"settle: nets {net} and {other} rerouted, {count} conflict points")
            else:
                for moved, r in zip((net, other), before):
                    state.rip(moved)
                    state.put(moved, r)
    if log:
        log(f"settle: {tries} tries, {count} conflict points left")
    return flag, count


def _nets_near(grid, routes, flag, radius: int) -> np.ndarray:
    """Per net: whether it takes a point within `radius` lattice steps (on any layer) of a flagged point."""
    from scipy.ndimage import binary_dilation

    plane = grid.nx * grid.ny
    near = flag.reshape(grid.nl, grid.ny, grid.nx).any(axis=0)
    near = binary_dilation(near, np.ones((2 * radius + 1, 2 * radius + 1), dtype=bool)).ravel()
    return np.array([bool(near[r.nodes() % plane].any()) for r in routes])


def _conflicts(grid, routes, access_pads, pad_reserved, horizontal, along_free, across_pads):
    """Conflict flags per node and their count: shared points and neighbours on the lattice (routed via
    pads only; an access via's pad is placed off the lattice), and routed via pads of the lowest layer
    on points another net's access keeps free of pads (`pad_reserved`)."""
    node_lists = [r.nodes() for r in routes]
    pad_lists = [np.array(sorted(r.pads - set(access_pads[k])), dtype=np.int64) for k, r in enumerate(routes)]
    starts = np.concatenate([[0], np.cumsum([len(n) for n in node_lists])]).astype(np.int64)
    pad_starts = np.concatenate([[0], np.cumsum([len(p) for p in pad_lists])]).astype(np.int64)
    flat = np.concatenate(node_lists) if node_lists else np.zeros(0, dtype=np.int64)
    flat_pads = np.concatenate(pad_lists) if pad_lists else np.zeros(0, dtype=np.int64)
    owner = owners(flat.astype(np.int64), starts, grid.blocked.size)
    pad_owner = owners(flat_pads.astype(np.int64), pad_starts, grid.blocked.size)
    flag, count = conflict_points(owner, pad_owner, grid.nx, grid.ny, grid.nl, horizontal, along_free, across_pads)
    net_of_pad = np.repeat(np.arange(len(pad_lists)), np.diff(pad_starts))
    low = flat_pads < grid.nx * grid.ny
    kept = pad_reserved[flat_pads[low]]
    bad = flat_pads[low][(kept >= 0) & (kept != net_of_pad[low])]
    flag[bad] = True
    return flag, count + int(bad.size)


def _open_pins(grid, route: NetRoute, terminals) -> int:
    """Pins of the net not joined to its first pin through the route's edges (union-find)."""
    parent = {}

    def find(a):
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for a, b in route.edges:
        parent[find(a)] = find(b)
    if not terminals:
        return 0
    root = find(terminals[0])
    return sum(find(t) != root for t in terminals[1:])
