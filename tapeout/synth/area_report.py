"""Area and cell counts from Yosys ``stat -liberty -json -hierarchy`` (hierarchy kept)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from tapeout.yosys_text import module_name


@dataclass(frozen=True)
class ModuleArea:
    """Area of one module as synthesized.

    area_um2 : one instance including its submodules (um^2)
    local_area_um2 : its own cells only (um^2)
    cells : leaf cells of one instance, submodules included
    instances : how many times it occurs under the top module
    """

    area_um2: float
    local_area_um2: float
    cells: int
    instances: int


@dataclass(frozen=True)
class BlockArea:
    """All instances of one kind of block: total area (um^2, submodules included) and count."""

    area_um2: float
    instances: int


def block_name(module: str) -> str:
    """The kind of block a module is: its last dotted component without ``_<n>`` indices.

    Amaranth names each instance's module by its path (``tile.array.pe_0_3``), so
    ``pe_0_3`` and ``pe_1_2`` are both block ``pe``.
    """
    return re.sub(r"(_\d+)+$", "", module.rsplit(".", 1)[-1]) or module


@dataclass(frozen=True)
class AreaReport:
    """The whole design: total area (um^2), leaf cells per type, per-module areas."""

    top: str
    area_um2: float
    sequential_area_um2: float
    cells_by_type: dict[str, int]
    modules: dict[str, ModuleArea]

    @property
    def cells(self) -> int:
        return sum(self.cells_by_type.values())

    @property
    def blocks(self) -> dict[str, BlockArea]:
        """Area per kind of block (see `block_name`), summed over the instances under the top."""
        totals: dict[str, list] = {}
        for name, module in self.modules.items():
            if module.instances:
                total = totals.setdefault(block_name(name), [0.0, 0])
                total[0] += module.area_um2 * module.instances
                total[1] += module.instances
        return {name: BlockArea(area, count) for name, (area, count) in sorted(totals.items())}


def _instance_counts(modules: dict, top: str) -> dict[str, int]:
    """Occurrences of each module under `top` (top counts once).

    In ``num_submodules_by_type`` the ``count`` of a child is its direct instances.
    """
    children = {module_name(m): {module_name(s): int(v["count"])
                           for s, v in data.get("num_submodules_by_type", {}).items()}
                for m, data in modules.items()}
    counts: dict[str, int] = {}

    def visit(module: str, times: int) -> None:
        counts[module] = counts.get(module, 0) + times
        for child, n in children.get(module, {}).items():
            visit(child, times * n)

    visit(top, 1)
    return counts


def read_area_report(path: Path, top: str) -> AreaReport:
    """Parse the hierarchical ``stat -json`` output written by synthesis."""
    data = json.loads(Path(path).read_text())
    design = data["design"]
    counts = _instance_counts(data["modules"], top)
    modules = {}
    for raw, stats in data["modules"].items():
        name = module_name(raw)
        modules[name] = ModuleArea(area_um2=float(stats["num_cells"]["area"]),
                                   local_area_um2=float(stats["num_cells"]["local_area"]),
                                   cells=int(stats["num_cells"]["count"]),
                                   instances=counts.get(name, 0))
    by_type = {kind: int(v["count"]) for kind, v in sorted(design["num_cells_by_type"].items())}
    return AreaReport(top=top, area_um2=float(design["num_cells"]["area"]),
                      sequential_area_um2=float(design["sequential_area"]["area"]),
                      cells_by_type=by_type, modules=modules)
