"""Wafer economics: dies per wafer, die yield, cost per good die and per good package.

Formulas
--------
Gross dies per wafer (de Vries, "Investigation of gross die per wafer formulas",
IEEE Trans. Semiconductor Manufacturing 18(1), 2005; Hennessy & Patterson,
"Computer Architecture: A Quantitative Approach", 5th ed., section 1.6)::

    DPW = pi d^2 / (4 A) - pi d / sqrt(2 A)

with d the usable diameter (wafer diameter minus twice the edge exclusion) and
A the die area including its share of the scribe lane. :func:`dies_per_wafer_grid`
counts the whole dies of a rectangular grid that fit the usable circle exactly,
for the best grid offset.

Die yield, A in cm2 and D0 in defects/cm2:

* Poisson: ``Y = exp(-A D0)``;
* Murphy (B. T. Murphy, "Cost-size optima of monolithic integrated circuits",
  Proc. IEEE 52(12), 1964): ``Y = ((1 - exp(-A D0)) / (A D0))^2``;
* negative binomial (C. H. Stapper, "Defect density distribution for LSI yield
  calculations", IEEE Trans. Electron Devices 20(7), 1973; the form used by
  Hennessy & Patterson): ``Y = (1 + A D0 / alpha)^-alpha``, alpha the defect
  clustering parameter (small alpha = strong clustering; alpha -> inf gives Poisson).

The default is the negative binomial with alpha = 4, as in Hennessy & Patterson, 5th ed.,
section 1.6 (their worked example: D0 0.4/cm2, alpha 4, a 2.25 cm2 die yields 0.44): clustered
defects are what fabs observe, and Poisson, which ignores clustering, is the pessimistic bound.
The package report shows all three models for the die.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

WAFER_DIAMETER_MM = 300.0
DEFAULT_SCRIBE_MM = 0.1
"""Scribe (saw) lane width between dies (mm); engineering assumption, typical 60-100 um."""
DEFAULT_EDGE_EXCLUSION_MM = 3.0
"""Unusable ring at the wafer edge (mm); engineering assumption, typical 2-3 mm."""
DEFAULT_CLUSTERING_ALPHA = 4.0
"""Negative-binomial clustering parameter: 4, the value of Hennessy & Patterson, 5th ed., section 1.6
(Cunningham, IEEE Trans. Semiconductor Manufacturing 3(2), 1990, reports 0.3-5 across fabs)."""

YIELD_MODELS = ("poisson", "murphy", "negative_binomial")
DEFAULT_YIELD_MODEL = "negative_binomial"
"""Hennessy & Patterson's model (5th ed., section 1.6), with :data:`DEFAULT_CLUSTERING_ALPHA`."""


def _check_positive(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f"{name} must be a positive number, not {value!r}")
    return float(value)


