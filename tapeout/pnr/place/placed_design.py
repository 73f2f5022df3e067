"""Reload what the place stage produced: netlist, footprints, floorplan, problem and positions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tapeout.netlist.netlist import Netlist
from tapeout.pnr.floorplan.floorplan import Floorplan, floorplan_from_json
from tapeout.pnr.floorplan.from_netlist import Footprints, pin_positions, placement_problem
from tapeout.pnr.place.problem import PlacementProblem

FANOUT_NOT_USED = 1 << 30  # net weights are not needed after placement


@dataclass
class PlacedDesign:
    netlist: Netlist
    footprints: Footprints
    plan: Floorplan
    problem: PlacementProblem
    x: np.ndarray
    y: np.ndarray
    arrays: dict

    @property
    def pin_xy(self) -> tuple[np.ndarray, np.ndarray]:
        return pin_positions(self.problem, self.x, self.y)


def load_placed(place_dir: Path, top: str) -> PlacedDesign:
    """The place stage's netlist (drivers resized) with its floorplan and cell positions."""
    from tapeout.netlist.from_synth import load_synthesized

    netlist = load_synthesized(place_dir, top)
    footprints = Footprints.of(netlist)
    plan = floorplan_from_json(json.loads((Path(place_dir) / "floorplan.json").read_text()))
    problem = placement_problem(netlist, footprints, plan, FANOUT_NOT_USED)
    with np.load(Path(place_dir) / "placement.npz") as data:
        arrays = {k: data[k] for k in data.files}
    return PlacedDesign(netlist, footprints, plan, problem, arrays["x"], arrays["y"], arrays)
