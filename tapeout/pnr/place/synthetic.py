"""Seeded synthetic netlists with Rent-rule locality, of any size.

Cells get a hidden position on a square grid; every cell drives a net whose sinks lie
at distances drawn from the wire-length distribution of a design with Rent exponent
``p`` (density ``l ** (2p - 4)``, Davis, De and Meindl, "A stochastic wire-length
distribution for gigascale integration", IEEE TED 1998). Net degrees are 2 plus a
geometric tail, so a cell has about ``pins_per_cell`` pins (3.5 is typical of
standard-cell netlists). A clock net reaches a fraction of the cells (flops) and is
ignored by the fanout threshold; a few I/O pins (zero-size fixed cells on the core
edge) and optional fixed macros connect to the cells nearest them in the hidden
placement, so a good placer can recover the hidden structure.

Cell sizes follow a 130 nm-class library: 0.46 um sites, 2.72 um rows, widths of
2 to 24 sites.
"""

import numpy as np

from tapeout.pnr.place.problem import PlacementProblem

__all__ = ["synthetic_problem"]

_MAX_DEGREE = 40


def _check_count(name, value, minimum):
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be an integer of at least {minimum}, not {value!r}")


def _check_fraction(name, value, low, high):
    if not isinstance(value, (int, float)) or not low < value <= high:
        raise ValueError(f"{name} must be a number in ({low}, {high}], not {value!r}")


def _sink_offsets(rng, count, grid_side, rent_exponent):
    """Hidden-grid offsets (dx, dy) of sinks from their driver, Rent-rule lengths."""
    a = 2.0 * rent_exponent - 4.0 + 1.0
    top = float(max(grid_side, 2)) ** a
    length = (1.0 + rng.random(count) * (top - 1.0)) ** (1.0 / a)
    angle = rng.random(count) * 2.0 * np.pi
    return np.rint(length * np.cos(angle)).astype(np.int64), \
        np.rint(length * np.sin(angle)).astype(np.int64)


