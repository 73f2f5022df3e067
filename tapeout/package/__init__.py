"""Stage 7, fabrication and packaging: node scaling, die composition and reticle check,
CoWoS interposer with HBM stacks, roofline, wafer economics, floorplan picture.

Entry point: :func:`run_package` (``PackageSpec`` + ``TileFigures`` -> files + metrics).
"""

from .die import RETICLE_AREA_MM2, Die, check_reticle, compose_die, sram_area_mm2
from .errors import InterposerOverflowError, ReticleLimitError
from .evaluate import PackageResult, evaluate_package
from .hbm import HBM_GENERATIONS, HbmGeneration, HbmMemory, hbm_generation
from .interposer import (
                         INTERPOSERS,
                         InterposerType,
                         PackageLayout,
                         Placement,
                         check_interposer,
                         interposer_type,
                         layout_package,
)
from .nodes import NODES, ProcessNode, ScaledBlock, node, scale
from .roofline import Roofline, gemv_intensity
from .run import OUTPUT_FILES, run_package
from .spec import PackageSpec, TileFigures
from .wafer import cost_per_good_die, die_yield, dies_per_wafer_formula, dies_per_wafer_grid, package_cost

__all__ = [
    "RETICLE_AREA_MM2", "Die", "check_reticle", "compose_die", "sram_area_mm2",
    "InterposerOverflowError", "ReticleLimitError", "PackageResult", "evaluate_package",
    "HBM_GENERATIONS", "HbmGeneration", "HbmMemory", "hbm_generation",
    "INTERPOSERS", "InterposerType", "PackageLayout", "Placement", "check_interposer",
    "interposer_type", "layout_package", "NODES", "ProcessNode", "ScaledBlock", "node", "scale",
    "Roofline", "gemv_intensity", "OUTPUT_FILES", "run_package", "PackageSpec", "TileFigures",
    "cost_per_good_die", "die_yield", "dies_per_wafer_formula", "dies_per_wafer_grid",
    "package_cost",
]
