"""Logic equivalence (tapeout/verify/equivalence.py) on small synthesised designs: a hierarchical,
parameterised one and one whose memory becomes an SRAM macro; a swapped gate must be caught."""

import json
import re
from pathlib import Path

import pytest

from tapeout.netlist import read_yosys_json, write_verilog
from tapeout.synth import synthesize
from tapeout.tech.generate import LIBERTY_PATH, VERILOG_PATH
from tapeout.tech.library import load_library
from tapeout.tech.sram import DEFAULT_WRITE_GRANULARITY
from tapeout.verify.equivalence import EquivalenceError, check_equivalence, netlist_steps, parse_status, rtl_steps
from tapeout.verify.macro_models import macro_models, macro_types

DATA = Path(__file__).resolve().parent.parent / "synth" / "data"
FACTORY = "tapeout.tech.sram:sram_macro"
MIN_BITS = 512


@pytest.fixture(scope="module")
def synthesised(tmp_path_factory):
    """``synthesised(design)``: (RTL path, synthesis output folder) of tests/synth/data/<design>.v."""
    cache = {}

    def run(design):
        if design not in cache:
            out = tmp_path_factory.mktemp(f"lec_{design}")
            synthesize([DATA / f"{design}.v"], design if design != "hier" else "top", LIBERTY_PATH, 5.0, out,
                       macro_min_bits=MIN_BITS)
            cache[design] = (DATA / f"{design}.v", out)
        return cache[design]

    return run


def lec(rtl, top, netlist, memories, work, fallback=True):
    work.mkdir(parents=True, exist_ok=True)
    (work / "macros").mkdir(exist_ok=True)
    stubs = macro_models(memories, FACTORY, work / "stubs.v")
    gold = rtl_steps(rtl, top, work / "macros", True, MIN_BITS, FACTORY)
    gate = netlist_steps(netlist, top, [VERILOG_PATH], stubs)
    return check_equivalence(gold, gate, macro_types(memories), work / "check", fallback=fallback)


def swap_first(netlist: Path, cell: str, replacement: str, out: Path) -> Path:
    """A copy of ``netlist`` with its first ``cell`` instance made a ``replacement`` (same pins)."""
    text, count = re.subn(rf"^(\s*){cell} ", rf"\g<1>{replacement} ", netlist.read_text(), count=1, flags=re.M)
    assert count == 1, f"no {cell} in {netlist}"
    out.write_text(text)
    return out


def test_hierarchical_netlist_is_equivalent_to_its_rtl(synthesised, tmp_path):
    rtl, out = synthesised("hier")
    result = lec(rtl, "top", out / "top.v", out / "memories.json", tmp_path)
    assert result.points >= 24          # q (8 bits) and r (4 bits), at least once as register and output
    assert result.unproven_count == 0, result.unproven
    assert result.abc_proven == result.points       # ABC's miter proved every point, equiv_simple had none left
    phases = json.loads((tmp_path / "check" / "abc" / "abc.json").read_text())["phases"]
    assert {"copy", "build", "aigmap", "write_aiger", "abc"} <= set(phases)     # where the seconds went


def test_abc_alone_proves_the_counter(synthesised, tmp_path):
    """Registers as cut points (the counter's enable feeds its own state back), without equiv_simple."""
    rtl, out = synthesised("counter")
    result = lec(rtl, "counter", out / "counter.v", out / "memories.json", tmp_path, fallback=False)
    assert result.points == 8 and result.unproven_count == 0 and result.abc_proven == 8, result


def test_sram_macro_is_a_black_box_with_matched_ports(synthesised, tmp_path):
    rtl, out = synthesised("mem1r1w")
    assert macro_types(out / "memories.json") == [f"tap130_sram_64x16_1r1w_{DEFAULT_WRITE_GRANULARITY}"]
    result = lec(rtl, "mem1r1w", out / "mem1r1w.v", out / "memories.json", tmp_path)
    log = (tmp_path / "check" / "yosys.log").read_text()
    assert "mem1r1w_sram.WADDR" in log or "sram.WADDR" in log    # the macro's pins became matched ports
    assert result.unproven_count == 0, result.unproven


