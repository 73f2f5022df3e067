"""Timing paths: the worst path into an endpoint, traced back through the propagation."""

from dataclasses import dataclass, field

__all__ = ["PathPoint", "TimingPath", "trace_path"]


@dataclass(frozen=True)
class PathPoint:
    """One pin on a path: its edge (``"rise"``/``"fall"``), arrival and slew (ns), the
    delay from the previous point (ns) and what that delay is (``"net"`` or the cell type)."""

    pin: str
    edge: str
    arrival_ns: float
    slew_ns: float
    incr_ns: float
    through: str


@dataclass(frozen=True)
class TimingPath:
    """A checked path: ``kind`` is ``setup``, ``hold`` or ``max_delay``.

    ``required_ns`` is the data required time, ``slack_ns = required - arrival`` for
    setup/max-delay and ``arrival - required`` for hold. ``check_ns`` is the library
    setup/hold time (0 for ports and max-delay), ``capture_ns`` the capture clock edge
    plus its latency (or the max delay).
    """

    kind: str
    startpoint: str
    endpoint: str
    start_clock: str
    end_clock: str
    slack_ns: float
    arrival_ns: float
    required_ns: float
    capture_ns: float
    check_ns: float
    points: list = field(default_factory=list)


def trace_path(graph, propagation, pin, edge, pin_labels=None):
    """Points of the worst path ending at (``pin``, ``edge``), startpoint first."""
    labels = pin_labels
    chain = []
    p, e = int(pin), int(edge)
    while p >= 0:
        chain.append((p, e))
        p, e = int(propagation.prev_pin[p, e]), int(propagation.prev_edge[p, e])
    chain.reverse()
    points, last = [], None
    for p, e in chain:
        arrival = float(propagation.arrival[p, e])
        if last is None:
            through = "" if graph.pin_cell[p] < 0 else graph.cell_type_name(graph.pin_cell[p])
        elif graph.pin_cell[p] >= 0 and graph.pin_cell[p] == graph.pin_cell[last[0]] \
                and graph.pin_is_driver[p]:
            through = graph.cell_type_name(graph.pin_cell[p])
        else:
            through = "net"
        points.append(PathPoint(labels[p] if labels else graph.pin_label(p),
                                "rise" if e == 0 else "fall", arrival,
                                float(propagation.slew[p, e]),
                                0.0 if last is None else arrival - float(
                                    propagation.arrival[last[0], last[1]]), through))
        last = (p, e)
    return points

