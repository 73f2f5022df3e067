"""The `lec` stage (tapeout/verify/lec/stage.py): part of a plain run of a tap130 design; its report."""

from tapeout.flow.config import load_design
from tapeout.flow.engine import Engine
from tapeout.flow.stages import flow_stages
from tapeout.verify.equivalence import EquivalenceResult
from tapeout.verify.lec.stage import report_text
from tests.conftest import ROOT


def test_a_plain_run_of_the_default_design_checks_equivalence_after_the_clock_tree():
    order = Engine(load_design(ROOT / "designs" / "tc4x4.toml"), flow_stages()).selection()[0]
    assert "lec" in order and order.index("lec") > order.index("cts")


def test_report_says_which_prover_proved_the_points():
    results = [EquivalenceResult("rtl", "synthesised netlist", 12, 10, ["q[3]", "a4.r"], 1.5, abc_proven=9)]
    text = report_text(results)
    assert "synthesised netlist against rtl: NOT PROVEN" in text
    assert "proven 10 (9 by ABC, 1 by equiv_simple, 0 by equiv_induct), unproven 2" in text
    assert "  unproven: q[3]\n  unproven: a4.r\n" in text


def test_report_says_how_many_points_needed_the_rtls_dont_cares():
    results = [EquivalenceResult("rtl", "synthesised netlist", 12, 12, [], 1.5, abc_proven=8, strict_proven=10,
                                 dont_care_proven=2, induct_proven=1)]
    text = report_text(results)
    assert "synthesised netlist against rtl: EQUIVALENT" in text
    assert "proven 12 (all by ABC modulo the RTL's don't-cares, 2 of them only so; the strict check proved 10 " \
           "(8 by ABC, 1 by equiv_simple, 1 by equiv_induct)), unproven 0" in text


def test_report_counts_flip_flops_no_name_paired():
    results = [EquivalenceResult("rtl", "synthesised netlist", 12, 11, ["q"], 1.5, abc_proven=11, free_flop_bits=2)]
    assert "  2 flip-flop bits paired by no name (free in the cut-point check)\n  unproven: q\n" in report_text(results)
    assert "paired by no name" not in report_text([EquivalenceResult("rtl", "netlist", 12, 12)])
