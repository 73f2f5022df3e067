"""The sky130_fd_sc_hd technology read from a real PDK root (skipped without ../shared/pdk)."""

import pytest

from tapeout.errors import ConfigError
from tapeout.tech.technology import technology_named

# cell_rise of sky130_fd_sc_hd__inv_1 (A -> Y) at the table's first point (0.01 ns slew, 0.0005 pF),
# read by hand from each corner's .lib
INV_1_RISE_NS = {"tt": 0.0203433, "ss": 0.0308501, "ff": 0.0140449}


@pytest.mark.parametrize("corner", ["tt", "ss", "ff"])
def test_each_corner_loads(sky130, corner):
    library = sky130.library(corner)
    assert len(library) == 428
    assert library.units["time_unit"] == "1ns" and library.units["capacitive_load_unit"] == "1.0 pf"
    assert library.units["leakage_power_unit"] == "1nW" and library.units["voltage_unit"] == "1V"
    inv = library["sky130_fd_sc_hd__inv_1"]
    assert inv.area_um2 == pytest.approx(3.7536) and inv.width_sites == 3
    table = inv.arc("A", "Y").tables["cell_rise"]
    assert table(0.01, 0.0005) == pytest.approx(INV_1_RISE_NS[corner])
    assert library["sky130_fd_sc_hd__dfxtp_1"].is_sequential


def test_the_technology_reads_the_tech_lef(sky130):
    assert sky130.site.name == "unithd" and (sky130.site.width_um, sky130.site.height_um) == (0.46, 2.72)
    names = [layer.name for layer in sky130.metal_stack]
    assert names == ["li1", "met1", "met2", "met3", "met4", "met5"]
    met1 = sky130.metal_stack[1]
    assert (met1.direction, met1.pitch_um, met1.width_um, met1.spacing_um) == ("HORIZONTAL", 0.34, 0.14, 0.14)
    assert met1.r_ohm_per_sq == 0.125 and met1.c_area_pf_per_um2 == pytest.approx(25.7784e-6)
    assert [layer.min_area_um2 for layer in sky130.metal_stack] == [0.0561, 0.083, 0.0676, 0.24, 0.24, 4.0]  # m3.6
    assert [(c.name, c.below, c.above) for c in sky130.cut_stack][:2] == [("mcon", "li1", "met1"),
                                                                            ("via", "met1", "met2")]
    assert sky130.vdd_v == 1.8 and (sky130.setup_corner, sky130.hold_corner) == ("ss", "ff")


def test_cells_kept_out_of_synthesis(sky130):
    for cell in ("probe_p_8", "lpflow_isobufsrc_1", "clkdlybuf4s15_1", "and2_0", "clkbuf_4", "dlrtp_1"):
        assert sky130.is_dont_use(f"sky130_fd_sc_hd__{cell}"), cell
    for cell in ("inv_2", "nand2_2", "dfxtp_2", "conb_1", "buf_4"):
        assert not sky130.is_dont_use(f"sky130_fd_sc_hd__{cell}"), cell


def test_missing_pdk_root_and_files(tmp_path, monkeypatch):
    monkeypatch.delenv("PDK_ROOT", raising=False)
    with pytest.raises(ConfigError, match=r"^no PDK root: neither \[technology\] pdk_root nor PDK_ROOT is set; "
                                          r"install the SKY130 PDK"):
        technology_named("sky130_fd_sc_hd")
    with pytest.raises(ConfigError, match=r"^PDK file not found: .*/sky130A/libs.ref/sky130_fd_sc_hd/lib/"
                                          r"sky130_fd_sc_hd__tt_025C_1v80.lib; install the SKY130 PDK .*ciel"):
        technology_named("sky130_fd_sc_hd", str(tmp_path))
    with pytest.raises(ConfigError, match="unknown technology library 'gf180'; known: tap130, sky130_fd_sc_hd"):
        technology_named("gf180")


def test_a_missing_corner(sky130):
    with pytest.raises(ConfigError, match="technology sky130_fd_sc_hd has no corner 'ss_n40C'"):
        sky130.liberty("ss_n40C")
