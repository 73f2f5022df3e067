"""End-to-end synthesis: area accounting, hierarchy, flops, equivalence, argument checks."""

import re

import pytest

from tapeout.synth import SynthError, synthesize
from tapeout.tech.generate import LIBERTY_PATH
from tapeout.tech.library import default_library, load_library

from .conftest import DATA, MINI_LIB, assert_equivalent


def _stat_total(report_text, top):
    """Yosys's total: the ``top module`` line with submodules, else the single module's line."""
    found = re.findall(rf"Chip area for (top )?module '\\{top}': ([0-9.]+)", report_text)
    return float(sorted(found)[-1][1])


@pytest.mark.parametrize("design", ["counter", "mac"])
def test_area_equals_yosys_stat_and_library_sum(synthesized, design):
    result = synthesized(design)
    library = default_library()
    by_library = sum(library[kind].area_um2 * n for kind, n in result.area.cells_by_type.items())
    assert result.area.area_um2 == pytest.approx(by_library, abs=1e-3)
    assert result.area.area_um2 == pytest.approx(_stat_total(result.area_report.read_text(), design), abs=1e-3)
    assert result.metrics["synth__area__um2"] == result.area.area_um2


def test_counter_has_eight_flops(synthesized):
    result = synthesized("counter")
    assert result.flops == 8
    assert result.metrics["synth__flops__count"] == 8
    assert result.area.sequential_area_um2 == pytest.approx(8 * default_library()["DFF_1"].area_um2)


def test_hierarchy_area_per_module(synthesized):
    result = synthesized("mac")
    mac, mul = result.area.modules["mac"], result.area.modules["mul4"]
    assert (mac.instances, mul.instances) == (1, 1)
    assert mac.area_um2 == pytest.approx(mac.local_area_um2 + mul.area_um2)
    assert mac.area_um2 == pytest.approx(result.area.area_um2)
    assert result.metrics["synth__area__um2__module:mul4"] == mul.area_um2
    assert result.metrics["synth__area__um2__block:mul4"] == pytest.approx(mul.area_um2)
    assert mul.cells > 0 and mac.cells == result.area.cells


def test_instances_multiply_through_levels(tmp_path):
    design = tmp_path / "tree.v"
    design.write_text(
        "module leaf(input a, input b, output y); assign y = a ^ b; endmodule\n"
        "module mid(input [1:0] a, input [1:0] b, output [1:0] y);\n"
        "  leaf l0(a[0], b[0], y[0]); leaf l1(a[1], b[1], y[1]); endmodule\n"
        "module tree(input [3:0] a, input [3:0] b, output [3:0] y);\n"
        "  mid m0(a[1:0], b[1:0], y[1:0]); mid m1(a[3:2], b[3:2], y[3:2]); endmodule\n")
    result = synthesize([design], "tree", MINI_LIB, 5.0, tmp_path / "out")
    modules = result.area.modules
    assert {name: m.instances for name, m in modules.items()} == {"tree": 1, "mid": 2, "leaf": 4}
    assert modules["tree"].area_um2 == pytest.approx(4 * modules["leaf"].area_um2)
    assert result.area.area_um2 == pytest.approx(modules["tree"].area_um2)


def test_cell_counts_match_flat_netlist(synthesized):
    import json
    from collections import Counter

    result = synthesized("mac")
    data = json.loads(result.netlist_json.read_text())
    cells = data["modules"]["mac"]["cells"].values()
    assert dict(Counter(c["type"] for c in cells)) == result.area.cells_by_type
    assert result.metrics["synth__cells__count"] == len(data["modules"]["mac"]["cells"])
    assert all(not c["type"].startswith("$") for c in cells)


def test_outputs_written_in_out_dir(synthesized):
    result = synthesized("counter")
    for path in (result.netlist_verilog, result.netlist_json, result.area_report, result.log):
        assert path.is_file() and path.parent == result.netlist_json.parent
    assert result.netlist_verilog.name == "counter.v"


