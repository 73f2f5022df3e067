"""The placed design as later stages reload it: netlist, footprints, floorplan, problem and positions.

A placed design is four files in one stage directory: the netlist as Yosys JSON (`<top>.json`), its
SRAM macros (`memories.json`), the floorplan (`floorplan.json`) and the cell positions
(`placement.npz`: arrays `x`, `y` in um, lower-left corners in the placement problem's cell order,
cells first, then one zero-size cell per port bit).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tapeout.netlist.netlist import Netlist
from tapeout.pnr.floorplan.floorplan import Floorplan, floorplan_from_json
from tapeout.pnr.floorplan.from_netlist import Footprints, legal_pin_positions, placement_problem
from tapeout.pnr.formats.arrays_file import load_arrays, save_arrays
from tapeout.pnr.place.problem import PlacementProblem

FANOUT_NOT_USED = 1 << 30  # net weights are not needed after placement
PLACEMENT_KIND, PLACEMENT_VERSION = "placement", 1


@dataclass
class PlacedDesign:
    netlist: Netlist
    footprints: Footprints
    plan: Floorplan
    problem: PlacementProblem
    x: np.ndarray
    y: np.ndarray

    @property
    def pin_xy(self) -> tuple[np.ndarray, np.ndarray]:
        """Absolute (x, y) um of every pin, cells in odd rows mirrored (FS) as in the DEF."""
        return legal_pin_positions(self.problem, self.x, self.y)


def save_placement(path: Path, x: np.ndarray, y: np.ndarray) -> None:
    """Write cell positions (um) as `placement.npz`."""
    save_arrays(path, PLACEMENT_KIND, PLACEMENT_VERSION, x=np.asarray(x, dtype=np.float64),
                y=np.asarray(y, dtype=np.float64))


def load_placement(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Cell positions (um) from `placement.npz`."""
    arrays = load_arrays(path, PLACEMENT_KIND, PLACEMENT_VERSION)
    return arrays["x"], arrays["y"]


def load_placed(folder: Path, top: str, technology=None) -> PlacedDesign:
    """The netlist of `folder` with its floorplan and cell positions, cells linked to the technology's
    typical-corner library (default: tap130)."""
    from tapeout.netlist.from_synth import load_synthesized
    from tapeout.pnr.formats.arrays_file import HandoffError

    netlist = load_synthesized(folder, top, technology.library() if technology is not None else None)
    footprints = Footprints.of(netlist, technology)
    plan = floorplan_from_json(json.loads((Path(folder) / "floorplan.json").read_text()))
    problem = placement_problem(netlist, footprints, plan, FANOUT_NOT_USED)
    x, y = load_placement(Path(folder) / "placement.npz")
    if len(x) != problem.n_cells:
        raise HandoffError(f"{folder}/placement.npz holds {len(x)} positions for {problem.n_cells} cells: "
                           "it does not belong to this netlist; rerun with --force")
    return PlacedDesign(netlist, footprints, plan, problem, x, y)
