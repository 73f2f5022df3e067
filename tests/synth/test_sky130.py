"""Synthesis to the real SKY130 HD cells (skipped without ../shared/pdk)."""

import pytest

from tapeout.synth import SynthError, synthesize
from tapeout.tech.technology import cells_used_but_dont_use

from .conftest import DATA, assert_equivalent


def sky130_synthesis(sky130, design, out, verilog=None):
    return synthesize([verilog or DATA / f"{design}.v"], design, sky130.liberty(), 5.0, out,
                      macro_factory=sky130.macro_factory, dont_use=sky130.dont_use,
                      fanout_buffer=sky130.fanout_buffer, delay_buffer=sky130.delay_buffer)


@pytest.mark.slow
@pytest.mark.parametrize("design", ["counter", "mac"])
def test_only_allowed_cells_and_equivalent(sky130, design, tmp_path):
    result = sky130_synthesis(sky130, design, tmp_path / "out")
    cells = set(result.area.cells_by_type)
    assert all(c.startswith("sky130_fd_sc_hd__") for c in cells)
    assert cells_used_but_dont_use(sky130, cells) == []
    library = sky130.library()
    assert result.area.area_um2 == pytest.approx(sum(library[k].area_um2 * n for k, n in
                                                     result.area.cells_by_type.items()), abs=1e-3)
    assert_equivalent(DATA / f"{design}.v", design, result.netlist_verilog, tmp_path, liberty=sky130.liberty())


def test_counter_maps_its_flops_to_dfxtp(sky130, tmp_path):
    result = sky130_synthesis(sky130, "counter", tmp_path / "out")
    assert result.flops == 8
    assert {c for c in result.area.cells_by_type if "df" in c} == {"sky130_fd_sc_hd__dfxtp_2"}


def test_constants_use_the_conb_tie_cell(sky130, tmp_path):
    design = tmp_path / "consts.v"
    design.write_text("module consts(input [1:0] a, output [1:0] y, output [1:0] k);\n"
                      "  assign y = a & 2'b10; assign k = 2'b10; endmodule\n")
    result = sky130_synthesis(sky130, "consts", tmp_path / "out", verilog=design)
    assert result.area.cells_by_type == {"sky130_fd_sc_hd__conb_1": 3}


def test_a_dont_use_cell_in_the_rtl_is_named(sky130, project, monkeypatch, capsys, sky130_root):
    from tapeout.flow.cli import main

    monkeypatch.setenv("PDK_ROOT", str(sky130_root))
    (project / "designs" / "src" / "probe.v").write_text(
        "module probe(input a, output y);\n  sky130_fd_sc_hd__probe_p_8 p (.A(a), .X(y));\nendmodule\n"
        "(* blackbox *) module sky130_fd_sc_hd__probe_p_8(input A, output X); endmodule\n")
    (project / "designs" / "probe.toml").write_text(
        '[design]\nname = "probe"\ntop = "probe"\nclock_period_ns = 10\nverilog = ["src/probe.v"]\n'
        '[technology]\nlibrary = "sky130_fd_sc_hd"\n')
    assert main(["run", "synth", "-d", "probe"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "error: stage synth failed: the netlist needs sky130_fd_sc_hd__probe_p_8, which sky130_fd_sc_hd keeps out "
        "of synthesis (dont_use); the RTL instantiates it")


def test_a_missing_liberty_is_one_line(tmp_path):
    with pytest.raises(SynthError, match="no such file"):
        synthesize([DATA / "counter.v"], "counter", tmp_path / "missing.lib", 5.0, tmp_path)
