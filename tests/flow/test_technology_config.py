"""[technology]: the library choice and the PDK root, checked when the design file is read."""

import pytest

from tapeout.errors import ConfigError
from tapeout.flow.config import load_design

DESIGN = '[design]\nname = "t"\nclock_period_ns = 10\n[tensor_core]\nrows = 4\ncols = 4\n[technology]\n{tech}\n'


def test_unknown_library(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text(DESIGN.format(tech='library = "gf180mcu"'))
    with pytest.raises(ConfigError, match=r"\[technology\] library must be one of 'tap130', 'sky130_fd_sc_hd', "
                                          r"not 'gf180mcu'"):
        load_design(path)


def test_a_pdk_root_that_is_not_there(tmp_path, monkeypatch):
    monkeypatch.delenv("PDK_ROOT", raising=False)
    path = tmp_path / "t.toml"
    path.write_text(DESIGN.format(tech='library = "sky130_fd_sc_hd"\npdk_root = "no/such/pdk"'))
    with pytest.raises(ConfigError) as info:
        load_design(path)
    assert str(info.value).startswith(f"{path}: [technology] PDK root {tmp_path}/no/such/pdk is not a directory; "
                                      "install the SKY130 PDK as OpenLane users do")


def test_a_relative_pdk_root(tmp_path, sky130_root):
    path = tmp_path / "t.toml"
    path.write_text(DESIGN.format(tech=f'library = "sky130_fd_sc_hd"\npdk_root = "{sky130_root}"'))
    assert load_design(path).technology.library == "sky130_fd_sc_hd"
