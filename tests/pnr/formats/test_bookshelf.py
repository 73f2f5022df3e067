from pathlib import Path

import numpy as np
import pytest

from tapeout.errors import ConfigError
from tapeout.pnr.formats.bookshelf import place_bookshelf, read_bookshelf, write_pl
from tapeout.pnr.place.cost import hpwl
from tapeout.pnr.place.legality import check_legality
from tapeout.pnr.place.legalize import legalize

TINY = Path(__file__).parent / "data" / "tiny" / "tiny.aux"


def test_reads_the_tiny_benchmark():
    p = read_bookshelf(TINY)
    assert (p.n_cells, p.n_movable, p.n_nets, p.n_pins) == (14, 10, 9, 26)
    assert p.core == (0.0, 0.0, 20.0, 12.0)
    assert (p.row_height, p.site_width) == (2.0, 1.0)
    blk = p.cell_names.index("blk")
    assert (p.x[blk], p.y[blk], p.width[blk], p.movable[blk]) == (8.0, 4.0, 4.0, False)
    assert p.net_names[0] == "in" and p.fanout.tolist() == [3, 2, 3, 2, 3, 2, 3, 3, 5]
    # "a0 I : -0.5 0.5" on a 2 x 2 cell: offset from the centre -> from the lower-left.
    pin = p.net_pins[1]
    assert p.cell_names[p.pin_cell[pin]] == "a0"
    assert (p.pin_dx[pin], p.pin_dy[pin]) == (0.5, 1.5)
    assert read_bookshelf(TINY, fanout_threshold=4).net_ignored.tolist() == [False] * 8 + [True]


def test_pl_round_trip(tmp_path):
    p = read_bookshelf(TINY)
    for suffix in ("aux", "nodes", "nets", "wts", "scl"):
        (tmp_path / f"tiny.{suffix}").write_text((TINY.parent / f"tiny.{suffix}").read_text())
    x = np.arange(p.n_cells) * 1.5
    y = np.arange(p.n_cells) * 0.25
    write_pl(tmp_path / "tiny.pl", p, x, y)
    text = (tmp_path / "tiny.pl").read_text()
    assert "blk\t15\t2.5\t: N /FIXED" in text and "a1\t1.5\t0.25\t: N\n" in text
    back = read_bookshelf(tmp_path / "tiny.aux")
    assert np.array_equal(back.x, x) and np.array_equal(back.y, y)


def test_place_bookshelf_writes_a_legal_placement(tmp_path):
    out = tmp_path / "placed.pl"
    report = place_bookshelf(TINY, out, seed=3, effort=1.0)
    assert report["violations"] == 0 and report["method"] == "anneal"
    assert (report["cells"], report["movable"], report["nets"]) == (14, 10, 9)
    assert report["hpwl"] < report["hpwl_initial"]
    for suffix in ("aux", "nodes", "nets", "wts", "scl"):
        (tmp_path / f"tiny.{suffix}").write_text((TINY.parent / f"tiny.{suffix}").read_text())
    out.replace(tmp_path / "tiny.pl")
    placed = read_bookshelf(tmp_path / "tiny.aux")
    assert check_legality(placed, placed.x, placed.y) == []
    again = tmp_path / "again.pl"
    place_bookshelf(TINY, again, seed=3, effort=1.0)
    assert again.read_text() == (tmp_path / "tiny.pl").read_text()


@pytest.mark.parametrize("file, text, message", [
    ("tiny.nets", "UCLA nets 1.0\nNetDegree : 2 n0\na0 I\nzz I\n",
     "tiny.nets:4: unknown node 'zz'"),
    ("tiny.nets", "UCLA nets 1.0\nNetDegree : 3 n0\na0 I\na1 I\n",
     "tiny.nets: the last net has fewer pins than its NetDegree"),
    ("tiny.nodes", "UCLA nodes 1.0\na0 two 2\n", "tiny.nodes:2: width must be a number of at least 0, "
                                                 "not 'two'"),
    ("tiny.scl", "UCLA scl 1.0\nCoreRow Horizontal\n Coordinate : 0\nEnd\n",
     "tiny.scl:4: row without Height"),
    ("tiny.aux", "RowBasedPlacement : tiny.nodes tiny.nets\n",
     "tiny.aux:1: the aux line names no .pl, .scl file"),
])
def test_bad_files_give_one_clear_line(tmp_path, file, text, message):
    for suffix in ("aux", "nodes", "nets", "wts", "pl", "scl"):
        (tmp_path / f"tiny.{suffix}").write_text((TINY.parent / f"tiny.{suffix}").read_text())
    (tmp_path / file).write_text(text)
    with pytest.raises(ConfigError) as info:
        read_bookshelf(tmp_path / "tiny.aux")
    assert str(info.value) == f"{tmp_path / file}{message[len(file):]}"


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match=r"nope\.aux: cannot read \(No such file or "
                                          r"directory\)$"):
        read_bookshelf(tmp_path / "nope.aux")


