import numpy as np

from tapeout.pnr.place.legality import check_legality, count_by_kind
from tapeout.pnr.place.legalize import legalize
from tapeout.pnr.place.synthetic import synthetic_problem


def _legal():
    p = synthetic_problem(300, seed=8, n_macros=1, halo=1.0)
    rng = np.random.default_rng(0)
    x, y = p.x.copy(), p.y.copy()
    x[p.movable] = rng.uniform(0, p.core[2], p.n_movable)
    y[p.movable] = rng.uniform(0, p.core[3], p.n_movable)
    return (p,) + legalize(p, x, y)


def test_checker_finds_each_injected_violation():
    p, x, y = _legal()
    assert check_legality(p, x, y) == []
    ids = np.flatnonzero(p.movable)
    a, b, c, d, e, f = ids[:6]
    x, y = x.copy(), y.copy()
    x[a], y[a] = x[b] + 0.46, y[b]                 # overlaps b
    x[c] += 0.1                                    # off the site grid (may overlap too)
    y[d] += 1.0                                    # off the row grid
    x[e] = p.core[2] - 2 * 0.46                   # sticks out of the core (>= 3 sites)
    macro = np.flatnonzero(~p.movable & (p.width > 0))[0]
    x[f], y[f] = p.x[macro] + 0.92, p.y[macro]     # on the macro
    violations = check_legality(p, x, y)
    kinds = count_by_kind(violations)
    assert kinds["off_site"] == 1 and kinds["off_row"] == 1 and kinds["out_of_core"] == 1
    assert kinds["macro_overlap"] == 1
    names = p.cell_names
    overlaps = [v for v in violations if v.kind == "overlap"]
    assert any(set(v.cells) == {names[a], names[b]} for v in overlaps)
    off = next(v for v in violations if v.kind == "off_site")
    assert off.cells == (names[c],) and off.x == x[c] and off.y == y[c]
    assert str(off) == f"off_site at ({x[c]:.3f}, {y[c]:.3f}) um: cell {names[c]} is not on a site"
    hit = next(v for v in violations if v.kind == "macro_overlap")
    assert hit.cells == (names[f], names[macro])


def test_halo_only_violation():
    p, x, y = _legal()
    macro = np.flatnonzero(~p.movable & (p.width > 0))[0]
    cell = np.flatnonzero(p.movable)[0]
    x, y = x.copy(), y.copy()
    x[cell] = p.x[macro] + p.width[macro] + 0.46   # 0.46 um right of the macro: in the halo
    y[cell] = p.y[macro]
    halo = [v for v in check_legality(p, x, y) if v.cells[0] == p.cell_names[cell]
            and v.kind in ("halo", "macro_overlap")]
    assert [v.kind for v in halo] == ["halo"]
    assert not [v for v in check_legality(p, x, y, halo=0.0) if v.kind == "halo"]
