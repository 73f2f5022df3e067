"""Smooth wirelength for gradient placement: the weighted-average (WA) model and its gradient.

Per net and axis, with pin coordinates ``x_i`` and smoothing length ``gamma`` (um),

    WA = sum x_i e^(x_i / gamma) / sum e^(x_i / gamma) - sum x_i e^(-x_i / gamma) / sum e^(-x_i / gamma)

which tends to the net's span (max - min) as ``gamma`` goes to 0 and never exceeds it (Hsu,
Chang and Balabanov, "TSV-aware analytical placement for 3D IC designs", DAC 2011; used by
ePlace). The exponents are shifted by the net's max and min so that nothing overflows. The
gradient of the positive term by ``x_i`` is ``a_i / S (1 + (x_i - T / S) / gamma)`` with
``a_i = e^((x_i - max) / gamma)``, ``S = sum a``, ``T = sum x a``; the negative term mirrors it.
Pins sit at a fixed offset from their cell's centre, so a cell's gradient is the sum over its pins.
"""

import math
from typing import NamedTuple

import numpy as np
from numba import njit

__all__ = ["PinNets", "pin_nets", "wa_wirelength"]


class PinNets(NamedTuple):
    """The pins of the nets that count, in net order.

    cell : int64 (n_pins,)  the cell of each pin
    dx, dy : float (n_pins,)  offset from the cell's centre, um
    start : int64 (n_nets + 1,)  CSR start of each net's pins
    weight : float (n_nets,)  net weight
    """

    cell: np.ndarray
    dx: np.ndarray
    dy: np.ndarray
    start: np.ndarray
    weight: np.ndarray

    @property
    def n_nets(self):
        return self.weight.shape[0]

    def pins_per_cell(self, n_cells):
        """Number of pins on counted nets of every cell, shape (n_cells,)."""
        return np.bincount(self.cell, minlength=n_cells)


def pin_nets(problem, weight):
    """The nets of ``problem`` with positive ``weight`` and at least two pins, as `PinNets`."""
    used = (weight > 0) & (problem.fanout >= 2)
    keep = used[problem.pin_net]
    pins = problem.net_pins[keep]
    cell = problem.pin_cell[pins]
    net = problem.pin_net[keep]
    start = np.r_[np.flatnonzero(np.r_[True, net[1:] != net[:-1]]), net.shape[0]] if net.size \
        else np.zeros(1, dtype=np.int64)
    return PinNets(cell.astype(np.int64), problem.pin_dx[pins] - 0.5 * problem.width[cell],
                   problem.pin_dy[pins] - 0.5 * problem.height[cell], start.astype(np.int64),
                   weight[net[start[:-1]]].astype(np.float64))


@njit(cache=True, fastmath=True)
def _wa_axis(pos, cell, offset, start, weight, gamma, grad, px, ea, eb):
    """WA length and exact span summed over nets (weighted); adds the gradient into ``grad``.

    ``px``, ``ea``, ``eb`` are scratch arrays of one entry per pin."""
    total = 0.0
    span = 0.0
    inv = 1.0 / gamma
    for p in range(cell.shape[0]):
        px[p] = pos[cell[p]] + offset[p]
    for n in range(weight.shape[0]):
        s = start[n]
        e = start[n + 1]
        hi = px[s]
        lo = px[s]
        for p in range(s + 1, e):
            hi = max(hi, px[p])
            lo = min(lo, px[p])
        for p in range(s, e):
            ea[p] = (px[p] - hi) * inv
            eb[p] = (lo - px[p]) * inv
        for p in range(s, e):
            ea[p] = math.exp(ea[p])
            eb[p] = math.exp(eb[p])
        sa = 0.0
        ta = 0.0
        sb = 0.0
        tb = 0.0
        for p in range(s, e):
            sa += ea[p]
            ta += px[p] * ea[p]
            sb += eb[p]
            tb += px[p] * eb[p]
        w = weight[n]
        mean_hi = ta / sa
        mean_lo = tb / sb
        total += w * (mean_hi - mean_lo)
        span += w * (hi - lo)
        wa = w / sa
        wb = w / sb
        for p in range(s, e):
            x = px[p]
            grad[cell[p]] += wa * ea[p] * (1.0 + (x - mean_hi) * inv) - wb * eb[p] * (1.0 - (x - mean_lo) * inv)
    return total, span


def wa_wirelength(nets, cx, cy, gamma):
    """Weighted-average wirelength of ``nets`` with cells centred at ``(cx, cy)`` (um).

    Returns
    -------
    length : float
        Sum over nets of weight times (WA_x + WA_y), um.
    hpwl : float
        The exact weighted half-perimeter length of the same nets, um.
    grad_x, grad_y : array, shape (len(cx),)
        Gradient of ``length`` by each cell's centre.
    """
    if not gamma > 0:
        raise ValueError(f"gamma must be a positive number, not {gamma!r}")
    grad_x = np.zeros(len(cx))
    grad_y = np.zeros(len(cy))
    cx = np.ascontiguousarray(cx, dtype=np.float64)
    cy = np.ascontiguousarray(cy, dtype=np.float64)
    n_pins = nets.cell.shape[0]
    scratch = (np.empty(n_pins), np.empty(n_pins), np.empty(n_pins))
    lx, sx = _wa_axis(cx, nets.cell, nets.dx, nets.start, nets.weight, float(gamma), grad_x, *scratch)
    ly, sy = _wa_axis(cy, nets.cell, nets.dy, nets.start, nets.weight, float(gamma), grad_y, *scratch)
    return lx + ly, sx + sy, grad_x, grad_y
