"""Fuzzing the readers of user files: whatever the bytes, a one-line error of the reader's kind or a
result; never another exception, never a hang (Hypothesis, 300 examples each, derandomized so CI
runs the same cases every time; a hang shows as the test's timeout)."""

import tomllib

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tapeout.errors import ConfigError  # noqa: E402
from tapeout.flow.config import all_sections, load_design  # noqa: E402
from tapeout.pnr.errors import FormatError  # noqa: E402
from tapeout.pnr.formats.def_reader import read_def  # noqa: E402

FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
SECTIONS = sorted(all_sections())
KEYS = ["name", "clock_period_ns", "rows", "cols", "top", "verilog", "depth", "width", "seed", "sides",
        "input_sides", "node", "dies", "tiles_per_die", "gemms", "sdc", "target_utilization", "effort"]
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=3),
    max_leaves=4)


def toml_text(data: dict) -> str:
    lines = []
    for section, table in data.items():
        lines.append(f"[{section}]")
        for key, value in table.items():
            lines.append(f"{key} = {toml_value(value)}")
    return "\n".join(lines) + "\n"


def toml_value(value) -> str:
    if value is None or isinstance(value, dict):
        return '"x"' if value is None else "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return {float("inf"): "inf", float("-inf"): "-inf"}.get(value, "nan" if value != value else repr(value))
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, str):
        return '"' + value.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    return str(value)


@FUZZ
@given(st.dictionaries(st.sampled_from(SECTIONS + ["bogus"]),
                       st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=3), max_size=3))
def test_design_files(tmp_path, data):
    path = tmp_path / "fuzz.toml"
    path.write_text(toml_text(data))
    try:
        tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError:
        pass  # the generator can write keys TOML refuses; the loader must still answer in one line
    try:
        load_design(path)
    except ConfigError as exc:
        assert all(line.startswith(str(path)) for line in exc.lines)


@FUZZ
@given(st.binary(max_size=400))
def test_design_files_of_random_bytes(tmp_path, blob):
    path = tmp_path / "bytes.toml"
    path.write_bytes(blob)
    try:
        load_design(path)
    except ConfigError:
        pass




def def_text() -> str:
    return ("VERSION 5.8 ;\nDESIGN t ;\nUNITS DISTANCE MICRONS 1000 ;\nDIEAREA ( 0 0 ) ( 10000 10000 ) ;\n"
            "ROW r0 unithd 0 0 N DO 10 BY 1 STEP 460 0 ;\nCOMPONENTS 1 ;\n- u1 INV_1 + PLACED ( 0 0 ) N ;\n"
            "END COMPONENTS\nPINS 1 ;\n- a + NET a + DIRECTION INPUT + USE SIGNAL + LAYER met2 ( -70 0 ) ( 70 140 )"
            " + PLACED ( 5000 0 ) N ;\nEND PINS\nNETS 1 ;\n- a ( PIN a ) ( u1 A ) ;\nEND NETS\nEND DESIGN\n")


@FUZZ
@given(st.integers(0, 2000), st.integers(0, 40), st.binary(max_size=20))
def test_def_reader_on_damaged_files(tmp_path, at, cut, junk):
    text = def_text().encode()
    damaged = text[:at] + junk + text[at + cut:]
    path = tmp_path / "damaged.def"
    path.write_bytes(damaged)
    try:
        read_def(path)
    except FormatError as exc:
        assert "\n" not in str(exc)


@FUZZ
@given(st.binary(max_size=300))
def test_def_reader_on_random_bytes(tmp_path, blob):
    path = tmp_path / "random.def"
    path.write_bytes(blob)
    try:
        read_def(path)
    except FormatError:
        pass


BOOKSHELF = __import__("pathlib").Path(__file__).resolve().parents[1] / "pnr" / "formats" / "data" / "tiny"


@FUZZ
@given(st.sampled_from(["nodes", "nets", "pl", "scl", "aux"]), st.integers(0, 400), st.integers(0, 30),
       st.binary(max_size=20))
def test_bookshelf_reader_on_damaged_files(tmp_path, suffix, at, cut, junk):
    from tapeout.pnr.formats.bookshelf import read_bookshelf

    for name in ("nodes", "nets", "pl", "scl", "aux"):
        (tmp_path / f"tiny.{name}").write_bytes((BOOKSHELF / f"tiny.{name}").read_bytes())
    text = (tmp_path / f"tiny.{suffix}").read_bytes()
    (tmp_path / f"tiny.{suffix}").write_bytes(text[:at] + junk + text[at + cut:])
    try:
        read_bookshelf(tmp_path / "tiny.aux")
    except ConfigError as exc:
        assert "\n" not in str(exc)


def spef_case():
    import numpy as np

    from tapeout.signoff.graph import TimingGraph
    from tapeout.signoff.parasitics import estimate_parasitics
    from tapeout.signoff.spef import format_spef
    from tests.signoff.conftest import flop, inverter

    g = TimingGraph.from_connections(
        {"INV": inverter(), "DFF": flop()}, {"$d.x[1]": "INV", "s1": "INV", "s2": "INV"},
        {"n$1.a[3]": ["$d.x[1]/Y", "s1/A", "s2/A", "y[0]"], "in_net": ["a[2]", "$d.x[1]/A"]},
        inputs=["a[2]"], outputs=["y[0]"])
    rng = np.random.default_rng(3)
    return g, format_spef(g, estimate_parasitics(g, rng.uniform(0, 50, g.n_pins), rng.uniform(0, 50, g.n_pins)), "top")


SPEF_GRAPH, SPEF_TEXT = spef_case()


@FUZZ
@given(st.integers(0, 1500), st.integers(0, 40), st.binary(max_size=20))
def test_spef_reader_on_damaged_files(tmp_path, at, cut, junk):
    from tapeout.signoff.spef_reader import SpefError, read_spef

    text = SPEF_TEXT.encode()
    path = tmp_path / "damaged.spef"
    path.write_bytes(text[:at] + junk + text[at + cut:])
    try:
        read_spef(path, SPEF_GRAPH)
    except SpefError as exc:
        assert "\n" not in str(exc)
