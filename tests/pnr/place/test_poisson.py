import numpy as np

from tapeout.pnr.place.poisson import solve_poisson


def _smooth_map(nx=64, ny=48, bw=2.0, bh=3.0):
    x = (np.arange(nx) + 0.5) * bw
    y = (np.arange(ny) + 0.5) * bh
    gx, gy = np.meshgrid(x, y, indexing="ij")
    return np.exp(-((gx - 40) ** 2 + (gy - 70) ** 2) / 200) + 0.5 * np.exp(-((gx - 90) ** 2 + (gy - 30) ** 2) / 300)


def test_potential_solves_poisson_and_field_is_its_negative_gradient():
    bw, bh = 2.0, 3.0
    rho = _smooth_map(bw=bw, bh=bh)
    psi, fx, fy = solve_poisson(rho, bw, bh)
    laplacian = (psi[2:, 1:-1] - 2 * psi[1:-1, 1:-1] + psi[:-2, 1:-1]) / bw ** 2 \
        + (psi[1:-1, 2:] - 2 * psi[1:-1, 1:-1] + psi[1:-1, :-2]) / bh ** 2
    source = -(rho - rho.mean())[1:-1, 1:-1]
    assert np.abs(laplacian - source).max() < 0.02 * np.abs(source).max()
    assert abs(psi.mean()) < 1e-9 * np.abs(psi).max()
    grad_x = -(psi[2:, :] - psi[:-2, :]) / (2 * bw)
    grad_y = -(psi[:, 2:] - psi[:, :-2]) / (2 * bh)
    assert np.abs(grad_x - fx[1:-1]).max() < 0.02 * np.abs(fx).max()
    assert np.abs(grad_y - fy[:, 1:-1]).max() < 0.02 * np.abs(fy).max()


def test_uniform_density_has_no_field_and_a_dense_bin_pushes_outward():
    _, fx, fy = solve_poisson(np.full((16, 16), 0.7), 1.0, 1.0)
    assert np.abs(fx).max() < 1e-12 and np.abs(fy).max() < 1e-12
    rho = np.zeros((16, 16))
    rho[8, 8] = 1.0
    _, fx, fy = solve_poisson(rho, 1.0, 1.0)
    assert fx[6, 8] < 0 < fx[10, 8] and fy[8, 6] < 0 < fy[8, 10]
    assert np.abs(fx[0, :]).max() < np.abs(fx[6, :]).max()  # Neumann boundary: little field at the edge
