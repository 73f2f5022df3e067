"""The package stage's glue: the signed-off tile's figures from the place and signoff outputs."""

import json

import pytest

from tapeout.errors import StageError
from tapeout.flow.config import load_design
from tapeout.package.stage import PackageStage, tile_figures
from tapeout.pnr.place.stage import FLOORPLAN_JSON
from tapeout.signoff.stage import SIGNOFF_JSON
from tests.conftest import ROOT


def write_outputs(tmp_path, fmax=100.0):
    place, signoff = tmp_path / "place", tmp_path / "signoff"
    place.mkdir()
    signoff.mkdir()
    (place / "floorplan.json").write_text(json.dumps(
        {"die": [0, 0, 1000.0, 800.0], "macros": [{"width": 100.0, "height": 50.0}]}))
    (signoff / "signoff.json").write_text(json.dumps(
        {"timing": {"timing__fmax__mhz": fmax},
         "power": {"power__switching__mw": 6.0, "power__internal__mw": 4.0, "power__leakage__mw": 0.5}}))
    return place / "floorplan.json", signoff / "signoff.json"


def test_tile_figures_from_the_stage_outputs(tmp_path):
    config = load_design(ROOT / "designs" / "tc4x4.toml")  # 10 ns clock, 4x4 array
    tile = tile_figures(config, *write_outputs(tmp_path, fmax=200.0))
    assert tile.area_um2 == 800000.0 and tile.sram_area_um2 == 5000.0
    assert tile.fmax_mhz == 200.0 and tile.macs == 16
    assert tile.power_mw == pytest.approx(10.0 * 200.0 / 100.0 + 0.5)  # dynamic power scales with the clock


def test_no_fmax_is_a_clear_error(tmp_path):
    config = load_design(ROOT / "designs" / "tc4x4.toml")
    with pytest.raises(StageError, match="no clocked path"):
        tile_figures(config, *write_outputs(tmp_path, fmax=None))


def test_a_stated_tile_needs_nothing_from_the_physical_stages(tmp_path):
    stage = PackageStage()
    measured = load_design(ROOT / "designs" / "tc4x4.toml")
    assert stage.input_artifacts(measured) == (FLOORPLAN_JSON, SIGNOFF_JSON)
    assert stage.needs_for(measured) == ("place", "signoff")
    text = (ROOT / "designs" / "tc4x4.toml").read_text().replace(
        "[package]\n", "[package]\ntile_area_um2 = 980099.0\ntile_fmax_mhz = 110.3\ntile_power_mw = 21.4\n")
    (tmp_path / "stated.toml").write_text(text)
    stated = load_design(tmp_path / "stated.toml")
    assert stage.input_artifacts(stated) == () and stage.needs_for(stated) == ()
    assert stage.needs == ("place", "signoff")      # the declaration (README table) keeps both
