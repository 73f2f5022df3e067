"""Low-temperature annealing of a legal placement: the annealer as a detailed-placement step.

Moves keep the placement legal on its sites: a cell picked in turn goes to a random site
within ``window`` rows and sites of where it is; if that site starts a free run of sites as
wide as the cell, the cell moves there; if it holds a cell of the same width, the two trade
places; anything else is no move. The cost change of the touched nets is computed incrementally
(`tapeout.pnr.place.cost`) and the move kept by the Metropolis rule.

The schedule is VPR's (`tapeout.pnr.place.schedule`) started cold: the start temperature is
``START_FACTOR`` times the standard deviation of the cost changes of a sample of moves, so only
small uphill moves pass, and the window shrinks toward a few rows as the acceptance falls.
``occupancy[row, site]`` holds the cell on each site, -1 for a free site and -2 where there is
no row (`tapeout.pnr.place.detailed`).
"""

import math
import time
from dataclasses import dataclass

import numpy as np
from numba import njit

from tapeout.pnr.place.cost import cells_delta, commit, fill_boxes, full_cost, sync_pins
from tapeout.pnr.place.schedule import AnnealSchedule
from tapeout.pnr.place.xorshift import below, uniform

__all__ = ["LegalAnnealOutcome", "legal_anneal", "legal_moves"]

START_FACTOR = 0.05
MOVES_PER_CELL = 10   # moves per movable cell per temperature
MAX_TEMPERATURES = 60
START_WINDOW_ROWS = 8


@dataclass
class LegalAnnealOutcome:
    """Moves tried and accepted, temperatures, CPU seconds of the compiled loop, cost change (um)."""

    moves: int
    accepted: int
    temperatures: int
    seconds: float
    delta: float


@njit(cache=True)
def legal_moves(table, xy, width_sites, ids, occupancy, x0, row_y, site, window_rows, window_sites,
                temperature, n_moves, state, cursor, sample):
    """Try ``n_moves`` moves (see module docstring); ``sample`` > 0: record the |delta| of the
    first ``sample`` candidate moves in the returned array and accept nothing.

    Returns (accepted, cost change, deltas)."""
    n_rows, n_sites = occupancy.shape
    pair = np.empty(2, np.int64)
    deltas = np.empty(max(sample, 1))
    n_sampled = 0
    accepted = 0
    total = 0.0
    for _ in range(n_moves):
        a = ids[cursor[0]]
        cursor[0] = cursor[0] + 1 if cursor[0] + 1 < ids.shape[0] else 0
        w = width_sites[a]
        ra = np.searchsorted(row_y, xy[a, 1] - 1e-6)
        sa = np.int64(np.rint((xy[a, 0] - x0) / site))
        lo_r = max(ra - window_rows, 0)
        hi_r = min(ra + window_rows, n_rows - 1)
        lo_s = max(sa - window_sites, 0)
        hi_s = min(sa + window_sites, n_sites - w)
        if hi_s < lo_s:
            continue
        r = lo_r + below(state, hi_r - lo_r + 1)
        s = lo_s + below(state, hi_s - lo_s + 1)
        b = occupancy[r, s]
        if b == a or b == -2:
            continue
        if b >= 0:
            if width_sites[b] != w:
                continue
            s = np.int64(np.rint((xy[b, 0] - x0) / site))  # the two trade places
        else:
            fits = True
            for k in range(s, s + w):
                if occupancy[r, k] != -1 and occupancy[r, k] != a:
                    fits = False
                    break
            if not fits:
                continue
        ax = xy[a, 0]
        ay = xy[a, 1]
        xy[a, 0] = x0 + s * site
        xy[a, 1] = row_y[r]
        n = 1
        pair[0] = a
        if b >= 0:
            xy[b, 0] = ax
            xy[b, 1] = ay
            pair[1] = b
            n = 2
        delta = cells_delta(table, xy, pair, n)
        if sample > 0:
            if n_sampled < sample:
                deltas[n_sampled] = abs(delta)
                n_sampled += 1
            keep = False
        else:
            keep = delta <= 0.0 or (temperature > 0.0 and uniform(state) < math.exp(-delta / temperature))
        if keep:
            commit(table)
            accepted += 1
            total += delta
            for k in range(sa, sa + w):
                occupancy[ra, k] = -1
            if b >= 0:
                for k in range(sa, sa + w):
                    occupancy[ra, k] = b
            for k in range(s, s + w):
                occupancy[r, k] = a
        else:
            if b >= 0:
                xy[b, 0] = xy[a, 0]
                xy[b, 1] = xy[a, 1]
                sync_pins(table, xy, b)
            xy[a, 0] = ax
            xy[a, 1] = ay
            sync_pins(table, xy, a)
    return accepted, total, deltas[:n_sampled]


def legal_anneal(table, xy, width_sites, ids, occupancy, x0, row_y, site, row_height, state,
                 effort=1.0, debug=False):
    """Anneal the legal placement ``xy`` (updated in place) of the cells ``ids``.

    ``table`` must hold the boxes of ``xy`` (`fill_boxes`). Returns a `LegalAnnealOutcome`; with
    ``debug`` the incremental cost is checked against a full recompute after every temperature.
    """
    if ids.shape[0] < 2:
        return LegalAnnealOutcome(0, 0, 0, 0.0, 0.0)
    n_sites = occupancy.shape[1]
    cursor = np.zeros(1, dtype=np.int64)
    window_rows = min(START_WINDOW_ROWS, max(row_y.shape[0] - 1, 1))
    sites_per_row = max(int(round(row_height / site)), 1)
    _, _, sample = legal_moves(table, xy, width_sites, ids, occupancy, x0, row_y, site, window_rows,
                               window_rows * sites_per_row, 0.0, min(ids.shape[0], 20000), state, cursor, 2000)
    spread = float(np.std(sample)) if sample.size else 0.0
    schedule = AnnealSchedule(START_FACTOR * spread, window_rows * row_height, row_height,
                              max(row_y.shape[0], 1) * row_height)
    n_moves = max(1, int(round(MOVES_PER_CELL * effort * ids.shape[0])))
    moves = accepted_total = temperatures = 0
    delta_total = 0.0
    seconds = 0.0
    cost = fill_boxes(table, xy)
    for _ in range(MAX_TEMPERATURES):
        rows = max(1, int(round(schedule.window / row_height)))
        started = time.process_time()
        accepted, delta, _ = legal_moves(table, xy, width_sites, ids, occupancy, x0, row_y, site, rows,
                                         min(rows * sites_per_row, n_sites), schedule.temperature, n_moves,
                                         state, cursor, 0)
        seconds += time.process_time() - started
        moves += n_moves
        accepted_total += accepted
        temperatures += 1
        delta_total += delta
        cost += delta
        if debug:
            fresh = full_cost(table, xy)
            if not math.isclose(cost, fresh, rel_tol=1e-9, abs_tol=1e-6):
                raise AssertionError(f"incremental cost {cost!r} differs from a full recompute {fresh!r}")
        acceptance = accepted / n_moves
        schedule.update(acceptance)
        if schedule.temperature <= 0 or schedule.frozen(cost, table.net.shape[0], acceptance):
            break
    return LegalAnnealOutcome(moves, accepted_total, temperatures, seconds, delta_total)
