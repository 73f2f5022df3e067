from tapeout.tech import generate


def test_committed_liberty_equals_generator_output():
    assert generate.LIBERTY_PATH.read_text() == generate.liberty_text(), \
        "tap130.lib is stale: run python -m tapeout.tech.generate"


def test_committed_lef_equals_generator_output():
    assert generate.LEF_PATH.read_text() == generate.lef_text(), \
        "tap130.lef is stale: run python -m tapeout.tech.generate"


def test_committed_verilog_models_equal_generator_output():
    assert generate.VERILOG_PATH.read_text() == generate.verilog_text(), \
        "tap130.v is stale: run python -m tapeout.tech.generate"


def test_write_to_other_directory(tmp_path):
    paths = generate.write(tmp_path)
    assert sorted(p.name for p in paths) == ["tap130.lef", "tap130.lib", "tap130.v"]
    assert (tmp_path / "tap130.lib").read_text() == generate.liberty_text()
