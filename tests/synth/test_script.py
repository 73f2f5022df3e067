"""The synthesis script as data."""

from pathlib import Path

from tapeout.synth.script import SynthOutputs, synth_steps


def _steps(files, ties=None, period_ps=5000):
    outputs = SynthOutputs(Path("/o"), "top")
    return synth_steps([Path(f) for f in files], "top", Path("/lib/x.lib"), period_ps, outputs,
                       True, 1024, "m:f", ties)


def test_verilog_and_rtlil_sources_read_by_their_frontends():
    steps = _steps(["a.v", "b.sv", "c.il"])
    assert steps[1:3] == ['read_verilog -sv "a.v" "b.sv"', 'read_rtlil "c.il"']


def test_abc_gets_the_clock_period_in_ps_and_buffers():
    (abc,) = [s for s in _steps(["a.v"], period_ps=2500) if isinstance(s, str) and s.startswith("abc ")]
    assert abc.startswith('abc -liberty "/lib/x.lib" -D 2500 -script +')
    assert "buffer,-c,-N,16" in abc and "upsize,-c,{D}" in abc


def test_fanout_buffering_follows_flattening():
    steps = _steps(["a.v"])
    flat = steps.index("flatten -noscopeinfo")
    actions = [s["action"] for s in steps[flat:] if isinstance(s, dict)]
    assert actions[:2] == ["buffer_fanout", "stat"]


def test_tie_cells_insert_hilomap_only_when_both_exist():
    assert "hilomap -hicell T HI -locell T LO" in _steps(["a.v"], {"1": ("T", "HI"), "0": ("T", "LO")})
    assert not any(isinstance(s, str) and s.startswith("hilomap") for s in _steps(["a.v"], {"0": ("T", "LO")}))


def test_stat_runs_before_flatten_and_outputs_written_last():
    steps = _steps(["a.v"])
    names = [s if isinstance(s, str) else s["action"] for s in steps]
    assert names.index("stat") < names.index("flatten -noscopeinfo")
    assert names[-2:] == ['write_verilog -noattr -noexpr -nohex -nodec "/o/top.v"', 'write_json "/o/top.json"']


def test_memories_mapped_between_coarse_and_fine_synthesis():
    names = [s if isinstance(s, str) else s["action"] for s in _steps(["a.v"])]
    assert names.index("synth -top top -noabc -run coarse:fine") < names.index("map_memories") \
        < names.index("synth -top top -noabc -run fine:check")


def test_map_memories_gets_the_macro_write_granularity():
    outputs = SynthOutputs(Path("/o"), "top")
    for extra, expected in (((), 8), ((None, 32), 32)):
        steps = synth_steps([Path("a.v")], "top", Path("/lib/x.lib"), 5000, outputs, True, 1024, "m:f", *extra)
        (action,) = [s for s in steps if isinstance(s, dict) and s["action"] == "map_memories"]
        assert action["args"] == {"macro_dir": "/o/macros", "report_path": "/o/memories.json", "factory": "m:f",
                                  "min_bits": 1024, "enabled": True, "write_granularity": expected}


def test_registers_named_after_fine_synthesis_before_flop_mapping():
    names = [s if isinstance(s, str) else s["action"] for s in _steps(["a.v"])]
    named = names.index("name_registers")
    assert names[named - 1] == "synth -top top -noabc -run fine:check"
    assert named < next(i for i, s in enumerate(names) if s.startswith("dfflibmap"))
