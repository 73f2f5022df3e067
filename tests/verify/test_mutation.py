import json

import pytest

from tapeout.verify.blocks import export_block, get_block
from tapeout.verify.mutation import (
    candidates,
    describe,
    is_equivalent,
    list_mutations,
    parse_mutation,
    reviewed_equivalents,
    run_mutation,
    write_report,
)

LINE = ("mutate -mode cnot1 -module crossbar.arbiter3 -cell $procmux$367 -port B -portbit 0 "
        "-ctrlbit 1 -src /tmp/x/crossbar.v:1568.12-1568.12")


def test_parse_and_describe_a_mutation():
    mutation = parse_mutation(LINE)
    assert mutation["command"] == LINE
    assert (mutation["mode"], mutation["module"], mutation["cell"]) == \
        ("cnot1", "crossbar.arbiter3", "$procmux$367")
    assert (mutation["port"], mutation["portbit"], mutation["ctrlbit"], mutation["wire"]) == \
        ("B", 0, 1, None)
    assert describe(mutation) == "cnot1 crossbar.arbiter3 $procmux$367 B[0] <- bit 1"
    wired = parse_mutation("mutate -mode inv -module m -cell $ternary$/a/b/m.v:380$30 -port A "
                           "-portbit 1 -wire index$49 -wirebit 1")
    assert describe(wired) == "inv m $ternary$m.v:380$30 A[1] (wire index$49[1])"


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match=r"^block must be one of 'systolic_array', "
                                         r"'systolic_array_ws', 'tile_buffer', 'crossbar', "
                                         r"'tensor_tile', not 'alu'$"):
        run_mutation("alu", tmp_path)
    with pytest.raises(ValueError, match=r"^n must be a positive integer, not 0$"):
        run_mutation("crossbar", tmp_path, n=0)
    with pytest.raises(ValueError, match=r"^jobs must be a positive integer, not 1.5$"):
        run_mutation("crossbar", tmp_path, jobs=1.5)
    with pytest.raises(ValueError, match=r"^sim must be one of 'verilator', 'icarus', not 'vcs'$"):
        run_mutation("crossbar", tmp_path, sim="vcs")


def test_kill_rate_leaves_equivalent_mutants_out(tmp_path):
    records = [{"id": i, "description": f"m{i}", "status": s}
               for i, s in enumerate(["killed", "killed", "killed", "survived", "equivalent", "equivalent"])]
    records[4]["equivalence"] = "proven (Yosys equiv_induct)"
    records[5]["equivalence"] = "reviewed: bit 9 of a 4-bit address"
    summary = write_report("crossbar", "icarus", 1, records, tmp_path)
    assert summary["mutate__mutants__count"] == 6
    assert summary["mutate__killed__count"] == 3
    assert summary["mutate__equivalent__count"] == 2
    assert summary["mutate__reviewed_equivalent__count"] == 1
    assert summary["mutate__kill_rate__ratio"] == 0.75
    assert summary["mutate__kill_rate_unreviewed__ratio"] == 0.6
    assert summary["survivors"] == ["m3"]
    text = (tmp_path / "mutation.txt").read_text()
    assert "equivalent  2 (1 proven with equiv_induct, 1 by review; not counted)" in text
    assert "kill rate   75.0% of non-equivalent mutants (60.0% counting the reviewed ones as survivors)" in text
    assert ("survived:\n  #003 m3\nequivalent:\n  #004 m4  [proven (Yosys equiv_induct)]\n"
            "  #005 m5  [reviewed: bit 9 of a 4-bit address]\n") in text


def test_reviewed_equivalents_are_listed_with_reasons():
    reviewed = reviewed_equivalents("tensor_tile")
    assert len(reviewed) == 9 and all(len(reason) > 30 for reason in reviewed.values())
    assert len(reviewed_equivalents("systolic_array")) == 3
    assert reviewed_equivalents("crossbar") == {}


@pytest.mark.sim
def test_crossbar_mutants_are_generated_run_and_checked(tmp_path, sim_cache):
    result = run_mutation("crossbar", tmp_path, n=4, seed=1, jobs=2, cache_dir=sim_cache)
    mutants = sorted(tmp_path.glob("mutant_*.v"))
    assert len(mutants) == result["mutate__mutants__count"] == 4
    unmutated = (tmp_path / "unmutated.v").read_text()
    assert all(m.read_text() != unmutated for m in mutants)
    statuses = [m["status"] for m in result["mutants"]]
    assert statuses.count("killed") == result["mutate__killed__count"] >= 1
    assert set(statuses) <= {"killed", "survived", "equivalent"}
    saved = json.loads((tmp_path / "mutation.json").read_text())
    assert saved["mutate__kill_rate__ratio"] == result["mutate__kill_rate__ratio"]
    assert [m["command"] for m in saved["mutants"]] == [m["command"] for m in result["mutants"]]
    assert all(m["command"].startswith("mutate -mode ") for m in saved["mutants"])
    # the equivalence check: the unmutated round trip is equivalent, a killed mutant is not
    original = export_block("crossbar", sim_cache / "verilog")
    killed = next(m for m in result["mutants"] if m["status"] == "killed")
    assert is_equivalent(original, tmp_path / "unmutated.v", "crossbar", tmp_path, "eq_same")
    assert not is_equivalent(original, killed["verilog"], "crossbar", tmp_path, "eq_killed")


def test_mutation_scope_selects_only_the_blocks_own_modules(tmp_path):
    assert candidates() == "t:$meminit* %n"
    assert candidates(("tile", "tile.rx")) == "tile/* tile.rx/* %u t:$meminit* %d"
    tile = get_block("tensor_tile")
    verilog = export_block(tile, tmp_path / "verilog")
    mutations = list_mutations(verilog, 20, 1, tmp_path, tile.mutation_modules)
    assert len(mutations) == 20
    assert {m["module"] for m in mutations} <= set(tile.mutation_modules)
    everywhere = list_mutations(verilog, 20, 1, tmp_path)
    assert {m["module"] for m in everywhere} - set(tile.mutation_modules)      # sub-blocks too
