"""The `gls` stage (tapeout/verify/gls/stage.py): which designs it applies to, on tap130 and SKY130."""

from pathlib import Path

from tapeout.flow.config import load_design
from tapeout.verify.gls.stage import GlsStage

DESIGNS = Path(__file__).resolve().parents[3] / "designs"

OWN = """[design]
name = "counter_sky130"
top = "counter"
clock_period_ns = 10.0
verilog = ["{verilog}"]
{technology}
{verify}
"""


def design(tmp_path, technology: str, tests: bool):
    path = tmp_path / "d.toml"
    path.write_text(OWN.format(verilog=DESIGNS / "src" / "counter.v", technology=technology,
                               verify='[verify]\ntests = ["src.counter_test"]' if tests else ""))
    return load_design(path)


def test_a_sky130_design_with_tests_has_gate_level_simulation(sky130_root, tmp_path, monkeypatch):
    monkeypatch.setenv("PDK_ROOT", str(sky130_root))
    sky130 = '[technology]\nlibrary = "sky130_fd_sc_hd"'
    assert GlsStage().applies(design(tmp_path, sky130, tests=True))
    assert not GlsStage().applies(design(tmp_path, sky130, tests=False))


def test_the_default_tile_and_the_sky130_tile_have_it(sky130_root, monkeypatch):
    monkeypatch.setenv("PDK_ROOT", str(sky130_root))
    assert GlsStage().applies(load_design(DESIGNS / "tc4x4.toml"))
    assert GlsStage().applies(load_design(DESIGNS / "tc4x4_sky130.toml"))
