"""Exploration throughput: trials per minute of the fast architectural space with 1 and 2 workers.

The space is designs/explore/package.toml (200 random packagings of the signed-off 4x4 tile that
designs/h100_like.toml states; every trial runs the `package` stage and reuses `arch`; the space draws
no pictures). One trial runs first ("prime": arch), so that the timed runs measure the sweep itself;
each timed run is a fresh exploration (its own name and seed, so no package stage is reused) sharing the
stage index, and its wall time includes starting its worker processes. Also timed: the same sweep with
pictures drawn (`--pictures-trials`, default 50: what a trial cost before the space turned them off),
and the Dask LocalCluster executor on a 20-trial slice. Each run also reports the CPU time it took (this
process and its finished children: user + system), which depends far less on the machine's load than
the wall time.

Prints a table and writes benchmarks/results/explore_throughput.json; asserts nothing.

Usage: python benchmarks/explore_throughput.py [--trials 200] [--build-dir build/bench-explore] [--no-dask]
                                              [--pictures-trials 50] [--seed 1001]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tapeout.explore.executors import DaskExecutor, PoolExecutor  # noqa: E402
from tapeout.explore.runner import run_exploration  # noqa: E402
from tapeout.explore.space import load_space  # noqa: E402
from tapeout.explore.trial import DEFAULT_FLOW  # noqa: E402

SPACE = ROOT / "designs" / "explore" / "package.toml"


def space_named(name: str, folder: Path, seed: int, pictures: bool = False):
    """The package space under another [explore] name (a fresh exploration folder) and seed (fresh trials:
    no package stage can be reused from an earlier run), drawing pictures or not."""
    text = SPACE.read_text().replace('design = "../', f'design = "{ROOT / "designs"}/')
    text = text.replace("seed = 1\n", f"seed = {seed}\n")
    text = text.replace("pictures = false\n", f"pictures = {str(pictures).lower()}\n")
    path = folder / f"{name}.toml"
    path.write_text(text.replace("[explore]\n", f'[explore]\nname = "{name}"\n', 1))
    return load_space(path)


def cpu_seconds() -> float:
    """User + system CPU time of this process and of its finished children (the pool's workers and the trials
    they forked; a Dask LocalCluster's processes once closed), in seconds."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def pool(workers: int):
    return lambda space: PoolExecutor(workers, DEFAULT_FLOW, space.stages, space.design, space.pictures)


def timed(name: str, make_executor, trials: int, build: Path, seed: int, pictures: bool = False) -> dict:
    space = space_named(name, build, seed, pictures)
    load = os.getloadavg()[0]
    cpu_before = cpu_seconds()
    started = time.perf_counter()
    executor = make_executor(space)
    outcome = run_exploration(space, build, executor, trials=trials)
    wall = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_before
    counts = outcome.results.counts()
    runtimes = sorted(r["runtime_s"] for r in json.loads((outcome.folder / "explore.json").read_text())["trials"])
    return {"run": name, "executor": executor.description, "pictures": pictures, "trials": outcome.ran_now,
            "wall_s": round(wall, 1), "trials_per_min": round(60 * outcome.ran_now / wall, 1),
            "cpu_s": round(cpu, 1), "cpu_per_trial_s": round(cpu / max(1, outcome.ran_now), 3),
            "trial_median_s": runtimes[len(runtimes) // 2] if runtimes else None, "done": counts["done"],
            "failed": counts["failed"], "pareto": counts["pareto"], "load_before": round(load, 2),
            "load_after": round(os.getloadavg()[0], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build" / "bench-explore")
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--pictures-trials", type=int, default=50,
                        help="trials of the same sweep with pictures drawn (0: none)")
    parser.add_argument("--seed", type=int, default=1001,
                        help="seed of the first run (the others count up); a seed run before finds its package "
                             "stages in the stage index: give another to time fresh trials")
    args = parser.parse_args()
    build = args.build_dir.resolve()
    build.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    seed = args.seed
    rows = [timed(f"prime-{stamp}", pool(1), 1, build, seed)]
    for workers in (1, 2):
        rows.append(timed(f"w{workers}-{stamp}", pool(workers), args.trials, build, seed + workers))
    if args.pictures_trials:
        rows.append(timed(f"w1-pictures-{stamp}", pool(1), args.pictures_trials, build, seed + 3, pictures=True))
    if not args.no_dask:
        rows.append(timed(f"dask2-{stamp}", lambda space: DaskExecutor(local_workers=2), min(20, args.trials), build,
                          seed + 4))

    print(f"{'run':<28} {'executor':<34} {'pictures':>8} {'trials':>6} {'wall s':>7} {'trials/min':>10} "
          f"{'trial s':>7} {'CPU s':>6} {'front':>5} {'load':>11}")
    for r in rows:
        print(f"{r['run']:<28} {r['executor']:<34} {str(r['pictures']):>8} {r['trials']:>6} {r['wall_s']:>7} "
              f"{r['trials_per_min']:>10} {r['trial_median_s']:>7} {r['cpu_s']:>6} {r['pareto']:>5} "
              f"{r['load_before']:>5}-{r['load_after']:<5}")
    out = ROOT / "benchmarks" / "results" / "explore_throughput.json"
    out.write_text(json.dumps({"date": time.strftime("%Y-%m-%d %H:%M"), "machine": platform.machine(),
                               "cpus": os.cpu_count(), "space": str(SPACE.relative_to(ROOT)), "runs": rows},
                              indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
