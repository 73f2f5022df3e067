"""Which designs the droute stage routes in a plain run: the tap130 designs (the counter, the default
tile) are routed and their layout checked; `[droute] enabled = false` keeps a design's global routes,
with drc_lvs still there on request."""

from tapeout.flow.config import load_design
from tapeout.flow.engine import Engine
from tapeout.flow.stages import flow_stages
from tests.conftest import ROOT


def test_the_tap130_counter_and_the_default_tile_are_routed():
    for name in ("counter", "tc4x4"):
        engine = Engine(load_design(ROOT / "designs" / f"{name}.toml"), flow_stages())
        assert "droute" in engine.selection()[0] and "drc_lvs" in engine.selection()[0]
        assert "droute" in engine.closure(["gds"])


def test_a_design_with_detailed_routing_off_keeps_its_global_routes(tmp_path):
    text = (ROOT / "designs" / "tc4x4.toml").read_text()
    assert "enabled = true" in text
    design = tmp_path / "tile.toml"
    design.write_text(text.replace("enabled = true", "enabled = false"))
    tile = Engine(load_design(design), flow_stages())
    assert "droute" not in tile.selection()[0] and "drc_lvs" not in tile.selection()[0]
    assert "droute" not in tile.closure(["gds"]) and "drc_lvs" in tile.closure(["drc_lvs"])  # on request
