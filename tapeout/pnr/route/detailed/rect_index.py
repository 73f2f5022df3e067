"""Rectangles (um) with an owner net in buckets of about 1 um, for spacing checks between nets' metal."""

from __future__ import annotations

import math


def gap(a, b) -> float:
    """Euclidean distance between two rectangles (um); 0 when they touch or overlap."""
    dx = max(0.0, max(a[0], b[0]) - min(a[2], b[2]))
    dy = max(0.0, max(a[1], b[1]) - min(a[3], b[3]))
    return math.hypot(dx, dy)


class RectIndex:
    """Rectangles with an owner (-1: an obstacle) in buckets of about 1 um, for spacing checks."""

    SIZE = 1.0

    def __init__(self):
        self.buckets: dict[tuple[int, int], list] = {}

    def _keys(self, rect, margin):
        x0, y0, x1, y1 = rect
        for a in range(math.floor((x0 - margin) / self.SIZE), math.floor((x1 + margin) / self.SIZE) + 1):
            for b in range(math.floor((y0 - margin) / self.SIZE), math.floor((y1 + margin) / self.SIZE) + 1):
                yield a, b

    def add(self, rect, owner: int) -> None:
        for key in self._keys(rect, 0.0):
            self.buckets.setdefault(key, []).append((rect, owner))

    def remove(self, rect, owner: int) -> None:
        for key in self._keys(rect, 0.0):
            self.buckets[key].remove((rect, owner))

    def room(self, rect, owner: int, reach: float) -> float:
        """Distance (um) from `rect` to the nearest rectangle of another owner (or obstacle), `reach` when
        none is nearer."""
        nearest = reach
        for key in self._keys(rect, reach):
            for other, who in self.buckets.get(key, ()):
                if who != owner:
                    nearest = min(nearest, gap(rect, other))
        return nearest

    def too_close(self, rect, owner: int, spacing: float) -> bool:
        """True when a rectangle of another owner (or an obstacle) is nearer than `spacing` to `rect`."""
        for key in self._keys(rect, spacing):
            for other, who in self.buckets.get(key, ()):
                if who != owner and gap(rect, other) < spacing - 1e-6:
                    return True
        return False
