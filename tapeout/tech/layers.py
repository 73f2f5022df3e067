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
    """A via layer between two routing layers (sizes in um, resistance in ohm per cut)."""

    name: str
    below: str
    above: str
    width_um: float
    spacing_um: float
    r_ohm_per_cut: float


METAL_STACK = (
    RoutingLayer("li1", "VERTICAL", 0.46, 0.0, 0.17, 0.17, 0.23, 12.8, 3.70e-05, 2.3e-05),
    RoutingLayer("met1", "HORIZONTAL", 0.34, 0.3, 0.14, 0.14, 0.17, 0.125, 2.58e-05, 4.0e-05),
    RoutingLayer("met2", "VERTICAL", 0.46, 0.7, 0.14, 0.14, 0.23, 0.125, 1.67e-05, 3.7e-05),
    RoutingLayer("met3", "HORIZONTAL", 0.68, 0.7, 0.30, 0.30, 0.34, 0.047, 1.25e-05, 4.0e-05),
    RoutingLayer("met4", "VERTICAL", 0.92, 0.6, 0.30, 0.30, 0.46, 0.047, 8.7e-06, 3.7e-05),
    RoutingLayer("met5", "HORIZONTAL", 3.40, 0.5, 1.60, 1.60, 1.70, 0.0285, 6.5e-06, 4.9e-05),
)
"""Routing layers bottom-up. li1 carries the standard-cell pins; met1 the rails.

The usable fractions (share of tracks left to signal routing) are this project's assumptions: li1
is kept for intra-cell wiring, met1 is mostly taken by standard-cell pins and the follow-pin power
rails, met4/met5 carry the power-grid straps."""

CUT_STACK = (
    CutLayer("mcon", "li1", "met1", 0.17, 0.19, 9.3),
    CutLayer("via", "met1", "met2", 0.15, 0.17, 4.5),
    CutLayer("via2", "met2", "met3", 0.20, 0.20, 3.4),
    CutLayer("via3", "met3", "met4", 0.20, 0.20, 3.4),
    CutLayer("via4", "met4", "met5", 0.80, 0.80, 0.38),
)
"""Via layers bottom-up (SKY130 contact/via rules, rounded)."""


def routing_layer(name: str) -> RoutingLayer:
    """The routing layer called ``name``."""
    for layer in METAL_STACK:
        if layer.name == name:
            return layer
    names = ", ".join(layer.name for layer in METAL_STACK)
    raise ValueError(f"layer must be one of {names}, not {name!r}")
