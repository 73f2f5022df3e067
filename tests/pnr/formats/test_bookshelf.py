from pathlib import Path

import numpy as np
import pytest

from tapeout.errors import ConfigError
from tapeout.pnr.formats.bookshelf import place_bookshelf, read_bookshelf, write_pl
from tapeout.pnr.place.legality import check_legality

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
    ("tiny.nodes", "UCLA nodes 1.0\na0 two 2\n", "tiny.nodes:2: width must be a number, "
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
