"""Process-node table and area / speed / power scaling between nodes.

Every figure in :data:`NODES` names its source. Two kinds of area scale apart
since 7 nm (SRAM bit cells shrink far less than logic, see the N5 -> N3 row),
so :func:`scale` scales the logic part of a block by logic density and the SRAM
part by bit-cell area.

Speed and power are cumulative products of node-to-node steps
(:data:`NODE_STEPS`), each the foundry's own "x % faster at iso-power or y %
less power at iso-speed" claim where one exists.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class NodeStep:
    """One node-to-node step.

    Parameters
    ----------
    speed_gain : float
        Frequency multiplier at the same power per circuit.
    power_ratio : float
        Power multiplier per circuit at the same frequency.
    source : str
        Where the figures come from.
    """

    speed_gain: float
    power_ratio: float
    source: str


_GENERIC_PLANAR_STEP = NodeStep(
    1.3, 0.6,
    "engineering estimate: constant-field scaling (Dennard et al., IEEE JSSC 1974: delay x0.7, "
    "power x0.5 per full node) derated because supply voltage nearly stopped scaling below "
    "130 nm (M. Bohr, 'A 30 Year Retrospective on Dennard's MOSFET Scaling Paper', IEEE SSCS "
    "Newsletter, 2007)",
)

NODE_STEPS: dict[tuple[str, str], NodeStep] = {
    ("130nm", "90nm"): _GENERIC_PLANAR_STEP,
    ("90nm", "65nm"): _GENERIC_PLANAR_STEP,
    ("65nm", "40nm"): _GENERIC_PLANAR_STEP,
    ("40nm", "28nm"): _GENERIC_PLANAR_STEP,
    ("28nm", "16nm"): NodeStep(
        1.65, 0.30,
        "TSMC 16FF+ technology page: 65 % higher speed or 70 % less power than 28HPM"),
    ("16nm", "7nm"): NodeStep(
        1.15 * 1.20, 0.65 * 0.60,
        "TSMC 10nm page (15 % speed or 35 % less power vs 16FF+) times TSMC 7nm page "
        "(~20 % speed or ~40 % less power vs 10nm)"),
    ("7nm", "5nm"): NodeStep(
        1.15, 0.70, "TSMC N5 technology page: 15 % faster or 30 % less power than N7"),
    ("5nm", "3nm"): NodeStep(
        1.15, 0.70,
        "TSMC 2020 Technology Symposium (N3 vs N5): up to 15 % speed or up to 30 % less power"),
}
"""Node-to-node steps, in node order."""


@dataclass(frozen=True)
class ProcessNode:
    """Public figures of one process node.

    Parameters
    ----------
    name : str
        Canonical name ("130nm" ... "3nm").
    logic_density_mtr_per_mm2 : float
        Logic transistor density (MTr/mm2, Bohr's NAND2/scan-flop weighted metric).
    sram_bitcell_um2 : float
        High-density 6T SRAM bit-cell area (um2).
    speed_rel : float
        Frequency relative to 130 nm at iso-power per circuit.
    power_rel : float
        Power per circuit relative to 130 nm at iso-frequency.
    d0_per_cm2 : float
        Typical defect density at volume production (defects/cm2).
    wafer_cost_usd : float
        Foundry sale price of a processed 300 mm wafer (USD).
    sources : dict of str to str
        Source of each figure, keyed by the field name.
    """

    name: str
    logic_density_mtr_per_mm2: float
    sram_bitcell_um2: float
    speed_rel: float
    power_rel: float
    d0_per_cm2: float
    wafer_cost_usd: float
    sources: dict


_CSET = ("S. M. Khan and A. Mann, 'AI Chips: What They Are and Why They Matter', CSET, "
         "April 2020, appendix (foundry sale price per 300 mm wafer)")
_TSMC_16FF_DENSITY = 28.88
"""TSMC 16FF+ logic density, MTr/mm2 (WikiChip, TSMC 16FF+ HD cells)."""
_TSMC_40NM_DENSITY = _TSMC_16FF_DENSITY / 2 / 2
"""TSMC 40 nm, MTr/mm2, derived: 16FF+ halved twice, by TSMC's '~2x the density of 28HPM'
(16FF+ technology page) and '2x the gate density of 40nm' (28nm technology page)."""
_MATURE_D0 = ("engineering assumption: D0 of a fully ramped planar node, below the "
              "~0.09-0.10/cm2 TSMC disclosed for N7/N5 in their first year of volume")
_SKY130_DENSITY = 4 / (1.38 * 2.72)
"""130 nm logic density, MTr/mm2: SkyWater SKY130 ``sky130_fd_sc_hd__nand2_1``, 4 transistors in
1.38 um x 2.72 um (cell LEF) -- the NAND2 term of Bohr's metric, for the open 130 nm node the
project's ``tap130`` library is modelled on."""


def _interpolated_density(length_nm: float) -> float:
    """Geometric interpolation of logic density between 130 nm and 40 nm in log(node length)."""
    t = math.log(130 / length_nm) / math.log(130 / 40)
    return _SKY130_DENSITY * (_TSMC_40NM_DENSITY / _SKY130_DENSITY) ** t


_INTERPOLATED = ("derived: geometric interpolation in log(node length) between SKY130 130 nm "
                 "(1.07 MTr/mm2) and TSMC 40 nm (7.22 MTr/mm2); no public NAND2-metric figure")

_TABLE = [
    # name, MTr/mm2, bit cell um2, D0 /cm2, wafer USD, sources
    ("130nm", _SKY130_DENSITY, 2.09, 0.05, 1650 ** 2 / 1937, {
        "logic_density_mtr_per_mm2": "SkyWater SKY130 sky130_fd_sc_hd__nand2_1 (4 transistors "
                                     "in 1.38 x 2.72 um, cell LEF)",
        "sram_bitcell_um2": "Intel 130 nm, S. Tyagi et al., IEDM 2000",
        "d0_per_cm2": _MATURE_D0,
        "wafer_cost_usd": "derived: CSET 90 nm price divided by CSET's 90->65 nm price step "
                          "(1937/1650); " + _CSET}),
    ("90nm", _interpolated_density(90), 1.0, 0.05, 1650, {
        "logic_density_mtr_per_mm2": _INTERPOLATED,
        "sram_bitcell_um2": "Intel 90 nm, S. Thompson et al., IEDM 2002",
        "d0_per_cm2": _MATURE_D0, "wafer_cost_usd": _CSET}),
    ("65nm", _interpolated_density(65), 0.57, 0.05, 1937, {
        "logic_density_mtr_per_mm2": _INTERPOLATED,
        "sram_bitcell_um2": "Intel 65 nm, P. Bai et al., IEDM 2004",
        "d0_per_cm2": _MATURE_D0, "wafer_cost_usd": _CSET}),
    ("40nm", _TSMC_40NM_DENSITY, 0.346, 0.05, 2274, {
        "logic_density_mtr_per_mm2": "derived: TSMC 16FF+ 28.88 MTr/mm2 (WikiChip) divided by "
                                     "TSMC's 2x (16FF+ vs 28HPM) and 2x (28nm vs 40nm) claims",
        "sram_bitcell_um2": "Intel 45 nm, K. Mistry et al., IEDM 2007",
        "d0_per_cm2": _MATURE_D0, "wafer_cost_usd": _CSET + " (40 nm)"}),
    ("28nm", _TSMC_16FF_DENSITY / 2, 0.127, 0.05, 2891, {
        "logic_density_mtr_per_mm2": "derived: TSMC 16FF+ 28.88 MTr/mm2 (WikiChip) divided by "
                                     "TSMC's '~2x the density of 28HPM' (16FF+ page)",
        "sram_bitcell_um2": "TSMC 28 nm, S.-Y. Wu et al., IEDM 2009",
        "d0_per_cm2": _MATURE_D0, "wafer_cost_usd": _CSET}),
    ("16nm", _TSMC_16FF_DENSITY, 0.07, 0.07, 3984, {
        "logic_density_mtr_per_mm2": "WikiChip, TSMC 16FF+ (HD cells)",
        "sram_bitcell_um2": "TSMC 16 nm FinFET, S.-Y. Wu et al., IEDM 2013",
        "d0_per_cm2": "engineering assumption between mature planar nodes and the N7 figure",
        "wafer_cost_usd": _CSET + " (16/12 nm)"}),
    ("7nm", 91.2, 0.027, 0.09, 9346, {
        "logic_density_mtr_per_mm2": "WikiChip, TSMC N7 (HD cells)",
        "sram_bitcell_um2": "TSMC 7 nm, S.-Y. Wu et al., IEDM 2016",
        "d0_per_cm2": "TSMC 2020 Technology Symposium, as reported by AnandTech "
                      "('TSMC: 5nm ... Defect Density', Aug 2020)",
        "wafer_cost_usd": _CSET}),
    ("5nm", 171.3, 0.021, 0.10, 16988, {
        "logic_density_mtr_per_mm2": "WikiChip, TSMC N5 (TSMC's 1.84x over N7); "
                                     "Angstronomics 'The Truth of TSMC 5nm' argues real chips "
                                     "reach less",
        "sram_bitcell_um2": "TSMC 5 nm, G. Yeap et al., IEDM 2019",
        "d0_per_cm2": "TSMC 2020 Technology Symposium, as reported by AnandTech "
                      "('TSMC: 5nm ... Defect Density', Aug 2020)",
        "wafer_cost_usd": _CSET}),
    ("3nm", 171.3 * 1.7, 0.0199, 0.10, 20000, {
        "logic_density_mtr_per_mm2": "derived: N5 171.3 MTr/mm2 times TSMC's 1.7x logic "
                                     "density of N3 over N5 (TSMC 2020 Technology Symposium)",
        "sram_bitcell_um2": "TSMC N3(B), WikiChip Fuse, 'TSMC N3 and challenges ahead', 2022 "
                            "(N3E: 0.021)",
        "d0_per_cm2": "engineering assumption: N5's early-volume figure",
        "wafer_cost_usd": "DigiTimes, as reported by Tom's Hardware ('TSMC Will Reportedly "
                          "Charge $20,000 Per 3nm Wafer', Dec 2022)"}),
]

NODE_ORDER: tuple[str, ...] = tuple(row[0] for row in _TABLE)
"""Canonical node names from oldest to newest."""

NODE_ALIASES: dict[str, str] = {
    "130": "130nm", "90": "90nm", "65": "65nm",
    "45nm": "40nm", "n40": "40nm", "40": "40nm", "45": "40nm",
    "n28": "28nm", "28": "28nm",
    "14nm": "16nm", "n16": "16nm", "16ff": "16nm", "16": "16nm", "14": "16nm", "12nm": "16nm",
    "n7": "7nm", "7": "7nm",
    # N4 / 4N / 4NP are N5-family nodes (TSMC: N4 ~6 % smaller area than N5); modelled as N5.
    "n5": "5nm", "5": "5nm", "n4": "5nm", "4nm": "5nm", "4n": "5nm", "4np": "5nm", "n4p": "5nm",
    "n3": "3nm", "3": "3nm", "n3e": "3nm", "n3b": "3nm",
}
"""Other spellings of the canonical names (lower-case keys)."""


def _build_nodes() -> dict[str, ProcessNode]:
    nodes = {}
    speed, power = 1.0, 1.0
    previous = None
    for name, density, bitcell, d0, wafer_cost, sources in _TABLE:
        if previous is not None:
            step = NODE_STEPS[(previous, name)]
            speed *= step.speed_gain
            power *= step.power_ratio
            step_source = f"cumulative node steps from 130 nm; {previous}->{name}: {step.source}"
        else:
            step_source = "reference node"
        nodes[name] = ProcessNode(
            name=name, logic_density_mtr_per_mm2=density, sram_bitcell_um2=bitcell,
            speed_rel=speed, power_rel=power, d0_per_cm2=d0, wafer_cost_usd=wafer_cost,
            sources={**sources, "speed_rel": step_source, "power_rel": step_source})
        previous = name
    return nodes


NODES: dict[str, ProcessNode] = _build_nodes()
"""Canonical node name -> :class:`ProcessNode`."""


def node(name: str) -> ProcessNode:
    """Look a node up by canonical name or alias ("N4", "7nm", "16FF", ...)."""
    if not isinstance(name, str):
        raise TypeError(f"node must be a string, not {name!r}")
    key = name.strip().lower()
    key = NODE_ALIASES.get(key, key)
    if key not in NODES:
        known = ", ".join(NODE_ORDER)
        raise ValueError(f"node must be one of {known} (or an alias such as N7, N5, N4, N3), "
                         f"not {name!r}")
    return NODES[key]


@dataclass(frozen=True)
class ScaledBlock:
    """A block's figures after scaling to another node.

    Attributes
    ----------
    logic_area_um2, sram_area_um2 : float
        The two area parts after scaling (um2).
    fmax_mhz : float
        Maximum clock frequency (MHz).
    power_mw : float
        Power at ``fmax_mhz`` (mW).
    """

    logic_area_um2: float
    sram_area_um2: float
    fmax_mhz: float
    power_mw: float

    @property
    def area_um2(self) -> float:
        """Total area (um2)."""
        return self.logic_area_um2 + self.sram_area_um2


def _check_non_negative(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise TypeError(f"{name} must be a number, not {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be a non-negative number, not {value!r}")
    return float(value)


def scale(area_um2: float, fmax_mhz: float, power_mw: float, from_node: str = "130nm",
          to_node: str = "N4", sram_area_um2: float = 0.0) -> ScaledBlock:
    """Scale a block's area, frequency and power from one node to another.

    Parameters
    ----------
    area_um2 : float
        Total block area at ``from_node`` (um2), SRAM included.
    fmax_mhz : float
        Maximum frequency at ``from_node`` (MHz).
    power_mw : float
        Power at ``fmax_mhz`` at ``from_node`` (mW).
    from_node, to_node : str
        Node names or aliases (see :func:`node`).
    sram_area_um2 : float
        Part of ``area_um2`` taken by SRAM bit-cell arrays (um2); it scales with the
        bit-cell area, the rest with logic density.

    Returns
    -------
    ScaledBlock
        Logic area scales by the density ratio, SRAM area by the bit-cell ratio,
        frequency by the speed ratio; power is energy per cycle scaled by the
        iso-frequency power ratio, times the new frequency.
    """
    area_um2 = _check_non_negative("area_um2", area_um2)
    fmax_mhz = _check_non_negative("fmax_mhz", fmax_mhz)
    power_mw = _check_non_negative("power_mw", power_mw)
    sram_area_um2 = _check_non_negative("sram_area_um2", sram_area_um2)
    if sram_area_um2 > area_um2:
        raise ValueError(f"sram_area_um2 must not exceed area_um2 ({area_um2!r}), "
                         f"not {sram_area_um2!r}")
    src, dst = node(from_node), node(to_node)
    logic = (area_um2 - sram_area_um2) * src.logic_density_mtr_per_mm2 / dst.logic_density_mtr_per_mm2
    sram = sram_area_um2 * dst.sram_bitcell_um2 / src.sram_bitcell_um2
    speed = dst.speed_rel / src.speed_rel
    power_iso_f = dst.power_rel / src.power_rel
    return ScaledBlock(logic_area_um2=logic, sram_area_um2=sram, fmax_mhz=fmax_mhz * speed,
                       power_mw=power_mw * power_iso_f * speed)
