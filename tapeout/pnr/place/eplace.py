"""Electrostatic global placement in the manner of ePlace / RePlAce.

Minimises ``W(v) + lambda N(v)`` over the cell centres ``v``: ``W`` is the weighted-average
wirelength (`tapeout.pnr.place.wirelength`), ``N`` the electrostatic energy of the density map
(`tapeout.pnr.place.density`, `tapeout.pnr.place.poisson`), by Nesterov's method with a
Lipschitz step (`tapeout.pnr.place.nesterov`), the gradient preconditioned by each object's pin
count plus ``lambda`` times its area (ePlace-MS). Lu et al., "ePlace" (TODAES 2015) and
"ePlace-MS" (TCAD 2015); Cheng, Kahng, Kang and Wang, "RePlAce" (TCAD 2019).

- Free space is the core's free row segments (`tapeout.pnr.floorplan.rows`): fixed macros with
  their halos, gaps between rows and the core edge are blocked. Blocked area carries charge at
  the target density, so it repels cells as a bin filled to the target would.
- Filler cells (the mean cell size, no nets) take up the whitespace above the target density,
  so that cells may cluster at the target density instead of being spread over the whole core.
- Movable macros (multi-row cells) are charges like any cell (their preconditioner is their
  area); the legaliser places them first.
- ``lambda`` starts at ``INITIAL_DENSITY_WEIGHT`` times the ratio of the gradients' L1 norms and
  is multiplied each iteration by ``mu = MU_MAX ** (1 - dHPWL / ref)`` within
  [``MU_MIN``, ``MU_MAX``] (RePlAce), ``ref`` being ``REF_HPWL_FRACTION`` of the larger of the
  HPWL and an estimate of a spread placement's (while the cells still overlap, their HPWL says
  little); the WA smoothing length is ``GAMMA_BINS`` bins times ``10 ** (20/9 overflow - 11/9)``.
  The iterations stop when the overflow (the cells' charge above the target density, summed over
  bins, over the cells' area; charge as the field sees it, smoothed) reaches ``target_overflow``.
  When the HPWL grows past ``DIVERGENCE`` times its value at overflow ``LATE_OVERFLOW`` first
  (the density term overwhelms the wirelength), the run stops and the point of least overflow is
  kept (RePlAce's divergence check).
- ``inflation`` scales cell areas for the density term (routability:
  `tapeout.pnr.place.route_estimate`); ``fillers`` carries the fillers over from a previous round.
- Cells start from ``start`` plus up to half a bin of seeded noise (cells on one spot would
  feel the same field and never part).

Lengths in um.
"""

import time
from dataclasses import dataclass, field

import numpy as np

from tapeout.pnr.floorplan.rows import row_segments
from tapeout.pnr.place.density import free_area, gather, make_bin_grid, overflow, smoothed, spread
from tapeout.pnr.place.nesterov import Nesterov
from tapeout.pnr.place.poisson import solve_poisson
from tapeout.pnr.place.wirelength import pin_nets, wa_wirelength

__all__ = ["GlobalPlacement", "global_place", "random_fillers"]

INITIAL_DENSITY_WEIGHT = 8e-5
MU_MAX = 1.1
MU_MIN = 0.95
REF_HPWL_FRACTION = 0.004
GAMMA_BINS = 8.0      # 4 left 1.31x of the optimum at 10K cells, 20 % whitespace; 8 1.29x (README)
MIN_ITERATIONS = 30
LATE_OVERFLOW = 0.3   # below this overflow, the wirelength may grow at most DIVERGENCE times
DIVERGENCE = 1.5
BIN_FILL = 1.0


@dataclass
class GlobalPlacement:
    """The result of `global_place`.

    x, y : lower-left corners of every cell (fixed cells unchanged), um.
    iterations : Nesterov iterations run.
    overflow : final overflow (0 to 1).
    trace : per iteration (iteration, HPWL um, overflow, density weight).
    bins : the bin grid used.
    runtime_s : wall time, s.
    """

    x: np.ndarray
    y: np.ndarray
    iterations: int
    overflow: float
    trace: list = field(default_factory=list)
    bins: object = None
    runtime_s: float = 0.0
    state: dict = field(default_factory=dict)


