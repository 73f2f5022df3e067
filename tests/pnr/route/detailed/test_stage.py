"""Which designs the droute stage routes in a plain run: small tap130 designs (the counter) are routed
and their layout checked; the default tile (`[droute] enabled = false` in tc4x4.toml) keeps its global
routes, with drc_lvs still there on request."""

from tapeout.flow.config import load_design
from tapeout.flow.engine import Engine
from tapeout.flow.stages import flow_stages
from tests.conftest import ROOT


def test_the_tap130_counter_is_routed_and_the_default_tile_is_not():
    counter = Engine(load_design(ROOT / "designs" / "counter.toml"), flow_stages())
    assert "droute" in counter.selection()[0] and "drc_lvs" in counter.selection()[0]
    assert "droute" in counter.closure(["gds"])
    tile = Engine(load_design(ROOT / "designs" / "tc4x4.toml"), flow_stages())
    assert "droute" not in tile.selection()[0] and "drc_lvs" not in tile.selection()[0]
    assert "droute" not in tile.closure(["gds"]) and "drc_lvs" in tile.closure(["drc_lvs"])  # on request
