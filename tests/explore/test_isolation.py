"""Warming up a pool worker: only what the base design's stages need, and no matplotlib when trials draw
nothing (checked in a fresh interpreter, where nothing was imported before)."""

import json
import subprocess
import sys

from tests.conftest import ROOT

WARM_UP = """
import json, sys
from tapeout.explore.isolation import warm_up
warm_up("tapeout.flow.stages:flow_stages", ["arch", "package"], sys.argv[1] or None, sys.argv[2] == "pictures")
print(json.dumps({name: name in sys.modules for name in ("matplotlib", "numba", "tapeout.package.evaluate")}))
"""


def imported_after_warm_up(design: str, pictures: str) -> dict:
    done = subprocess.run([sys.executable, "-c", WARM_UP, design, pictures], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    return json.loads(done.stdout)


def test_a_design_that_states_its_tile_warms_no_physical_stage_and_no_matplotlib():
    stated = str(ROOT / "designs" / "h100_like.toml")  # [package] states the tile: package needs no signoff
    assert imported_after_warm_up(stated, "none") == {"matplotlib": False, "numba": False,
                                                      "tapeout.package.evaluate": True}
    assert imported_after_warm_up(stated, "pictures")["matplotlib"] is True  # warm for the trials' pictures
    assert imported_after_warm_up("", "none")["numba"] is True  # without the design: every stage package may need