def _ispd98_like(folder, movable=True):
    """A benchmark written the way ISPD 98's IBM files are: odd keyword case, rows with a gap and a
    split row, a fixed macro, a terminal_NI block, pads, and movable multi-row cells."""
    rng = np.random.default_rng(5)
    cells = [(f"a{i}", int(rng.integers(1, 4)), 16) for i in range(40)]
    cells += [("m0", 6, 48), ("m1", 4, 32)]  # movable, three and two rows tall
    kind = "" if movable else " terminal"
    nodes = ["UCLA nodes 1.0", f"NUMNODES : {len(cells) + 6}", "numterminals : 6" if movable else ""]
    nodes += [f"{n} {w} {h}{kind}" for n, w, h in cells]
    nodes += ["blk 8 32 terminal", "ni 10 16 terminal_NI", "p0 0 0 Terminal", "p1 0 0 terminal",
              "p2 0 0 terminal", "p3 0 0 terminal"]
    if not movable:
        nodes[2] = f"NumTerminals : {len(cells) + 6}"
    names = [n for n, _, _ in cells] + ["blk", "ni", "p0", "p1", "p2", "p3"]
    nets, pins = ["UCLA nets 1.0"], 0
    for k in range(45):
        members = rng.choice(len(names), size=int(rng.integers(2, 5)), replace=False)
        nets.append(f"netdegree : {len(members)} n{k}")
        nets += [f"  {names[m]} B : {rng.uniform(-0.5, 0.5):.2f} 0" for m in members]
        pins += len(members)
    nets.insert(1, f"NumPins : {pins}")
    pl = ["UCLA pl 1.0"] + [f"{n} 0 0 : N" for n, _, _ in cells]
    pl += ["blk 40 32 : N /FIXED", "ni 10 0 : N /FIXED_NI", "p0 0 50 : N /FIXED", "p1 100 50 : N /FIXED",
           "p2 50 0 : N /FIXED", "p3 50 160 : N /FIXED"]
    rows = []
    for r in range(10):
        if r == 4:
            continue  # a gap between rows
        subrows = [(0, 45), (50, 50)] if r == 7 else [(0, 100)]  # row 7 is split
        for origin, sites in subrows:
            rows += ["CoreRow Horizontal", f"  Coordinate : {16 * r}", "  Height : 16", "  Sitewidth : 1",
                     "  Sitespacing : 1", "  Siteorient : N", "  Sitesymmetry : Y",
                     f"  SubrowOrigin : {origin} Numsites : {sites}", "END"]
    files = {"nodes": nodes, "nets": nets, "pl": pl, "scl": ["UCLA scl 1.0", "NumRows : 10"] + rows, "wts": []}
    for suffix, lines in files.items():
        (folder / f"b.{suffix}").write_text("\n".join(lines) + "\n")
    (folder / "b.aux").write_text("RowBasedPlacement : b.nodes b.nets b.wts b.pl b.scl\n")
    return folder / "b.aux"


