import numpy as np
import pytest

from tapeout.netlist.names import WrittenName
from tapeout.signoff.graph import TimingGraph
from tapeout.signoff.parasitics import estimate_parasitics, wire_timing
from tapeout.signoff.spef import format_spef, write_spef
from tapeout.signoff.spef_reader import SpefError, parse_spef, read_spef


def design(library):
    """A driver with a name full of special characters, two loads and an output port on one net."""
    g = TimingGraph.from_connections(
        library, {"$d.x[1]": "INV", "s1": "INV", "s2": "INV"},
        {"n$1.a[3]": ["$d.x[1]/Y", "s1/A", "s2/A", "y[0]"], "in_net": ["a[2]", "$d.x[1]/A"]},
        inputs=["a[2]"], outputs=["y[0]"])
    rng = np.random.default_rng(3)
    return g, estimate_parasitics(g, rng.uniform(0, 50, g.n_pins), rng.uniform(0, 50, g.n_pins))


def test_names_escaped_ports_directed_and_port_nets_named_as_ports(library):
    g, p = design(library)
    names = [WrittenName("y", 0), WrittenName("a", 2)]
    text = format_spef(g, p, "top", names)
    assert '*SPEF "IEEE 1481-2009"' in text
    assert "\\$d\\.x\\[1\\]" in text and "n$1" not in text      # escaped; the port net is named y[0]
    assert "*PORTS\na[2] I\ny[0] O\n" in text
    assert "*D_NET y[0] " in text and "*D_NET a[2] " in text
    assert "*P a[2] I" in text and "*P y[0] O" in text
    assert "*I *1:Y O *D INV" in text or "*I *2:Y O *D INV" in text


def test_round_trip_gives_the_same_wire_timing(tmp_path, library):
    g, p = design(library)
    write_spef(g, p, tmp_path / "x.spef", "top")
    q = read_spef(tmp_path / "x.spef", g)
    a, b = wire_timing(p, g), wire_timing(q, g)
    assert np.allclose(a.pin_delay_ns, b.pin_delay_ns, rtol=1e-5, atol=1e-9)
    assert np.allclose(a.net_load_pf, b.net_load_pf, rtol=1e-5)
    assert q.net_wire_res_kohm() == pytest.approx(p.net_wire_res_kohm(), rel=1e-5)


def test_units_are_scaled(library):
    g, p = design(library)
    text = format_spef(g, p, "top").replace("*C_UNIT 1 PF", "*C_UNIT 1 FF").replace("*R_UNIT 1 KOHM", "*R_UNIT 1 OHM")
    q = parse_spef(text, g)
    assert q.net_wire_cap_pf() == pytest.approx(p.net_wire_cap_pf() * 1e-3, rel=1e-5)
    assert q.net_wire_res_kohm() == pytest.approx(p.net_wire_res_kohm() * 1e-3, rel=1e-5)


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace("*D_NET *1 ", "*D_NET *9 ").replace("*NAME_MAP\n", "*NAME_MAP\n*9 nope\n"),
     "x.spef:{line}: net nope is not in the netlist"),
    (lambda t: t.replace("*PORTS\na[2] I\ny[0] O\n", "*PORTS\na[2] I\n"),
     "x.spef: port y[0] of the netlist is missing from *PORTS"),
    (lambda t: t.replace("*PORTS\na[2] I", "*PORTS\na[2] I\nb I"), "x.spef:{line}: port b is not a port of the netlist"),
    (lambda t: t.replace("*I *3:A I *D INV", "*I *3:Z I *D INV"), "x.spef:{line}: pin s1:Z is not a pin of the netlist"),
])
def test_a_mismatch_is_one_line_naming_it(tmp_path, library, edit, message):
    g, p = design(library)
    text = edit(format_spef(g, p, "top"))
    (tmp_path / "x.spef").write_text(text)
    with pytest.raises(SpefError) as info:
        read_spef(tmp_path / "x.spef", g)
    got = str(info.value)
    assert "\n" not in got
    if "{line}" in message:
        head, tail = message.split("{line}")
        assert got.startswith(str(tmp_path / head)) and got.endswith(tail)
        line = int(got[len(str(tmp_path / head)):].split(":")[0])
        assert text.splitlines()[line - 1]  # names a real line of the file
    else:
        assert got == str(tmp_path / message)


def test_pin_on_another_net_and_resistor_loop(library):
    g, p = design(library)
    text = format_spef(g, p, "top")
    moved = text.replace("*P a[2] I", "*P y[0] O", 1)
    with pytest.raises(SpefError, match=r"port y\[0\] is on net n\$1\.a\[3\] in the netlist, not on in_net"):
        parse_spef(moved, g)
    lines = text.splitlines()
    res = lines.index("*RES")
    first = lines[res + 1].split()
    lines.insert(res + 1, f"9 {first[2]} {first[1]} 0.5")
    with pytest.raises(SpefError, match="resistor loop in net"):
        parse_spef("\n".join(lines), g)
