"""Mutation kill rate per block: Yosys mutants of each block's RTL against its testbench.

For each block, ``tapeout.verify.mutation.run_mutation`` samples N mutants
(``mutate -list N -seed S``), runs the block's regression on each (2 at a time),
and proves surviving mutants equivalent where it can (or finds them in the reviewed list,
tapeout/verify/equivalent_mutants.toml). Prints the kill-rate table and the survivors,
writes benchmarks/results/mutation.json.

    python benchmarks/mutation.py [--n 50] [--seed 1] [--sim icarus|verilator] [--blocks a b ...]
                                  [--work DIR]   (keep the mutants and runs in DIR)
"""

import argparse
import json
import tempfile
import time
from pathlib import Path

from tapeout.verify.mutation import default_simulator, run_mutation

BLOCKS = ("crossbar", "tile_buffer", "systolic_array", "tensor_tile")
"""Default blocks (the tensor tile's mutants are in its own logic; see Block.mutation_modules)."""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50, help="mutants per block")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sim", default=None, help="default: icarus when installed")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--blocks", nargs="+", default=list(BLOCKS))
    parser.add_argument("--work", default=None, help="working folder (default: a temporary one)")
    args = parser.parse_args()
    sim = args.sim or default_simulator()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.work or tmp)
        for block in args.blocks:
            start = time.perf_counter()
            result = run_mutation(block, work / block, n=args.n, seed=args.seed, sim=sim,
                                  jobs=args.jobs, cache_dir=work / "cache")
            rows.append({
                "block": block, "mutants": result["mutate__mutants__count"],
                "killed": result["mutate__killed__count"],
                "equivalent": result["mutate__equivalent__count"],
                "reviewed_equivalent": result["mutate__reviewed_equivalent__count"],
                "survived": len(result["survivors"]),
                "kill_rate": result["mutate__kill_rate__ratio"],
                "wall_s": round(time.perf_counter() - start, 1),
                "survivors": result["survivors"]})
    print(f"{'block':<16} {'mutants':>7} {'killed':>6} {'equiv':>5} {'reviewed':>8} {'survived':>8} "
          f"{'kill rate':>9} {'wall s':>7}")
    for row in rows:
        print(f"{row['block']:<16} {row['mutants']:>7} {row['killed']:>6} {row['equivalent']:>5} "
              f"{row['reviewed_equivalent']:>8} {row['survived']:>8} {row['kill_rate']:>9.1%} "
              f"{row['wall_s']:>7}")
    for row in rows:
        for survivor in row["survivors"]:
            print(f"survivor {row['block']}: {survivor}")
    out = Path(__file__).parent / "results" / "mutation.json"
    out.write_text(json.dumps({"n": args.n, "seed": args.seed, "sim": sim, "results": rows},
                              indent=2) + "\n")


if __name__ == "__main__":
    main()
