"""The ``tap130`` metal stack as data, for the LEF writer, the global router and STA.

Figures are rounded from the SkyWater SKY130 technology LEF
``sky130_fd_sc_hd__nom.tlef`` and the SKY130 routing track definitions used by
OpenLane (``tracks.info``): routing pitches li1 0.46, met1 0.34, met2 0.46, met3 0.68,
met4 0.92, met5 3.40 um; sheet resistances 12.8 (li1), 0.125 (met1/met2),
0.047 (met3/met4), 0.0285 (met5) ohm/sq. Capacitances are ground capacitances
(area + two fringes) without neighbour coupling.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class RoutingLayer:
    """One routing layer: geometry and wire R/C (for LEF, DEF and extraction) and the share of its
    tracks left to signal routing (for the global router's capacities).

    Parameters
    ----------
    name : str
        Layer name as in LEF/DEF (``"met1"``).
    direction : str
        Preferred direction, ``"HORIZONTAL"`` or ``"VERTICAL"`` (LEF spelling).
    pitch_um : float
        Track pitch (um).
    usable_fraction : float
        Share of the tracks left for signal routing once cell pins, power straps and
        detailed-routing losses are taken, from 0 to 1.
    width_um, spacing_um, offset_um : float
        Minimum width, minimum spacing, first-track offset (um).
    r_ohm_per_sq : float
        Sheet resistance (ohm/square).
    c_area_pf_per_um2 : float
        Capacitance to substrate per area (pF/um2).
    c_edge_pf_per_um : float
        Fringe capacitance per edge length (pF/um).
    min_area_um2 : float
        Minimum area of a piece of metal (um2; LEF `AREA`), 0 when none is given.
    """

    name: str
    direction: str
    pitch_um: float
    usable_fraction: float = 1.0
    width_um: float = 0.0
    spacing_um: float = 0.0
    offset_um: float = 0.0
    r_ohm_per_sq: float = 0.0
    c_area_pf_per_um2: float = 0.0
    c_edge_pf_per_um: float = 0.0
    min_area_um2: float = 0.0

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(f"name must be a non-empty string, not {self.name!r}")
        if self.direction not in ("HORIZONTAL", "VERTICAL"):
            raise ValueError(f"direction must be 'HORIZONTAL' or 'VERTICAL', not {self.direction!r}")
        if not (isinstance(self.pitch_um, (int, float)) and self.pitch_um > 0):
            raise ValueError(f"pitch_um must be a positive number, not {self.pitch_um!r}")
        if not (isinstance(self.usable_fraction, (int, float)) and 0 <= self.usable_fraction <= 1):
            raise ValueError(f"usable_fraction must be a number from 0 to 1, not {self.usable_fraction!r}")

    @property
    def axis(self) -> str:
        """``"H"`` or ``"V"``."""
        return self.direction[0]

    @property
    def r_ohm_per_um(self) -> float:
        """Resistance of a minimum-width wire (ohm/um)."""
        return self.r_ohm_per_sq / self.width_um

    @property
    def c_ff_per_um(self) -> float:
        """Ground capacitance of a minimum-width wire (fF/um)."""
        return 1000.0 * (self.c_area_pf_per_um2 * self.width_um + 2.0 * self.c_edge_pf_per_um)

    @property
    def tracks_per_um(self) -> float:
        """Routing tracks per um across the preferred direction (1/um)."""
        return 1.0 / self.pitch_um


@dataclass(frozen=True)
class CutLayer:
    """A via layer between two routing layers (sizes in um, resistance in ohm per cut).

    `enclosure_below_um` and `enclosure_above_um` are the overhangs (x, y um) of the metal below and
    above over a cut in the layer's default via (LEF `ENCLOSURE BELOW` / `ABOVE`); (0, 0) when the
    technology states none."""

    name: str
    below: str
    above: str
    width_um: float
    spacing_um: float
    r_ohm_per_cut: float
    enclosure_below_um: tuple[float, float] = (0.0, 0.0)
    enclosure_above_um: tuple[float, float] = (0.0, 0.0)

    @property
    def min_enclosure_um(self) -> dict[str, float]:
        """The smaller overhang (um) of each metal over the cut, by metal name."""
        return {self.below: min(self.enclosure_below_um), self.above: min(self.enclosure_above_um)}


METAL_STACK = (
    RoutingLayer("li1", "VERTICAL", 0.46, 0.0, 0.17, 0.17, 0.23, 12.8, 3.70e-05, 2.3e-05, 0.0561),
    RoutingLayer("met1", "HORIZONTAL", 0.34, 0.3, 0.14, 0.14, 0.17, 0.125, 2.58e-05, 4.0e-05, 0.083),
    RoutingLayer("met2", "VERTICAL", 0.46, 0.7, 0.14, 0.14, 0.23, 0.125, 1.67e-05, 3.7e-05, 0.0676),
    RoutingLayer("met3", "HORIZONTAL", 0.68, 0.7, 0.30, 0.30, 0.34, 0.047, 1.25e-05, 4.0e-05, 0.24),
    RoutingLayer("met4", "VERTICAL", 0.92, 0.6, 0.30, 0.30, 0.46, 0.047, 8.7e-06, 3.7e-05, 0.24),
    RoutingLayer("met5", "HORIZONTAL", 3.40, 0.5, 1.60, 1.60, 1.70, 0.0285, 6.5e-06, 4.9e-05, 4.0),
)
"""Routing layers bottom-up. li1 carries the standard-cell pins; met1 the rails. Minimum areas (um2)
are SKY130's (li.6, m1.6, m2.6, m3.6, m4.4a, m5.4).

The usable fractions (share of tracks left to signal routing) are this project's assumptions: li1
is kept for intra-cell wiring, met1 is mostly taken by standard-cell pins and the follow-pin power
rails, met4/met5 carry the power-grid straps."""

CUT_STACK = (
    CutLayer("mcon", "li1", "met1", 0.17, 0.19, 9.3, (0.0, 0.0), (0.06, 0.03)),
    CutLayer("via", "met1", "met2", 0.15, 0.17, 4.5, (0.085, 0.055), (0.055, 0.085)),
    CutLayer("via2", "met2", "met3", 0.20, 0.20, 3.4, (0.04, 0.085), (0.065, 0.065)),
    CutLayer("via3", "met3", "met4", 0.20, 0.20, 3.4, (0.09, 0.06), (0.065, 0.065)),
    CutLayer("via4", "met4", "met5", 0.80, 0.80, 0.38, (0.19, 0.19), (0.31, 0.31)),
)
"""Via layers bottom-up (SKY130 contact/via rules, rounded), with the metal overhangs of SKY130's
default vias (`L1M1_PR`, `M1M2_PR`, `M2M3_PR`, `M3M4_PR`, `M4M5_PR` of `sky130_fd_sc_hd__nom.tlef`:
ct.4/m1.4, via.4a/m2.4, via2.4/m3.4, via3.4/m4.3, via4.4/m5.3)."""


def routing_layer(name: str) -> RoutingLayer:
    """The routing layer called ``name``."""
    for layer in METAL_STACK:
        if layer.name == name:
            return layer
    names = ", ".join(layer.name for layer in METAL_STACK)
    raise ValueError(f"layer must be one of {names}, not {name!r}")
