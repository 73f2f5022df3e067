"""Running the `tapeout` CLI in a child process on the small fake stages, for signal and crash tests."""

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT

DESIGN = '[design]\nname = "t"\nclock_period_ns = 10\n[tensor_core]\nrows = {rows}\ncols = 4\n[tile_buffer]\nwidth = 256\n'

CLI_ON_FAKE_STAGES = """
import sys
sys.path.insert(0, {root!r})
import tapeout.flow.stages as stages
from tests.flow.fake_stages import chain
stages.flow_stages = lambda: chain([])
from tapeout.flow.cli import main
sys.exit(main({argv!r}))
"""


def write_design(folder: Path, rows: int = 4) -> Path:
    path = folder / "t.toml"
    path.write_text(DESIGN.format(rows=rows))
    return path


def start_cli(argv: list[str], env: dict | None = None) -> subprocess.Popen:
    """`tapeout ARGV` on the fake first/second/third stages, in a child process."""
    script = CLI_ON_FAKE_STAGES.format(root=str(ROOT), argv=list(argv))
    return subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, **(env or {})})


def wait_for(path: Path, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} never appeared")
        time.sleep(0.05)
