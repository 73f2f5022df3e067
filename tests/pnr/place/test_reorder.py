import numpy as np

from tapeout.pnr.place.cost import hpwl
from tapeout.pnr.place.reorder import morton_order, renumber
from tapeout.pnr.place.synthetic import synthetic_problem


def test_renumbering_keeps_the_netlist_and_its_wirelength():
    p = synthetic_problem(500, seed=5, n_macros=1)
    rng = np.random.default_rng(0)
    x = rng.uniform(0, p.core[2], p.n_cells)
    y = rng.uniform(0, p.core[3], p.n_cells)
    order = morton_order(p, x, y)
    assert sorted(order.tolist()) == list(range(p.n_cells))
    assert np.all(p.movable[order[:p.n_movable]])
    q, net_order = renumber(p, order)
    assert np.isclose(hpwl(q, x[order], y[order]), hpwl(p, x, y), rtol=1e-12)
    assert q.cell_names[0] == p.cell_names[order[0]]
    assert q.net_names[0] == p.net_names[net_order[0]]
    assert np.array_equal(q.net_ignored, p.net_ignored[net_order])
    # Same pin sets per net, by name.
    for n in range(0, q.n_nets, 37):
        new = {q.cell_names[c] for c in q.pin_cell[q.net_pins[q.net_ptr[n]:q.net_ptr[n + 1]]]}
        m = net_order[n]
        old = {p.cell_names[c] for c in p.pin_cell[p.net_pins[p.net_ptr[m]:p.net_ptr[m + 1]]]}
        assert new == old
    # Cells close on the Z curve are close on the chip.
    gaps = np.hypot(np.diff(x[order[:p.n_movable]]), np.diff(y[order[:p.n_movable]]))
    assert np.median(gaps) < 0.1 * p.core[2]
