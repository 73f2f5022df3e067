import pytest

from tapeout.package import TileFigures


@pytest.fixture
def tile():
    """A 130 nm 8x8 INT8 systolic tile: 0.6 mm2 (0.2 mm2 of SRAM), 150 MHz, 45 mW."""
    return TileFigures(600_000.0, 150.0, 45.0, "130nm", macs=64, sram_area_um2=200_000.0)
