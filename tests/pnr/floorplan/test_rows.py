import dataclasses

import numpy as np

from tapeout.pnr.floorplan.rows import blockages, row_segments
from tapeout.pnr.place.synthetic import synthetic_problem


def test_rows_split_around_a_macro_with_its_halo():
    p = synthetic_problem(200, seed=1, n_macros=1, halo=0.5)
    macro = np.flatnonzero(~p.movable & (p.width > 0))[0]
    mx0, my0 = p.x[macro], p.y[macro]
    mx1, my1 = mx0 + p.width[macro], my0 + p.height[macro]
    seg = row_segments(p)
    n_rows = p.n_rows
    assert seg.y.shape == (n_rows,) and seg.row_ptr[-1] == seg.row.shape[0]
    for r in range(n_rows):
        ylo, yhi = seg.y[r], seg.y[r] + p.row_height
        pieces = [(seg.x0[s], seg.x1[s]) for s in range(seg.row_ptr[r], seg.row_ptr[r + 1])]
        hit = ylo < my1 + 0.5 and yhi > my0 - 0.5
        assert len(pieces) == (2 if hit else 1)
        if hit:
            assert pieces[0][1] <= mx0 - 0.5 + 1e-9 and pieces[1][0] >= mx1 + 0.5 - 1e-9
            assert pieces[1][0] - pieces[0][1] < p.width[macro] + 1 + 2 * p.site_width
        for a, b in pieces:
            assert np.allclose(np.array([a, b]) / p.site_width,
                               np.rint(np.array([a, b]) / p.site_width))
    assert blockages(p).shape == (1, 4)
    free = seg.capacity * p.row_height
    core = (p.core[2] - p.core[0]) * (p.core[3] - p.core[1])
    assert free < core - p.width[macro] * p.height[macro]


def test_zero_size_pins_do_not_block():
    p = synthetic_problem(100, seed=1)
    seg = row_segments(p)
    assert seg.row.shape[0] == p.n_rows
    assert np.allclose(seg.x0, p.core[0])
    q = dataclasses.replace(p, core=(0.0, 0.0, p.core[2] + 0.3, p.core[3]))
    assert np.allclose(row_segments(q).x1, np.floor((p.core[2] + 0.3) / 0.46) * 0.46)
