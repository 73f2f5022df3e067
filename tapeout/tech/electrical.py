"""RC / logical-effort model that produces the NLDM tables of the ``tap130`` cells.

A cell arc is a chain of CMOS stages (each stage inverts). Stage ``k`` switching its
output in one direction through a pull network of ``stack`` series transistors has an
effective resistance ``R = R_unit * stack / size`` and drives its own parasitic
capacitance ``C_par = C_PAR_UNIT * parasitic * size`` plus its load. Per stage:

    delay = R * (C_load + C_par) + K_SLEW_DELAY * s_in
    slew  = SLEW_PER_RC_DELAY * R * (C_load + C_par) + K_SLEW_FEEDTHROUGH * s_in

``R`` is defined as the 50 % delay slope (ns/pF = kohm), so the 20-80 % output slew of
a single-pole RC response is ``ln(4) / ln(2) = 2.0`` times it.

Constants are fitted to the public ``sky130_fd_sc_hd__tt_025C_1v80.lib`` (SkyWater
SKY130 PDK, Apache-2.0): ``inv_1``/``nand2_1`` input capacitance 0.0023 pF, a ``_1``
cell falling-output delay slope of about 3.6 ns/pF and rising of about 6.2 ns/pF
(weaker PMOS), an intrinsic delay of a few tens of ps, ``nand2_1`` leakage 0.0021 nW
and an FO4 inverter delay near 55 ps. It is a model, not a characterisation: it keeps
the ratios between cells (stacks, stages, drive strengths) of a real library.
"""

from dataclasses import dataclass

import numpy as np

from tapeout.tech.process import VDD_V

C_IN_UNIT_PF = 0.0023
"""Input capacitance of a size-1 gate input (pF); sky130 hd inv_1 / nand2_1 pin A."""
C_PAR_UNIT_PF = 0.0020
"""Output (diffusion) capacitance of a size-1 inverter (pF)."""
R_RISE_UNIT_KOHM = 6.2
"""Rising-output delay slope of a size-1 single PMOS (ns/pF)."""
R_FALL_UNIT_KOHM = 3.6
"""Falling-output delay slope of a size-1 single NMOS (ns/pF)."""
K_SLEW_DELAY = 0.12
"""Fraction of the input slew that adds to a stage delay."""
K_SLEW_FEEDTHROUGH = 0.08
"""Fraction of the input slew that feeds through to the output slew."""
SLEW_PER_RC_DELAY = 2.0
"""20-80 % slew over 50 % delay of a single-pole RC response (ln 4 / ln 2)."""
MIN_SLEW_NS = 0.004
"""Floor of any output slew (ns)."""
K_SHORT_CIRCUIT_PJ_PER_NS = 0.012
"""Short-circuit energy per ns of input slew of a size-1 stage (pJ/ns)."""
LEAKAGE_NW_PER_TRANSISTOR = 0.00053
"""Leakage per transistor of a size-1 cell (nW); sky130 hd nand2_1 is 0.0021 nW for 4."""
INTERNAL_WIRE_PF = 0.0003
"""Wire capacitance of a node inside a cell (pF)."""

SLEW_INDEX_NS = np.array([0.01, 0.023, 0.053, 0.122, 0.282, 0.651, 1.5])
"""Input transition index of every NLDM table (ns); the sky130 hd 7-point index."""
LOAD_INDEX_PF = np.array([0.0005, 0.0012, 0.0028, 0.0066, 0.0155, 0.0365, 0.086])
"""Output load index of a drive-1 cell (pF); scaled by the drive strength."""


