"""Clock tree synthesis: balanced buffered tree by recursive geometric clustering.

Level by level from the flops up: the current nodes (sinks, then the buffers of
the level below) are split into groups of at most ``max_fanout`` by the method of
means and medians (Jackson, Srinivasan & Kuh, "Clock routing for
high-performance ICs", DAC 1990): cut at the median of the wider coordinate
span, recursively, so that groups are as equal in size as they can be. Each
group gets a buffer at its members' mean position, driving them over a star of
Manhattan wires. The levels repeat until one buffer (the root) remains.

Delay: a buffer's delay is ``intrinsic + R_drive * C_load`` with ``C_load`` its
wires' and pins' capacitance; a wire of length L to a pin of capacitance C adds
the Elmore delay ``r L (c L / 2 + C)``. kOhm x pF = ns.
"""

from dataclasses import dataclass

import numpy as np

__all__ = ["ClockBuffer", "ClockWire", "ClockTree", "build_clock_tree"]


def _positive(name, value, allow_zero=False):
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and (
        value >= 0 if allow_zero else value > 0)
    if not ok:
        raise ValueError(f"{name} must be a {'non-negative' if allow_zero else 'positive'} number, not {value!r}")


@dataclass(frozen=True)
class ClockBuffer:
    """Clock buffer electrical model (from the Liberty library).

    Parameters
    ----------
    input_cap_pf : float
        Input pin capacitance (pF).
    intrinsic_delay_ns : float
        Delay with no load (ns).
    drive_resistance_kohm : float
        Output resistance (kOhm): delay per pF of load.
    """

    input_cap_pf: float
    intrinsic_delay_ns: float
    drive_resistance_kohm: float

    def __post_init__(self):
        _positive("input_cap_pf", self.input_cap_pf)
        _positive("intrinsic_delay_ns", self.intrinsic_delay_ns, allow_zero=True)
        _positive("drive_resistance_kohm", self.drive_resistance_kohm)


@dataclass(frozen=True)
class ClockWire:
    """Clock wire parasitics per um of length.

    Parameters
    ----------
    r_kohm_per_um : float
        Resistance (kOhm/um).
    c_pf_per_um : float
        Capacitance (pF/um).
    """

    r_kohm_per_um: float
    c_pf_per_um: float

    def __post_init__(self):
        _positive("r_kohm_per_um", self.r_kohm_per_um, allow_zero=True)
        _positive("c_pf_per_um", self.c_pf_per_um, allow_zero=True)


@dataclass(frozen=True)
class ClockTree:
    """A buffered clock tree. Nodes ``0 .. n_sinks - 1`` are the sinks (input
    order), then the buffers level by level; the last node is the root buffer.

    Attributes
    ----------
    node_x_um, node_y_um : ndarray of float
        Node positions (um).
    parent : ndarray of int
        Driving buffer of each node, ``-1`` for the root.
    level : ndarray of int
        0 for sinks, 1 for the buffers driving sinks, ... up to the root.
    arrival_ns : ndarray of float
        Clock arrival at each node's input, from the root buffer's input (ns).
    n_sinks : int
        Number of sinks.
    wirelength_um : float
        Total Manhattan wire length (um).
    """

    node_x_um: np.ndarray
    node_y_um: np.ndarray
    parent: np.ndarray
    level: np.ndarray
    arrival_ns: np.ndarray
    n_sinks: int
    wirelength_um: float

    @property
    def buffer_x_um(self):
        return self.node_x_um[self.n_sinks:]

    @property
    def buffer_y_um(self):
        return self.node_y_um[self.n_sinks:]

    @property
    def buffer_count(self):
        return len(self.node_x_um) - self.n_sinks

    @property
    def sink_latency_ns(self):
        """Clock latency of each sink (ns)."""
        return self.arrival_ns[:self.n_sinks]

    @property
    def latency_ns(self):
        """Largest sink latency (ns)."""
        return float(self.sink_latency_ns.max())

    @property
    def skew_ns(self):
        """Largest minus smallest sink latency (ns)."""
        return float(self.sink_latency_ns.max() - self.sink_latency_ns.min())