def _check_non_negative(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise ValueError(f"{name} must be a non-negative number, not {value!r}")
    return float(value)


def _usable_diameter(wafer_diameter_mm: float, edge_exclusion_mm: float) -> float:
    d = _check_positive("wafer_diameter_mm", wafer_diameter_mm) \
        - 2 * _check_non_negative("edge_exclusion_mm", edge_exclusion_mm)
    if d <= 0:
        raise ValueError(f"edge_exclusion_mm must be below half the wafer diameter, "
                         f"not {edge_exclusion_mm!r}")
    return d


def dies_per_wafer_formula(die_width_mm: float, die_height_mm: float,
                           wafer_diameter_mm: float = WAFER_DIAMETER_MM,
                           scribe_mm: float = DEFAULT_SCRIBE_MM,
                           edge_exclusion_mm: float = DEFAULT_EDGE_EXCLUSION_MM) -> float:
    """Gross dies per wafer from the standard formula (not rounded).

    Each die occupies (width + scribe) x (height + scribe) mm.
    """
    d = _usable_diameter(wafer_diameter_mm, edge_exclusion_mm)
    scribe = _check_non_negative("scribe_mm", scribe_mm)
    area = (_check_positive("die_width_mm", die_width_mm) + scribe) \
        * (_check_positive("die_height_mm", die_height_mm) + scribe)
    return max(0.0, math.pi * d * d / (4 * area) - math.pi * d / math.sqrt(2 * area))


def _grid_counts(radius: float, pitch_x: float, pitch_y: float, off_x: float, offs_y: np.ndarray) -> np.ndarray:
    """Whole dies inside the circle of `radius` (mm) for the grid offset `off_x` and each offset of `offs_y`."""
    # Columns [off_x + i*px, off_x + (i+1)*px]; a die is inside when all its corners are.
    i = np.arange(math.floor((-radius - off_x) / pitch_x), math.ceil((radius - off_x) / pitch_x) + 1)
    x0 = off_x + i * pitch_x
    x1 = x0 + pitch_x
    x_far = np.maximum(np.abs(x0), np.abs(x1))
    inside = x_far <= radius
    half = np.sqrt(np.clip(radius * radius - x_far[inside] ** 2, 0.0, None))[:, None]
    j_lo = np.ceil((-half - offs_y) / pitch_y - 1e-9)
    j_hi = np.floor((half - offs_y) / pitch_y + 1e-9) - 1
    return np.clip(j_hi - j_lo + 1, 0, None).sum(axis=0)


def dies_per_wafer_grid(die_width_mm: float, die_height_mm: float,
                        wafer_diameter_mm: float = WAFER_DIAMETER_MM,
                        scribe_mm: float = DEFAULT_SCRIBE_MM,
                        edge_exclusion_mm: float = DEFAULT_EDGE_EXCLUSION_MM,
                        offsets: int = 16) -> int:
    """Exact count of whole dies in a step-and-repeat grid inside the usable circle.

    The grid offset is swept over ``offsets`` x ``offsets`` positions within one
    pitch (deterministic) and the best count is returned.
    """
    radius = _usable_diameter(wafer_diameter_mm, edge_exclusion_mm) / 2
    scribe = _check_non_negative("scribe_mm", scribe_mm)
    px = _check_positive("die_width_mm", die_width_mm) + scribe
    py = _check_positive("die_height_mm", die_height_mm) + scribe
    if isinstance(offsets, bool) or not isinstance(offsets, int) or offsets < 1:
        raise ValueError(f"offsets must be a positive integer, not {offsets!r}")
    steps = np.arange(offsets) / offsets
    return int(max(_grid_counts(radius, px, py, fx * px, steps * py).max() for fx in steps))


def die_yield(area_mm2: float, d0_per_cm2: float, model: str = DEFAULT_YIELD_MODEL,
              alpha: float = DEFAULT_CLUSTERING_ALPHA) -> float:
    """Fraction of dies without a killer defect.

    Parameters
    ----------
    area_mm2 : float
        Die area (mm2).
    d0_per_cm2 : float
        Defect density (defects/cm2).
    model : str
        "poisson", "murphy" or "negative_binomial".
    alpha : float
        Clustering parameter of the negative binomial model.
    """
    ad = _check_non_negative("area_mm2", area_mm2) / 100 * _check_non_negative("d0_per_cm2", d0_per_cm2)
    if model == "poisson":
        return math.exp(-ad)
    if model == "murphy":
        return 1.0 if ad == 0 else ((1 - math.exp(-ad)) / ad) ** 2
    if model == "negative_binomial":
        alpha = _check_positive("alpha", alpha)
        return (1 + ad / alpha) ** -alpha
    raise ValueError(f"model must be one of {', '.join(YIELD_MODELS)}, not {model!r}")


def die_yields(area_mm2: float, d0_per_cm2: float,
               alpha: float = DEFAULT_CLUSTERING_ALPHA) -> dict[str, float]:
    """The die yield by every model of :data:`YIELD_MODELS` (same arguments as :func:`die_yield`)."""
    return {model: die_yield(area_mm2, d0_per_cm2, model, alpha) for model in YIELD_MODELS}


def cost_per_good_die(wafer_cost_usd: float, dies_per_wafer: int, yield_ratio: float) -> float:
    """Wafer cost spread over the good dies of the wafer (USD)."""
    wafer_cost_usd = _check_non_negative("wafer_cost_usd", wafer_cost_usd)
    if isinstance(dies_per_wafer, bool) or not isinstance(dies_per_wafer, int) or dies_per_wafer < 1:
        raise ValueError(f"dies_per_wafer must be a positive integer, not {dies_per_wafer!r}")
    if not 0 < yield_ratio <= 1:
        raise ValueError(f"yield_ratio must be above 0 and at most 1, not {yield_ratio!r}")
    return wafer_cost_usd / (dies_per_wafer * yield_ratio)


@dataclass(frozen=True)
class PackageCost:
    """Cost of one good package.

    Packaging follows the chip-on-wafer flow of CoWoS: dies and HBM stacks are
    bonded to an untested interposer, so one bad interposer or one failed bond
    scraps every part in the package. With known-good dies (KGD, tested before
    assembly) the die cost is the cost per *good* die; without KGD the raw
    die cost is paid and the die yield joins the assembly yield.

    Attributes
    ----------
    die_cost_usd : float
        Cost of one die as bought for assembly (USD).
    hbm_cost_usd, interposer_cost_usd, assembly_cost_usd : float
        Cost of all stacks, of one interposer, of assembly and test (USD).
    assembly_yield : float
        Interposer yield x bond yield^(dies + stacks) [x die yield^dies without KGD].
    dies : int
    """

    die_cost_usd: float
    dies: int
    hbm_cost_usd: float
    interposer_cost_usd: float
    assembly_cost_usd: float
    assembly_yield: float

    @property
    def bill_of_materials_usd(self) -> float:
        """Cost of the parts and assembly of one package attempt (USD)."""
        return (self.dies * self.die_cost_usd + self.hbm_cost_usd + self.interposer_cost_usd
                + self.assembly_cost_usd)

    @property
    def cost_per_good_package_usd(self) -> float:
        """Cost of one attempt divided by the assembly yield (USD)."""
        return self.bill_of_materials_usd / self.assembly_yield


def package_cost(*, good_die_cost_usd: float, raw_die_cost_usd: float, die_yield_ratio: float,
                 dies: int, hbm_stacks: int, hbm_cost_usd: float, interposer_cost_usd: float,
                 interposer_yield: float, bond_yield: float, assembly_cost_usd: float,
                 known_good_die: bool = True) -> PackageCost:
    """Assemble :class:`PackageCost` (see its docstring for the model).

    Parameters
    ----------
    good_die_cost_usd, raw_die_cost_usd : float
        Wafer cost per good die and per gross die (USD).
    die_yield_ratio : float
        Die yield.
    dies, hbm_stacks : int
        Parts bonded to the interposer.
    hbm_cost_usd, interposer_cost_usd, assembly_cost_usd : float
        Cost of all stacks, of one interposer, of assembly and final test (USD).
    interposer_yield, bond_yield : float
        Interposer yield; yield of bonding one part.
    known_good_die : bool
        Dies are tested before assembly.
    """
    if not 0 < bond_yield <= 1:
        raise ValueError(f"bond_yield must be above 0 and at most 1, not {bond_yield!r}")
    if not 0 < interposer_yield <= 1:
        raise ValueError(f"interposer_yield must be above 0 and at most 1, not {interposer_yield!r}")
    assembly_yield = interposer_yield * bond_yield ** (dies + hbm_stacks)
    if known_good_die:
        die_cost = good_die_cost_usd
    else:
        die_cost = raw_die_cost_usd
        assembly_yield *= die_yield_ratio ** dies
    return PackageCost(die_cost_usd=die_cost, dies=dies, hbm_cost_usd=hbm_cost_usd,
                       interposer_cost_usd=interposer_cost_usd,
                       assembly_cost_usd=assembly_cost_usd, assembly_yield=assembly_yield)
