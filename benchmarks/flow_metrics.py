"""Helper of the flow benchmarks: run designs through `tapeout run` in a scratch project and
collect every stage's metrics. Not a benchmark by itself."""

import json
import shutil
import tempfile
import time
from pathlib import Path

from tapeout.flow.cli import main as tapeout

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def run_design(toml_text, name, last_stage, extra_files=()):
    """Write ``toml_text`` as designs/<name>.toml in a scratch copy of designs/, run the flow up to
    ``last_stage`` (signoff passes despite violations) and return (exit status, wall s, metrics by stage)."""
    with tempfile.TemporaryDirectory(prefix="tapeout-bench-") as scratch:
        project = Path(scratch)
        shutil.copytree(ROOT / "designs", project / "designs")
        for path in extra_files:
            shutil.copy(path, project / "designs" / Path(path).name)
        design = project / "designs" / f"{name}.toml"
        if toml_text is not None:
            design.write_text(toml_text)
        started = time.perf_counter()
        status = tapeout(["run", last_stage, "-d", str(design), "--build-dir", str(project / "build"),
                          "--allow-violations"])
        wall = time.perf_counter() - started
        build = project / "build" / name
        metrics = {}
        for stage_dir in sorted(build.iterdir()) if build.exists() else []:
            found = stage_dir / "metrics.json"
            if stage_dir.is_dir() and found.exists():
                metrics[stage_dir.name] = json.loads(found.read_text())
        return status, wall, metrics
