"""Electrostatic potential and field of a density map: a spectral Poisson solve.

ePlace (Lu et al., "ePlace: electrostatics-based placement using fast Fourier transform and
Nesterov's method", ACM TODAES 2015) models cells as positive charges and the density map
``rho`` as a charge density: the potential solves ``laplacian(psi) = -rho`` on the core with
Neumann boundaries (no field leaves the core) and a zero mean, and the field
``xi = -grad(psi)`` pushes charge from dense bins toward sparse ones.

On a grid of ``nx`` x ``ny`` bins (bin ``(i, j)`` centred at ``((i + 0.5) bw, (j + 0.5) bh)``)
the cosine series solves it exactly: with ``a[u, v]`` the 2-D DCT-II coefficients of
``rho`` and ``wu = pi u / (nx bw)``, ``wv = pi v / (ny bh)``,

    psi  = sum a[u, v] / (wu^2 + wv^2) cos(wu x) cos(wv y)
    xi_x = sum a[u, v] wu / (wu^2 + wv^2) sin(wu x) cos(wv y)
    xi_y = sum a[u, v] wv / (wu^2 + wv^2) cos(wu x) sin(wv y)

(the ``u = v = 0`` term, the mean, is dropped). The sums are inverse DCT/DST-III transforms
(``scipy.fft``). Lengths are in um; ``rho`` is dimensionless (area over bin area), so ``psi``
is in um^2 and ``xi`` in um.
"""

import numpy as np
from scipy import fft

__all__ = ["solve_poisson"]


def _sine_sum(coeffs, axis):
    """``sum_u c_u A[u] sin(w_u (k + 0.5))`` along ``axis`` (the DST-III of ``A`` shifted by one)."""
    shifted = np.zeros_like(coeffs)
    n = coeffs.shape[axis]
    source = [slice(None)] * coeffs.ndim
    target = [slice(None)] * coeffs.ndim
    source[axis], target[axis] = slice(1, n), slice(0, n - 1)
    shifted[tuple(target)] = coeffs[tuple(source)]
    return fft.dst(shifted, type=3, axis=axis) / n


def _cosine_sum(coeffs, axis):
    """``sum_u c_u A[u] cos(w_u (k + 0.5))`` along ``axis`` (the DCT-III of ``A``)."""
    return fft.dct(coeffs, type=3, axis=axis) / coeffs.shape[axis]


def solve_poisson(rho, bin_w, bin_h, potential=True):
    """Potential and field of the density map ``rho`` (see module docstring).

    Parameters
    ----------
    rho : array of float, shape (nx, ny)
        Density per bin (area over bin area); index 0 is x, index 1 is y.
    bin_w, bin_h : float
        Bin width and height, um.
    potential : bool
        Compute ``psi`` too (the gradient needs only the field; two transforms fewer).

    Returns
    -------
    psi : array, shape (nx, ny), or None
        Potential at the bin centres, um^2 (zero mean).
    field_x, field_y : array, shape (nx, ny)
        The field ``-grad(psi)`` at the bin centres, um.
    """
    rho = np.asarray(rho, dtype=np.float64)
    nx, ny = rho.shape
    a = fft.dctn(rho, type=2) / 4.0   # sum rho cos(wu x) cos(wv y)
    wu = np.pi * np.arange(nx) / (nx * bin_w)
    wv = np.pi * np.arange(ny) / (ny * bin_h)
    w2 = wu[:, None] ** 2 + wv[None, :] ** 2
    w2[0, 0] = 1.0
    a_over = a / w2
    a_over[0, 0] = 0.0
    psi = _cosine_sum(_cosine_sum(a_over, 0), 1) if potential else None
    field_x = _cosine_sum(_sine_sum(a_over * wu[:, None], 0), 1)
    field_y = _sine_sum(_cosine_sum(a_over * wv[None, :], 0), 1)
    return psi, field_x, field_y