def random_fillers(segments, row_height, count, width, rng):
    """Centres of ``count`` fillers of ``width`` at random on the free row segments."""
    length = segments.x1 - segments.x0
    pick = rng.choice(length.shape[0], size=count, p=length / length.sum())
    x = segments.x0[pick] + rng.random(count) * np.maximum(length[pick] - width, 0.0) + 0.5 * width
    y = segments.y[segments.row[pick]] + 0.5 * row_height
    return x, y


def _filler_width(width, height, row_height):
    """ePlace: the mean width of the single-row cells between the 5th and 95th percentile."""
    single = width[height <= row_height + 1e-9]
    if single.size == 0:
        return float(np.mean(width))
    lo, hi = np.percentile(single, [5, 95])
    middle = single[(single >= lo) & (single <= hi)]
    return float(np.mean(middle if middle.size else single))


def global_place(problem, weight, *, target_density, seed=1, start=None, inflation=None,
                 target_overflow=0.1, max_iterations=1500, density_weight=None, fillers=None, progress=None,
                 reweight=None, reweight_overflows=()):
    """Spread the movable cells of ``problem`` to ``target_density``, minimising wirelength.

    Parameters
    ----------
    problem : PlacementProblem
    weight : array of float, shape (n_nets,)
        Per-net cost weights (0 = left out).
    target_density : float in (0, 1]
        Cell area a bin may hold over its free area.
    seed : int
        Seeds the fillers.
    start : (x, y) or None
        Lower-left corners to start from (e.g. the quadratic placement); default: the
        problem's positions.
    inflation : array of float, shape (n_cells,), or None
        Area factor of each cell in the density term (>= 1).
    target_overflow : float
        Stop when the overflow is this low.
    max_iterations : int
    density_weight : float or None
        The starting ``lambda``; default from the gradient norms.
    fillers : (x, y) or None
        Filler centres to start from (a previous round's ``state["fillers"]``): as many as are
        needed are taken, any more are placed at random.
    progress : callable(fraction, message) or None
    reweight : callable(x, y) -> weight, or None
        Called with the lower-left corners of every cell when the overflow first falls to each of
        ``reweight_overflows``; returns new per-net weights (timing-driven placement:
        `tapeout.pnr.place.timing_weights`). Nets of weight 0 must stay 0.
    reweight_overflows : sequence of float
        Those overflow checkpoints.

    Returns
    -------
    GlobalPlacement
    """
    if not 0 < target_density <= 1:
        raise ValueError(f"target_density must be a number in (0, 1], not {target_density!r}")
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    ids = np.flatnonzero(problem.movable)
    n_cells = ids.shape[0]
    width, height = problem.width[ids], problem.height[ids]
    x0, y0, x1, y1 = problem.core
    segments = row_segments(problem)
    cell_area = float(np.sum(width * height))
    free_total = float(np.sum((segments.x1 - segments.x0) * problem.row_height))
    mean_area = cell_area / max(n_cells, 1)
    grid = make_bin_grid(problem.core, int(BIN_FILL * target_density * free_total / max(mean_area, 1e-12)))
    free = free_area(grid, segments, problem.row_height)
    fixed_charge = target_density * np.maximum(grid.bin_area - free, 0.0)

    inflate = np.ones(n_cells) if inflation is None else np.asarray(inflation, np.float64)[ids]
    charge_w = width * np.sqrt(inflate)
    charge_h = height * np.sqrt(inflate)
    filler_w = _filler_width(width, height, problem.row_height)
    filler_area = target_density * free_total - float(np.sum(charge_w * charge_h))
    n_fillers = max(int(filler_area // (filler_w * problem.row_height)), 0)
    fx, fy = random_fillers(segments, problem.row_height, n_fillers, filler_w, rng)
    if fillers is not None:
        kept = min(n_fillers, len(fillers[0]))
        fx[:kept], fy[:kept] = fillers[0][:kept], fillers[1][:kept]
    obj_w = np.concatenate([charge_w, np.full(n_fillers, filler_w)])
    obj_h = np.concatenate([charge_h, np.full(n_fillers, problem.row_height)])
    smooth_w, smooth_h, smooth_scale = smoothed(grid, obj_w, obj_h)
    area = obj_w * obj_h
    n_obj = obj_w.shape[0]

    sx, sy = (problem.x, problem.y) if start is None else start
    # Noise of up to half a bin separates cells that start on one spot (their fields would be equal).
    v0 = np.concatenate([sx[ids] + 0.5 * width + (rng.random(n_cells) - 0.5) * grid.bin_w, fx,
                         sy[ids] + 0.5 * height + (rng.random(n_cells) - 0.5) * grid.bin_h, fy])
    half_w = 0.5 * np.concatenate([width, np.full(n_fillers, filler_w)])
    half_h = 0.5 * np.concatenate([height, np.full(n_fillers, problem.row_height)])
    lower = np.concatenate([x0 + half_w, y0 + half_h])
    upper = np.concatenate([np.maximum(x1 - half_w, x0 + half_w), np.maximum(y1 - half_h, y0 + half_h)])

    nets = pin_nets(problem, weight)
    index = np.full(problem.n_cells, -1, dtype=np.int64)
    index[ids] = np.arange(n_cells)
    fixed_x = problem.x + 0.5 * problem.width
    fixed_y = problem.y + 0.5 * problem.height
    pins = np.concatenate([nets.pins_per_cell(problem.n_cells)[ids], np.zeros(n_fillers)])
    charge_area = float(np.sum(charge_w * charge_h))

    state = {"lambda": density_weight, "gamma": _gamma(grid, 1.0), "hpwl": 0.0, "overflow": 1.0, "nets": nets,
             "weight": weight}

    def place_all(v):
        cx, cy = fixed_x.copy(), fixed_y.copy()
        cx[ids], cy[ids] = v[:n_cells], v[n_obj:n_obj + n_cells]
        return cx, cy

    def parts(v):
        """Wirelength and density gradients (unpreconditioned) at ``v``; records HPWL, overflow."""
        cx, cy = place_all(v)
        _, span, gwx, gwy = wa_wirelength(state["nets"], cx, cy, state["gamma"])
        ox, oy = v[:n_obj], v[n_obj:]
        cells = spread(grid, ox[:n_cells], oy[:n_cells], smooth_w[:n_cells], smooth_h[:n_cells],
                       smooth_scale[:n_cells])
        charge = spread(grid, ox[n_cells:], oy[n_cells:], smooth_w[n_cells:], smooth_h[n_cells:],
                        smooth_scale[n_cells:], out=fixed_charge + cells)
        _, field_x, field_y = solve_poisson(charge / grid.bin_area, grid.bin_w, grid.bin_h, potential=False)
        gdx, gdy = gather(grid, ox, oy, smooth_w, smooth_h, smooth_scale, field_x, field_y)
        state["hpwl"] = span
        state["overflow"] = overflow(cells, free, target_density, charge_area)
        wire = np.concatenate([gwx[ids], np.zeros(n_fillers), gwy[ids], np.zeros(n_fillers)])
        return wire, -np.concatenate([gdx, gdy])

    def gradient(v):
        wire, dens = parts(v)
        precondition = np.maximum(pins + state["lambda"] * area, 1.0)
        return (wire + state["lambda"] * dens) / np.concatenate([precondition, precondition])

    def corners_of(v):
        """Lower-left corners of every cell (fixed cells unchanged) at ``v``."""
        x, y = problem.x.copy(), problem.y.copy()
        x[ids], y[ids] = v[:n_cells] - 0.5 * width, v[n_obj:n_obj + n_cells] - 0.5 * height
        return x, y

    if state["lambda"] is None:
        wire, dens = parts(v0)
        ratio = np.abs(wire).sum() / max(np.abs(dens).sum(), 1e-300)
        state["lambda"] = INITIAL_DENSITY_WEIGHT * ratio
    spread_hpwl = _spread_hpwl(nets, mean_area / target_density)
    optimizer = Nesterov(v0, gradient, lower, upper, first_step=0.1 * min(grid.bin_w, grid.bin_h))
    trace = []
    previous_hpwl = state["hpwl"]
    iteration = 0
    done = 0.0
    best = (np.inf, optimizer.v.copy())  # (overflow, v) at the least overflow so far
    late_hpwl = None  # HPWL when the overflow first fell below LATE_OVERFLOW
    diverged = False
    checkpoints = sorted((float(o) for o in reweight_overflows), reverse=True) if reweight is not None else []
    for iteration in range(1, max_iterations + 1):
        optimizer.step()
        hpwl_now, over = state["hpwl"], state["overflow"]
        if checkpoints and over <= checkpoints[0]:
            while checkpoints and over <= checkpoints[0]:
                checkpoints.pop(0)
            state["weight"] = _reweighted(reweight, problem, state["weight"], corners_of(optimizer.v))
            state["nets"] = pin_nets(problem, state["weight"])
        trace.append((iteration, hpwl_now, over, state["lambda"]))
        if progress is not None and iteration % 10 == 0:
            done = max(done, min(1.0, (1.0 - over) / max(1.0 - target_overflow, 1e-9)))
            progress(done, f"global placement {iteration}: HPWL {hpwl_now:.6g} um, overflow {over:.3f}")
        if over < best[0]:
            best = (over, optimizer.v.copy())
        if late_hpwl is None and over < LATE_OVERFLOW:
            late_hpwl = hpwl_now
        if late_hpwl is not None and hpwl_now > DIVERGENCE * late_hpwl:
            diverged = True  # wirelength runs away for little density gain: keep the best point
            break
        if over <= target_overflow and iteration >= MIN_ITERATIONS:
            break
        delta = hpwl_now - previous_hpwl
        previous_hpwl = hpwl_now
        reference = REF_HPWL_FRACTION * max(hpwl_now, spread_hpwl)
        mu = MU_MAX if delta < 0 else max(MU_MIN, MU_MAX ** (1.0 - delta / reference))
        state["lambda"] *= mu
        state["gamma"] = _gamma(grid, over)
    final_overflow, final = best if diverged else (state["overflow"], optimizer.v)
    x, y = corners_of(final)
    return GlobalPlacement(x=x, y=y, iterations=iteration,
                           overflow=final_overflow, trace=trace, bins=grid,
                           runtime_s=time.perf_counter() - started,
                           state={"lambda": state["lambda"], "weight": state["weight"],
                                  "fillers": (final[n_cells:n_obj].copy(), final[n_obj + n_cells:].copy())})


def _reweighted(reweight, problem, old, corners):
    """``reweight``'s new net weights, checked: same shape, finite, non-negative, zero where ``old`` is."""
    new = np.asarray(reweight(*corners), dtype=np.float64)
    if new.shape != old.shape or not np.all(np.isfinite(new)) or np.any(new < 0) \
            or np.any((new > 0) != (old > 0)):
        raise ValueError(f"reweight must return {problem.n_nets} finite weights, positive exactly where "
                         "the nets' weights are")
    return new


def _spread_hpwl(nets, area_per_cell):
    """A scale for the HPWL of a spread placement: each net's pins on a square of its pin
    count's share of the area (um). Keeps the density-weight schedule sane while the cells
    still sit on top of each other."""
    degree = np.diff(nets.start)
    return float(np.sum(nets.weight * 2.0 * np.sqrt(np.maximum(degree - 1, 1) * area_per_cell)))


def _gamma(grid, over):
    """The WA smoothing length for an overflow (ePlace): wide while cells overlap, narrow at the end."""
    base = GAMMA_BINS * 0.5 * (grid.bin_w + grid.bin_h)
    return base * 10.0 ** (20.0 / 9.0 * min(max(over, 0.0), 1.0) - 11.0 / 9.0)
