"""Node-level constants of the ``tap130`` technology (a 130 nm-class open node).

Every figure is modelled on the SkyWater SKY130 open PDK (Apache-2.0), high-density
standard-cell library ``sky130_fd_sc_hd``, typical corner ``tt_025C_1v80``:

* placement site ``unithd`` 0.46 um x 2.72 um (``sky130_fd_sc_hd`` cell LEF);
* nominal supply 1.8 V, 25 C;
* slew thresholds 20 % / 80 %, delay thresholds 50 % (``sky130_fd_sc_hd__tt_025C_1v80.lib``
  header).

Units used throughout :mod:`tapeout.tech`: length um, time ns, capacitance pF,
resistance kohm (so kohm x pF = ns), energy pJ, leakage power nW.
"""

LIBRARY_NAME = "tap130"
"""Name of the cell library (Liberty ``library`` group, LEF cell prefix-free names)."""

SITE_NAME = "unithd"
SITE_WIDTH_UM = 0.46
ROW_HEIGHT_UM = 2.72

VDD_V = 1.8
TEMPERATURE_C = 25.0

SLEW_LOWER_PCT = 20.0
SLEW_UPPER_PCT = 80.0
DELAY_THRESHOLD_PCT = 50.0

POWER_PIN = "VDD"
GROUND_PIN = "VSS"


def site_area_um2() -> float:
    """Area of one placement site (um2)."""
    return SITE_WIDTH_UM * ROW_HEIGHT_UM
