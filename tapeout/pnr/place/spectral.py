"""Spectral placement: a start for netlists that no fixed pin anchors (Hall, "An r-dimensional
quadratic placement algorithm", Management Science 1970).

Quadratic placement needs fixed pins: without them its optimum puts every cell on one spot. The
eigenvectors of the two smallest non-zero eigenvalues of the netlist's Laplacian (clique model,
weight ``w / (k - 1)`` per pin pair of a ``k``-pin net) minimise the same quadratic wirelength
under the constraint that the cells spread (unit variance, orthogonal to the trivial solution),
so they unfold the netlist's structure into two coordinates. They are computed for the largest
connected component by shift-invert Lanczos (``scipy.sparse.linalg.eigsh``) and scaled onto a
square of the area the cells need at the target density, centred in the core; cells outside that
component start at the centre. Nets of more than ``MAX_DEGREE`` pins are left out (their
cliques are large and say little about locality).
"""

import numpy as np
import scipy.sparse as sparse
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import eigsh

__all__ = ["spectral_placement", "anchored"]

MAX_DEGREE = 16
SHIFT = -1e-3  # below the spectrum: the shifted Laplacian is positive definite


def anchored(problem, weight):
    """True when some counted net has a pin on a fixed cell (quadratic placement is then determined)."""
    nets = (weight > 0) & (problem.fanout >= 2)
    fixed_pin = ~problem.movable[problem.pin_cell[problem.net_pins]]
    return bool(np.any(fixed_pin & nets[problem.pin_net]))


def spectral_placement(problem, weight, target_density):
    """Lower-left corners (um) of a spectral placement of the movable cells (fixed ones kept).

    Parameters
    ----------
    problem : PlacementProblem
    weight : array of float, shape (n_nets,)
        Per-net weights (0 = left out).
    target_density : float
        Sizes the square the cells are spread over.
    """
    ids = np.flatnonzero(problem.movable)
    x, y = problem.x.copy(), problem.y.copy()
    x0, y0, x1, y1 = problem.core
    cx, cy = 0.5 * (x0 + x1), 0.5 * (y0 + y1)
    x[ids] = cx - 0.5 * problem.width[ids]
    y[ids] = cy - 0.5 * problem.height[ids]
    index = np.full(problem.n_cells, -1, dtype=np.int64)
    index[ids] = np.arange(ids.shape[0])
    degree = problem.fanout
    use = (weight > 0) & (degree >= 2) & (degree <= MAX_DEGREE)
    keep = use[problem.pin_net] & problem.movable[problem.pin_cell[problem.net_pins]]
    cells = index[problem.pin_cell[problem.net_pins[keep]]]
    nets = problem.pin_net[keep]
    if cells.size == 0:
        return x, y
    scale = np.sqrt(weight[nets] / np.maximum(degree[nets] - 1, 1))
    incidence = sparse.csr_matrix((scale, (cells, nets)), shape=(ids.shape[0], problem.n_nets))
    adjacency = (incidence @ incidence.T).tocsr()
    adjacency.setdiag(0.0)
    adjacency.eliminate_zeros()
    n_parts, part = connected_components(adjacency, directed=False)
    largest = np.flatnonzero(part == np.argmax(np.bincount(part)))
    if largest.shape[0] < 4:
        return x, y
    sub = adjacency[largest][:, largest]
    laplacian = (sparse.diags(np.asarray(sub.sum(axis=1)).ravel()) - sub).tocsc()
    start = np.linspace(1.0, 2.0, largest.shape[0])  # deterministic Lanczos start
    values, vectors = eigsh(laplacian, k=3, sigma=SHIFT, which="LM", v0=start)
    order = np.argsort(values)
    u, v = vectors[:, order[1]], vectors[:, order[2]]
    area = float(np.sum(problem.width[ids] * problem.height[ids])) / target_density
    side_x = min(np.sqrt(area * (x1 - x0) / (y1 - y0)), x1 - x0)
    side_y = min(area / side_x, y1 - y0)
    members = ids[largest]
    x[members] = cx + side_x * _unit(u) - 0.5 * problem.width[members]
    y[members] = cy + side_y * _unit(v) - 0.5 * problem.height[members]
    return x, y


def _unit(values):
    """Values spread over [-0.5, 0.5] by rank (an eigenvector's extremes are sparse)."""
    rank = np.empty(values.shape[0])
    rank[np.argsort(values, kind="stable")] = np.arange(values.shape[0])
    return rank / max(values.shape[0] - 1, 1) - 0.5