def synthetic_problem(n_cells, seed=1, utilisation=0.7, pins_per_cell=3.5, n_io=None,
                      n_macros=0, rent_exponent=0.6, clock_fraction=0.1,
                      fanout_threshold=64, site_width=0.46, row_height=2.72, halo=0.0):
    """Build a seeded synthetic `PlacementProblem`.

    Parameters
    ----------
    n_cells : int
        Movable standard cells.
    seed : int
        Same seed, same problem.
    utilisation : float in (0, 1]
        Cell area over free core area.
    pins_per_cell : float
        Target mean pins per movable cell (clock pins included).
    n_io : int or None
        Fixed I/O pins on the core edge; default ``max(8, sqrt(n_cells) / 2)``.
    n_macros : int
        Fixed macros inside the core (each about 4 % of the cell area).
    rent_exponent : float in (0, 1)
        Locality of the nets: lower means shorter wires.
    clock_fraction : float in [0, 1)
        Fraction of cells on the clock net.
    fanout_threshold : int
        Nets with more pins are ignored by the placement cost.
    site_width, row_height : float
        Site width and row height, um.
    halo : float
        Clearance around macros, um.
    """
    _check_count("n_cells", n_cells, 2)
    _check_fraction("utilisation", utilisation, 0.0, 1.0)
    _check_fraction("rent_exponent", rent_exponent, 0.0, 0.99)
    if not isinstance(pins_per_cell, (int, float)) or pins_per_cell < 2.0:
        raise ValueError(f"pins_per_cell must be a number of at least 2, not {pins_per_cell!r}")
    if not isinstance(clock_fraction, (int, float)) or not 0.0 <= clock_fraction < 1.0:
        raise ValueError(f"clock_fraction must be a number in [0, 1), not {clock_fraction!r}")
    n_io = max(8, int(round(np.sqrt(n_cells) / 2))) if n_io is None else n_io
    _check_count("n_io", n_io, 0)
    _check_count("n_macros", n_macros, 0)
    rng = np.random.default_rng(seed)

    sites = np.minimum(2 + rng.geometric(0.3, n_cells), 24)
    cell_w = sites * site_width
    cell_area = float(np.sum(cell_w)) * row_height
    macro_side = np.sqrt(0.04 * cell_area)
    macro_w = np.ceil(macro_side / site_width) * site_width
    macro_h = np.ceil(macro_side / row_height) * row_height
    macro_area = n_macros * (macro_w + 2 * halo) * (macro_h + 2 * halo)
    core_area = cell_area / utilisation + macro_area
    n_rows = max(1, int(np.ceil(np.sqrt(core_area) / row_height)))
    core_w = np.ceil(core_area / (n_rows * row_height) / site_width) * site_width
    core_h = n_rows * row_height

    # Hidden placement: cell i sits at hidden[i] on a side x side grid.
    side = int(np.ceil(np.sqrt(n_cells)))
    slot_cell = rng.permutation(n_cells)
    hidden = np.empty(n_cells, dtype=np.int64)
    hidden[slot_cell] = np.arange(n_cells)
    hx, hy = hidden % side, hidden // side

    def cell_near(gx, gy):
        gx = np.clip(gx, 0, side - 1)
        gy = np.clip(gy, 0, side - 1)
        return slot_cell[(gy * side + gx) % n_cells]

    # Signal nets: one per driver, degree 2 + geometric tail.
    clock_pins = int(round(clock_fraction * n_cells))
    mean_degree = 3.0
    n_signal = max(1, int(round((pins_per_cell * n_cells - clock_pins) / mean_degree)))
    drivers = np.concatenate([rng.permutation(n_cells),
                              rng.integers(0, n_cells, max(0, n_signal - n_cells))])[:n_signal]
    degree = np.minimum(1 + rng.geometric(1.0 / (mean_degree - 1.0), n_signal), _MAX_DEGREE)
    net_of_sink = np.repeat(np.arange(n_signal), degree - 1)
    dx, dy = _sink_offsets(rng, net_of_sink.shape[0], side, rent_exponent)
    sinks = cell_near(hx[drivers[net_of_sink]] + dx, hy[drivers[net_of_sink]] + dy)
    net_ids = [np.arange(n_signal), net_of_sink]
    pin_cells = [drivers, sinks]

    # Fixed cells: macros then I/O pins, both after the movable cells.
    fixed_w, fixed_h, fixed_x, fixed_y, names = [], [], [], [], []
    next_net = n_signal
    for m in range(n_macros):
        t = (m + 1) / (n_macros + 1)
        mx = np.floor((t * core_w - macro_w / 2) / site_width) * site_width
        my = np.floor(((1 - t) * core_h - macro_h / 2) / row_height) * row_height
        fixed_w.append(macro_w), fixed_h.append(macro_h)
        fixed_x.append(mx), fixed_y.append(my), names.append(f"macro{m}")
        macro = n_cells + m
        gx, gy = int(t * (side - 1)), int((1 - t) * (side - 1))
        for k in range(8):
            sink = cell_near(np.array([gx + k % 3 - 1]), np.array([gy + k // 3 - 1]))
            net_ids.append(np.array([next_net, next_net]))
            next_net += 1
            pin_cells.append(np.array([macro, sink[0]]))
    perimeter = 2 * (core_w + core_h)
    spots = (np.arange(n_io) + rng.random(n_io)) / max(n_io, 1) * perimeter
    for k, s in enumerate(spots):
        if s < core_w:
            px, py = s, 0.0
        elif s < core_w + core_h:
            px, py = core_w, s - core_w
        elif s < 2 * core_w + core_h:
            px, py = 2 * core_w + core_h - s, core_h
        else:
            px, py = 0.0, perimeter - s
        fixed_w.append(0.0), fixed_h.append(0.0)
        fixed_x.append(px), fixed_y.append(py), names.append(f"io{k}")
        sink = cell_near(np.array([int(px / core_w * (side - 1))]),
                         np.array([int(py / core_h * (side - 1))]))
        net_ids.append(np.array([next_net, next_net]))
        next_net += 1
        pin_cells.append(np.array([n_cells + n_macros + k, sink[0]]))
    if clock_pins:
        flops = rng.choice(n_cells, clock_pins, replace=False)
        clock_source = n_cells + n_macros if n_io else flops[0]
        members = np.concatenate([[clock_source], flops])
        net_ids.append(np.full(members.shape[0], next_net))
        next_net += 1
        pin_cells.append(members)

    # One pin per (net, cell) pair, in net order; drop nets left with a single pin.
    net_ids = np.concatenate(net_ids).astype(np.int64)
    pin_cells = np.concatenate(pin_cells).astype(np.int64)
    n_total = n_cells + n_macros + n_io
    keys, first = np.unique(net_ids * n_total + pin_cells, return_index=True)
    order = np.sort(first)
    net_ids, pin_cells = net_ids[order], pin_cells[order]
    counts = np.bincount(net_ids, minlength=next_net)
    keep_net = counts >= 2
    keep_pin = keep_net[net_ids]
    net_ids, pin_cells = net_ids[keep_pin], pin_cells[keep_pin]
    renumber = np.cumsum(keep_net) - 1
    net_ids = renumber[net_ids]
    order = np.argsort(net_ids, kind="stable")
    net_ids, pin_cells = net_ids[order], pin_cells[order]
    n_nets = int(keep_net.sum())
    net_ptr = np.zeros(n_nets + 1, dtype=np.int64)
    np.cumsum(np.bincount(net_ids, minlength=n_nets), out=net_ptr[1:])

    width = np.concatenate([cell_w, np.asarray(fixed_w, dtype=np.float64)])
    height = np.concatenate([np.full(n_cells, row_height), np.asarray(fixed_h, np.float64)])
    n_pins = pin_cells.shape[0]
    pin_sites = rng.random(n_pins)
    pin_dx = np.floor(pin_sites * np.maximum(width[pin_cells] / site_width, 1)) * site_width \
        + 0.5 * site_width
    pin_dx = np.minimum(pin_dx, width[pin_cells])
    pin_dy = height[pin_cells] * (0.25 + 0.5 * rng.random(n_pins))
    movable = np.arange(n_total) < n_cells
    x = np.concatenate([np.zeros(n_cells), np.asarray(fixed_x, dtype=np.float64)])
    y = np.concatenate([np.zeros(n_cells), np.asarray(fixed_y, dtype=np.float64)])
    problem = PlacementProblem(
        width=width, height=height, movable=movable, x=x, y=y, net_ptr=net_ptr,
        net_pins=np.arange(n_pins), pin_cell=pin_cells, pin_dx=pin_dx, pin_dy=pin_dy,
        net_weight=np.ones(n_nets), net_ignored=np.zeros(n_nets, dtype=bool),
        core=(0.0, 0.0, float(core_w), float(core_h)), row_height=row_height,
        site_width=site_width, cell_names=[f"c{i}" for i in range(n_cells)] + names,
        net_names=[f"n{i}" for i in range(n_nets)], halo=halo)
    return problem.ignoring_nets(fanout_threshold=fanout_threshold)