@pytest.mark.parametrize("fallback", [True, False], ids=["abc+equiv_simple", "abc-alone"])
@pytest.mark.parametrize("cell, replacement", [("XOR2_1", "XNOR2_1"), ("NOR2_1", "NAND2_1"), ("DFF_1", "DFFR_1")])
def test_swapped_gate_is_caught(synthesised, tmp_path, cell, replacement, fallback):
    """One gate of another function (a DFFR with its clear unconnected: a flop stuck at 0), caught by
    ABC's miter alone and after equiv_simple has tried what ABC left."""
    rtl, out = synthesised("hier")
    broken = swap_first(out / "top.v", cell, replacement, tmp_path / "broken.v")
    result = lec(rtl, "top", broken, out / "memories.json", tmp_path / "lec", fallback=fallback)
    assert result.unproven_count > 0
    assert result.abc_proven <= result.proven < result.points
    assert result.unproven and all(re.split(r"[.[]", name)[0] in ("q", "r", "a8", "a4") for name in result.unproven)


def test_netlist_written_by_the_flow_pairs_with_the_synthesised_one(synthesised, tmp_path):
    """The physical stages write every net bit as its own escaped name (``\\a8.n[2] ``) where synthesis
    writes vectors (``a8.n [2]``); the nets and registers still pair by name and are proven, not left free."""
    rtl, out = synthesised("hier")
    written = write_verilog(read_yosys_json(out / "top.json", load_library(LIBERTY_PATH)), tmp_path / "written.v")
    assert "\\a8.n[2] " in written.read_text()
    stubs = macro_models(out / "memories.json", FACTORY, tmp_path / "stubs.v")
    result = check_equivalence(netlist_steps(out / "top.v", "top", [VERILOG_PATH], stubs, split=True),
                               netlist_steps(written, "top", [VERILOG_PATH], stubs, split=True), [], tmp_path / "check",
                               "synthesised", "written")
    log = (tmp_path / "check" / "yosys.log").read_text()
    assert "-> a8.n[2]" in log                # the bit-blasted net is a paired key point
    assert result.points >= 24 and result.unproven_count == 0, result.unproven


def test_unreadable_netlist_is_one_line(synthesised, tmp_path):
    rtl, out = synthesised("hier")
    bad = tmp_path / "bad.v"
    bad.write_text("module top(input clk;\nendmodule\n")
    with pytest.raises(EquivalenceError, match=r"^equivalence of netlist against rtl: .*bad\.v:1") as error:
        lec(rtl, "top", bad, out / "memories.json", tmp_path / "lec")
    assert "\n" not in str(error.value)


def test_parse_status_counts_and_names():
    text = ("Found 12 $equiv cells in equiv:\n    Of those cells 10 are proven and 2 are unproven.\n"
            "    Unproven $equiv $auto$equiv_make.cc:258:find_same_wires$487: \\q_gold [3] \\q_gate [3]\n"
            "    Unproven $equiv $auto$2: \\a4.r_gold \\a4.r_gate\n")
    result = parse_status(text, "rtl", "netlist")
    assert (result.points, result.proven, result.unproven_count) == (12, 10, 2)
    assert result.unproven == ["q[3]", "a4.r"]
    proven = parse_status("Found 9 $equiv cells in equiv:\nEquivalence successfully proven!\n", "a", "b")
    assert proven.unproven_count == 0


def test_every_signal_of_the_tile_has_a_name_equiv_make_pairs(tmp_path):
    """Amaranth names a signal it cannot name from its assignment `$signal`; equiv_make does not pair such
    names, so a register called that (the PE's valid and first flags were) leaves its fan-out unproven."""
    from tapeout.rtl.export import export
    from tapeout.rtl.tensor_tile import build_tile

    for dataflow in ("os", "ws"):
        export(build_tile(rows=2, cols=2, dataflow=dataflow, depth=16, width=32, ports=3), "tensor_tile",
               tmp_path / dataflow)
        assert "$signal" not in (tmp_path / dataflow / "tensor_tile.il").read_text()
