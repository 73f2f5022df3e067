"""Helper of the flow benchmarks: run designs through `tapeout run` in a scratch project and
collect every stage's metrics. Not a benchmark by itself."""

import json
import os
import platform
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from tapeout.flow.cli import main as tapeout

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TAPEOUT_SHARED", ROOT.parent / "shared"))
"""The shared data folder (public designs, PDK): ``../shared`` beside the checkout, or ``$TAPEOUT_SHARED``."""


def run_design(toml_text, name, stages, extra_files=(), reports=(), keep=None):
    """Write ``toml_text`` as designs/<name>.toml in a scratch copy of designs/, run the flow up to
    ``stages`` (a stage name or a list of them; signoff passes despite violations) and return
    (exit status, wall s, metrics by stage);
    ``reports``: JSON files under build/<name>/ (``"lec.failed/lec.json"``) added to the metrics by path;
    ``keep``: build in this folder instead of the scratch project's (finished stages there are reused)."""
    with tempfile.TemporaryDirectory(prefix="tapeout-bench-") as scratch:
        project = Path(scratch)
        shutil.copytree(ROOT / "designs", project / "designs")
        for path in extra_files:
            shutil.copy(path, project / "designs" / Path(path).name)
        design = project / "designs" / f"{name}.toml"
        if toml_text is not None:
            design.write_text(toml_text)
        started = time.perf_counter()
        stages = [stages] if isinstance(stages, str) else list(stages)
        builds = Path(keep) if keep else project / "build"
        status = tapeout(["run", *stages, "-d", str(design), "--build-dir", str(builds), "--allow-violations"])
        wall = time.perf_counter() - started
        build = builds / name
        metrics = {}
        for stage_dir in sorted(build.iterdir()) if build.exists() else []:
            found = stage_dir / "metrics.json"
            if stage_dir.is_dir() and found.exists():
                metrics[stage_dir.name] = json.loads(found.read_text())
        for report in reports:
            if (build / report).is_file():
                metrics[report] = json.loads((build / report).read_text())
        return status, wall, metrics


def print_metric_table(results, shown, width=40):
    """One row per (stage, metric key) of ``shown`` (plus the exit status), one column per run of
    ``results`` (name -> run_design's outcome as a dict with "exit_status" and "metrics")."""
    print(f"{'metric':{width}s}" + "".join(f"{name:>14s}" for name in results))
    for stage, key in [("", "exit status")] + list(shown):
        cells = []
        for run in results.values():
            value = run["exit_status"] if not stage else run["metrics"].get(stage, {}).get(key)
            cells.append(f"{value:>14,.4g}" if isinstance(value, (int, float)) else f"{'-':>14s}")
        print(f"{key:{width}s}" + "".join(cells))


def write_results(path, load_before, **payload):
    """Write ``payload`` as JSON to ``path`` with the date and the machine (load average before the
    runs and now)."""
    report = {"date": date.today().isoformat(),
              "machine": {"cpus": os.cpu_count(), "processor": platform.processor() or platform.machine(),
                          "python": platform.python_version(), "load_average_before": load_before,
                          "load_average_after": os.getloadavg()},
              **payload}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1, default=float) + "\n")
    print(f"wrote {path}")