@pytest.mark.parametrize("design", ["adder", "counter", "mac"])
def test_mapped_netlist_equivalent_to_rtl(synthesized, design, tmp_path):
    result = synthesized(design)
    assert_equivalent(DATA / f"{design}.v", design, result.netlist_verilog, tmp_path)


def test_equivalence_check_catches_a_wrong_netlist(synthesized, tmp_path):
    result = synthesized("adder")
    text = result.netlist_verilog.read_text()
    kinds = sorted(set(re.findall(r"^\s+(XOR2_1|XNOR2_1)\s", text, re.M)))
    assert kinds, "the adder maps to XOR/XNOR cells"
    swap = {"XOR2_1": "XNOR2_1", "XNOR2_1": "XOR2_1"}
    wrong = tmp_path / "wrong.v"
    wrong.write_text(re.sub(rf"^(\s+){kinds[0]}\s", lambda m: f"{m.group(1)}{swap[kinds[0]]} ", text,
                            count=1, flags=re.M))
    with pytest.raises(SynthError, match="unproven"):
        assert_equivalent(DATA / "adder.v", "adder", wrong, tmp_path)


def test_small_library_works_too(synthesized):
    result = synthesized("counter", MINI_LIB)
    library = load_library(MINI_LIB, use_cache=False)
    assert set(result.area.cells_by_type) <= {"INV", "BUF", "NAND2", "NOR2", "DFF"}
    assert result.flops == 8
    assert result.area.area_um2 == pytest.approx(
        sum(library[k].area_um2 * n for k, n in result.area.cells_by_type.items()))


def test_constants_become_tie_cells(tmp_path):
    design = tmp_path / "consts.v"
    design.write_text("module consts(input [1:0] a, output [1:0] y, output [1:0] k);\n"
                      "  assign y = a & 2'b10; assign k = 2'b10; endmodule\n")
    result = synthesize([design], "consts", LIBERTY_PATH, 5.0, tmp_path / "out")
    assert result.area.cells_by_type == {"TIE_1": 3}   # one per constant bit: k[1], k[0], y[0]
    assert "TIE_1" in result.netlist_verilog.read_text()


@pytest.mark.parametrize("kwargs, message", [
    (dict(verilog_files=[]), "verilog_files must name at least one file, not []"),
    (dict(top=""), "top must be a non-empty module name, not ''"),
    (dict(clock_period_ns=0), "clock_period_ns must be a positive number, not 0"),
    (dict(clock_period_ns="5"), "clock_period_ns must be a positive number, not '5'"),
    (dict(macro_min_bits=-1), "macro_min_bits must be a non-negative integer, not -1"),
    (dict(macro_write_granularity=0), "macro_write_granularity must be a positive integer, not 0"),
])
def test_bad_arguments(tmp_path, kwargs, message):
    args = dict(verilog_files=[DATA / "adder.v"], top="adder", liberty_path=LIBERTY_PATH,
                clock_period_ns=5.0, out_dir=tmp_path)
    args.update(kwargs)
    with pytest.raises(ValueError) as info:
        synthesize(**args)
    assert str(info.value) == message


def test_missing_source_file(tmp_path):
    with pytest.raises(SynthError) as info:
        synthesize([tmp_path / "nope.v"], "nope", LIBERTY_PATH, 5.0, tmp_path)
    assert str(info.value) == f"{tmp_path / 'nope.v'}: no such file"


def test_parameterised_submodules_are_not_unmapped_cells(tmp_path):
    result = synthesize([DATA / "hier.v"], "top", LIBERTY_PATH, 5.0, tmp_path / "out")
    assert set(result.area.modules) == {"top", "acc(W=8)", "acc(W=4)", "adder(W=8)", "adder(W=4)"}
    assert result.flops == 12
    assert result.metrics["synth__area__um2__block:acc(W=8)"] > result.metrics["synth__area__um2__block:acc(W=4)"]
    assert_equivalent(DATA / "hier.v", "top", result.netlist_verilog, tmp_path)