def _mmm_groups(x, y, members, max_fanout, groups):
    """Split ``members`` at the median of the wider span until groups fit ``max_fanout``."""
    if len(members) <= max_fanout:
        groups.append(members)
        return
    xs, ys = x[members], y[members]
    key = xs if np.ptp(xs) >= np.ptp(ys) else ys
    ordered = members[np.lexsort((members, key))]  # ties by index: deterministic
    # cut so that both halves need the same number of groups where possible
    n_groups = -(-len(members) // max_fanout)
    cut = len(members) * (n_groups // 2) // n_groups
    _mmm_groups(x, y, ordered[:cut], max_fanout, groups)
    _mmm_groups(x, y, ordered[cut:], max_fanout, groups)


def build_clock_tree(sink_x_um, sink_y_um, sink_cap_pf, buffer, wire, max_fanout=16):
    """Build a balanced buffered clock tree over the sinks.

    Parameters
    ----------
    sink_x_um, sink_y_um : array_like of float
        Clock pin positions (um).
    sink_cap_pf : float or array_like of float
        Clock pin capacitance of each sink (pF).
    buffer : ClockBuffer
        The buffer inserted at every tree node.
    wire : ClockWire
        Wire parasitics.
    max_fanout : int
        Most pins a buffer drives (at least 2).

    Returns
    -------
    ClockTree
    """
    x = np.asarray(sink_x_um, dtype=np.float64)
    y = np.asarray(sink_y_um, dtype=np.float64)
    if x.ndim != 1 or x.shape != y.shape or len(x) == 0:
        raise ValueError(f"sink_x_um and sink_y_um must be non-empty 1-D arrays of one length, not shapes "
                         f"{x.shape} and {y.shape}")
    cap = np.broadcast_to(np.asarray(sink_cap_pf, dtype=np.float64), x.shape)
    if np.any(~np.isfinite(cap)) or np.any(cap < 0):
        raise ValueError("sink_cap_pf must be non-negative")
    if not isinstance(buffer, ClockBuffer):
        raise TypeError(f"buffer must be a ClockBuffer, not {buffer!r}")
    if not isinstance(wire, ClockWire):
        raise TypeError(f"wire must be a ClockWire, not {wire!r}")
    if not (isinstance(max_fanout, int) and not isinstance(max_fanout, bool) and max_fanout >= 2):
        raise ValueError(f"max_fanout must be an integer >= 2, not {max_fanout!r}")

    node_x, node_y, node_cap = list(x), list(y), list(cap)
    parent = [-1] * len(x)
    level = [0] * len(x)
    current = np.arange(len(x))
    depth = 0
    while depth == 0 or len(current) > 1:
        depth += 1
        groups = []
        _mmm_groups(np.asarray(node_x), np.asarray(node_y), current, max_fanout, groups)
        buffers = []
        for members in groups:
            b = len(node_x)
            node_x.append(float(np.mean([node_x[m] for m in members])))
            node_y.append(float(np.mean([node_y[m] for m in members])))
            node_cap.append(buffer.input_cap_pf)
            parent.append(-1)
            level.append(depth)
            for m in members:
                parent[m] = b
            buffers.append(b)
        current = np.array(buffers)

    node_x, node_y = np.array(node_x), np.array(node_y)
    node_cap, parent, level = np.array(node_cap), np.array(parent), np.array(level)
    child = np.flatnonzero(parent >= 0)
    length = np.zeros(len(node_x))
    length[child] = np.abs(node_x[child] - node_x[parent[child]]) + np.abs(node_y[child] - node_y[parent[child]])
    load = np.zeros(len(node_x))  # capacitance each buffer drives (pF)
    np.add.at(load, parent[child], wire.c_pf_per_um * length[child] + node_cap[child])
    arrival = np.zeros(len(node_x))
    for node in range(len(node_x) - 1, -1, -1):  # parents come after their children
        p = parent[node]
        if p < 0:
            continue
        buffer_delay = buffer.intrinsic_delay_ns + buffer.drive_resistance_kohm * load[p]
        wire_delay = wire.r_kohm_per_um * length[node] * (wire.c_pf_per_um * length[node] / 2 + node_cap[node])
        arrival[node] = arrival[p] + buffer_delay + wire_delay
    return ClockTree(node_x, node_y, parent, level, arrival, len(x), float(length.sum()))