def test_reads_and_places_an_ispd98_style_benchmark(tmp_path):
    aux = _ispd98_like(tmp_path)
    p = read_bookshelf(aux)
    assert (p.n_cells, p.n_movable, p.site_width, p.row_height) == (48, 42, 1.0, 16.0)
    assert p.core == (0.0, 0.0, 100.0, 160.0) and p.n_rows == 9
    assert p.rows.shape == (10, 3) and 64.0 not in set(p.rows[:, 0])
    blk, ni = p.cell_names.index("blk"), p.cell_names.index("ni")
    assert not p.movable[blk] and p.width[blk] == 8 and not p.movable[ni] and p.width[ni] == 0
    assert p.height[p.cell_names.index("m0")] == 48
    out = tmp_path / "placed.pl"
    report = place_bookshelf(aux, out, method="eplace")
    rng = np.random.default_rng(0)
    x, y = p.x.copy(), p.y.copy()
    x[p.movable], y[p.movable] = rng.uniform(0, 100, p.n_movable), rng.uniform(0, 160, p.n_movable)
    assert report["violations"] == 0 and report["hpwl"] < 0.8 * hpwl(p, *legalize(p, x, y))
    assert report["displacement_max_rows"] >= report["displacement_mean_rows"] > 0
    out.replace(tmp_path / "b.pl")
    placed = read_bookshelf(aux)
    assert check_legality(placed, placed.x, placed.y) == []
    for m in ("m0", "m1"):  # multi-row cells sit on rows that exist, not in the gap
        c = placed.cell_names.index(m)
        assert all(placed.y[c] + 16 * k in set(placed.rows[:, 0]) for k in range(int(placed.height[c] // 16)))


@pytest.mark.parametrize("file, text, message", [
    ("b.nets", "UCLA nets 1.0\nNetDegree :\n", "b.nets:2: expected 'NetDegree : <pins> [name]'"),
    ("b.nets", "UCLA nets 1.0\nNetDegree : 2.7 n0\na0 I\na1 I\n", "b.nets:2: NetDegree must be a whole number, "
                                                              "not '2.7'"),
    ("b.nodes", "UCLA nodes 1.0\na0 nan 16\n", "b.nodes:2: width must be a number of at least 0, not 'nan'"),
    ("b.nodes", "UCLA nodes 1.0\na0 2 -16\n", "b.nodes:2: height must be a number of at least 0, not '-16'"),
    ("b.nodes", "UCLA nodes 1.0\nNumNodes : 3\na0 2 16\n", "b.nodes:2: NumNodes says 3 but the file lists 1"),
    ("b.pl", "UCLA pl 1.0\na0 inf 0 : N\n", "b.pl:2: x must be a number, not 'inf'"),
    ("b.scl", "UCLA scl 1.0\ncorerow Horizontal\n coordinate : 0\n height : 16\n sitewidth : 1\n"
              " subroworigin : 0 numsites : 10\nend\ncorerow Horizontal\n coordinate : 8\n height : 16\n"
              " sitewidth : 1\n subroworigin : 0 numsites : 10\nend\n",
     "b.scl: rows must not overlap: rows start less than the row height 16 um apart"),
    ("b.nodes", b"\x00\x01\x02binary\xff", "b.nodes: not a text file (binary content); expected a Bookshelf file"),
    ("b.nodes", "", "b.nodes: no nodes"),
])
def test_malformed_bookshelf_gives_one_line(tmp_path, file, text, message):
    aux = _ispd98_like(tmp_path)
    if isinstance(text, bytes):
        (tmp_path / file).write_bytes(text)
    else:
        (tmp_path / file).write_text(text)
    with pytest.raises(ConfigError) as info:
        read_bookshelf(aux)
    assert str(info.value) == f"{tmp_path / file}{message[len(file):]}"


@pytest.mark.parametrize("movable", [False, None])
def test_place_command_without_movable_cells_says_so(tmp_path, movable):
    """Issue 21: terminals only (or empty files) crashed the annealer with a segfault."""
    import subprocess
    import sys

    aux = _ispd98_like(tmp_path, movable=bool(movable))
    if movable is None:
        for suffix in ("nodes", "nets", "pl"):
            (tmp_path / f"b.{suffix}").write_text("")
    run = subprocess.run([sys.executable, "-m", "tapeout.flow.cli", "place", "--bookshelf", str(aux)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 2, run.stderr
    expected = f"{aux}: no movable cells to place (every node is fixed)" if movable is False \
        else f"{tmp_path / 'b.nodes'}: no nodes"
    assert run.stderr.strip() == f"error: {expected}" and "Traceback" not in run.stderr
