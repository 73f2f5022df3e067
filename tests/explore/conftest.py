"""Fixtures for exploration tests: a base design and space files in a scratch folder."""

import pytest

BASE = """
[design]
name = "fake"
clock_period_ns = 10.0

[tensor_core]
rows = 1
cols = 1

[tile_buffer]
width = 256
"""

SPACE = """
[explore]
design = "base.toml"
search = "{search}"
{extra}

[vary]
{vary}

[objectives]
fake__area__um2 = "max"
fake__cycles__count = "min"

[constraints]
fake__fits__bool = true
"""


@pytest.fixture
def make_space(tmp_path, monkeypatch):
    """make_space(vary, search="grid", extra="") -> path of a space file on the fake flow's base design."""
    monkeypatch.setenv("TAPEOUT_FAKE_RUNS", str(tmp_path / "runs.txt"))
    (tmp_path / "base.toml").write_text(BASE)

    def make(vary: str, search: str = "grid", extra: str = "", name: str = "explore_fake.toml"):
        path = tmp_path / name
        path.write_text(SPACE.format(search=search, extra=extra, vary=vary))
        return path

    return make


def runs(tmp_path) -> list[str]:
    """The stage runs the fake flow counted, in order."""
    path = tmp_path / "runs.txt"
    return path.read_text().splitlines() if path.exists() else []
