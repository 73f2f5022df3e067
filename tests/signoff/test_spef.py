import numpy as np
import pytest

from tapeout.signoff.graph import TimingGraph
from tapeout.signoff.parasitics import estimate_parasitics
from tapeout.signoff.spef import write_spef


def read_spef(path):
    """Minimal reader: per net name, total C, node caps and resistors (names unmapped)."""
    text = open(path).read().splitlines()
    names, nets, net, section = {}, {}, None, None
    def unmap(token):
        head, _, tail = token.partition(":")
        return names.get(head, head) + (":" + tail if tail else "")
    for line in text:
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "*NAME_MAP":
            section = "map"
        elif section == "map" and parts[0].startswith("*") and parts[0][1:].isdigit():
            names[parts[0]] = parts[1]
        elif parts[0] == "*D_NET":
            net = unmap(parts[1])
            nets[net] = {"total": float(parts[2]), "cap": {}, "res": []}
            section = None
        elif parts[0] in ("*CONN", "*CAP", "*RES", "*END"):
            section = parts[0]
        elif section == "*CAP":
            nets[net]["cap"][unmap(parts[1])] = float(parts[2])
        elif section == "*RES":
            nets[net]["res"].append((unmap(parts[1]), unmap(parts[2]), float(parts[3])))
    return nets


def test_spef_round_trip(tmp_path, library):
    g = TimingGraph.from_connections(library, {"d": "INV", "s1": "INV", "s2": "INV"},
                                     {"n": ["d/Y", "s1/A", "s2/A"]})
    x, y = np.zeros(g.n_pins), np.zeros(g.n_pins)
    x[g.pin("s1", "A")], y[g.pin("s2", "A")] = 10.0, 20.0
    p = estimate_parasitics(g, x, y)
    write_spef(g, p, tmp_path / "x.spef")
    nets = read_spef(tmp_path / "x.spef")
    assert nets["n"]["total"] == pytest.approx(p.net_wire_cap_pf()[0], rel=1e-5)
    assert sum(nets["n"]["cap"].values()) == pytest.approx(p.net_wire_cap_pf()[0], rel=1e-5)
    res = {frozenset((a, b)): r for a, b, r in nets["n"]["res"]}
    assert set(res) == {frozenset(("d:Y", "s1:A")), frozenset(("d:Y", "s2:A"))}
    assert sum(res.values()) == pytest.approx(p.net_wire_res_kohm()[0], rel=1e-5)
