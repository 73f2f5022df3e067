"""Running Yosys in a child process: errors come back as one line."""

import pytest

from tapeout.synth import SynthError, synthesize
from tapeout.synth.yosys_process import error_line, run_yosys_steps
from tapeout.tech.generate import LIBERTY_PATH

from .conftest import DATA


def test_error_line_keeps_location_and_drops_tag():
    stderr = "some noise\nbad.v:3: ERROR: syntax error, unexpected TOK_ENDMODULE\n"
    assert error_line(stderr) == "bad.v:3: syntax error, unexpected TOK_ENDMODULE"


def test_error_line_without_location():
    assert error_line("ERROR: Module `x' not found!\n") == "Module `x' not found!"


def test_error_line_none_when_no_error():
    assert error_line("Traceback (most recent call last):\nKeyError: 'x'\n") is None


def test_syntax_error_is_one_line_with_file_and_line(tmp_path):
    with pytest.raises(SynthError) as info:
        synthesize([DATA / "syntax_error.v"], "syntax_error", LIBERTY_PATH, 5.0, tmp_path)
    assert str(info.value) == f"{DATA}/syntax_error.v:4: syntax error, unexpected TOK_ENDMODULE"
    assert "syntax error" in (tmp_path / "yosys.log").read_text()


def test_yosys_pass_error_is_reported(tmp_path):
    with pytest.raises(SynthError) as info:
        run_yosys_steps(["no_such_pass"], tmp_path / "s.json", tmp_path / "log.txt")
    assert str(info.value) == "No such command: no_such_pass (type 'help' for a command overview)"


def test_worker_crash_names_exit_status_and_log(tmp_path):
    with pytest.raises(SynthError) as info:
        run_yosys_steps([{"action": "no_such_action"}], tmp_path / "s.json", tmp_path / "log.txt")
    assert str(info.value) == (f"yosys worker failed with exit status 1: KeyError: 'no_such_action' "
                               f"(log: {tmp_path / 'log.txt'})")


def test_successful_run_writes_outputs(tmp_path):
    out = tmp_path / "adder.json"
    run_yosys_steps([f"read_verilog {DATA / 'adder.v'}", f"write_json {out}"],
                    tmp_path / "s.json", tmp_path / "log.txt")
    assert '"adder"' in out.read_text()