@dataclass(frozen=True)
class Stage:
    """One inverting CMOS stage of an arc.

    Parameters
    ----------
    rise_stack, fall_stack : int
        Series transistors in the pull-up / pull-down path that switches.
    parasitic : float
        Output diffusion capacitance in units of a size-1 inverter.
    size : float
        Width relative to a size-1 inverter (the last stage is scaled by drive).
    """

    rise_stack: int = 1
    fall_stack: int = 1
    parasitic: float = 1.0
    size: float = 1.0

    def scaled(self, drive: float) -> "Stage":
        """The same stage widened ``drive`` times."""
        return Stage(self.rise_stack, self.fall_stack, self.parasitic, self.size * drive)

    def resistance(self, rising: bool) -> float:
        """Delay slope of the stage for a rising or falling output (kohm = ns/pF)."""
        if rising:
            return R_RISE_UNIT_KOHM * self.rise_stack / self.size
        return R_FALL_UNIT_KOHM * self.fall_stack / self.size

    def parasitic_pf(self) -> float:
        """Own output capacitance (pF)."""
        return C_PAR_UNIT_PF * self.parasitic * self.size

    def input_pf(self) -> float:
        """Capacitance of one input of the stage (pF)."""
        return C_IN_UNIT_PF * self.size


INVERTER = Stage()


@dataclass(frozen=True)
class ArcTables:
    """NLDM tables of one arc and edge; arrays of shape (len(slews), len(loads)).

    delay, slew in ns; energy (internal, excluding the load) in pJ.
    """

    delay: np.ndarray
    slew: np.ndarray
    energy: np.ndarray


def _stage_response(stage, rising, slew_in, load_pf):
    rc = stage.resistance(rising) * (load_pf + stage.parasitic_pf())
    delay = rc + K_SLEW_DELAY * slew_in
    slew = np.maximum(SLEW_PER_RC_DELAY * rc + K_SLEW_FEEDTHROUGH * slew_in, MIN_SLEW_NS)
    energy = K_SHORT_CIRCUIT_PJ_PER_NS * stage.size * slew_in + 0.5 * stage.parasitic_pf() * VDD_V**2
    return delay, slew, energy


def path_tables(stages, rising_output, slews_ns, loads_pf, intrinsic_ns=0.0,
                intrinsic_slew_ns=None):
    """Delay, slew and internal energy of a chain of inverting stages.

    Parameters
    ----------
    stages : sequence of Stage
        From the input pin to the output pin; the last one drives the load.
    rising_output : bool
        Direction of the output transition.
    slews_ns, loads_pf : numpy.ndarray
        Table indices: input transition (ns) and output load (pF).
    intrinsic_ns : float
        Fixed delay before the first stage (ns), e.g. a flop's clock-to-slave delay.
    intrinsic_slew_ns : float or None
        If given, the first stage sees this slew instead of the input slew (ns); the
        input slew then only adds ``K_SLEW_DELAY * s_in`` once.

    Returns
    -------
    ArcTables
    """
    if not stages:
        raise ValueError("stages must not be empty")
    slew = np.asarray(slews_ns, dtype=float)[:, None] * np.ones((1, len(loads_pf)))
    delay = np.full_like(slew, intrinsic_ns)
    energy = np.zeros_like(slew)
    if intrinsic_slew_ns is not None:
        delay = delay + K_SLEW_DELAY * slew
        energy = energy + K_SHORT_CIRCUIT_PJ_PER_NS * slew
        slew = np.full_like(slew, intrinsic_slew_ns)
    # Direction of each stage output: the last one is rising_output, each earlier alternates.
    n = len(stages)
    for k, stage in enumerate(stages):
        rising = rising_output if (n - 1 - k) % 2 == 0 else not rising_output
        if k == n - 1:
            load = np.asarray(loads_pf, dtype=float)[None, :]
        else:
            load = stages[k + 1].input_pf() + INTERNAL_WIRE_PF
            energy = energy + 0.5 * (load) * VDD_V**2
        d, slew, e = _stage_response(stage, rising, slew, load)
        delay = delay + d
        energy = energy + e
    return ArcTables(delay=delay, slew=slew, energy=np.broadcast_to(energy, delay.shape).copy())


def leakage_nw(transistors: int, drive: float) -> float:
    """Leakage of a cell of ``transistors`` devices at a drive strength (nW)."""
    return LEAKAGE_NW_PER_TRANSISTOR * transistors * (0.5 + 0.5 * drive)
