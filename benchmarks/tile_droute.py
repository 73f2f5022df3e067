"""Detailed routing and layout signoff of the default tile `tc4x4` on `tap130`, from RTL.

Runs the shipped `designs/tc4x4.toml` (utilisation 0.35, `[place] target_density = 0.45`,
`routability_margin = 0.7`, `[droute] enabled = true`, `max_iterations = 80`) through `drc_lvs` and
`signoff` in a scratch project, and records what issue 17 asks of the default design: shorts and opens
after routing, the conflict points per negotiation pass, routed against global-route wirelength, vias
per net, the layout DRC violations and the LVS result, the setup WNS on the global-route estimate and
on the parasitics extracted from the routes, and each stage's runtime. The load average is sampled
every minute while the flow runs (the machine is shared).

    .venv/bin/python benchmarks/tile_droute.py                 # about 45 minutes on a 2-core machine
    .venv/bin/python benchmarks/tile_droute.py --keep DIR      # build in DIR/tc4x4, resuming what is there

Writes ``benchmarks/results/tile_droute.json``; asserts nothing.
"""

import argparse
import os
import threading
from pathlib import Path

from flow_metrics import ROOT, run_design, write_results

SHOWN = {
    "place": ["place__hpwl__um", "place__target_density__ratio", "place__inflated_cells__count",
              "place__runtime__s"],
    "route": ["route__wirelength__um", "route__overflow__count"],
    "droute": ["droute__nets__count", "droute__shorts__count", "droute__opens__count",
               "droute__iterations__count", "droute__wirelength__um", "droute__global_wirelength__um",
               "droute__wirelength_ratio__ratio", "droute__vias__count", "droute__vias_per_net__ratio",
               "droute__runtime__s"],
    "drc_lvs": None,
    "signoff": None,
}


def sample_load(samples: list, stop: threading.Event, every_s: float = 60.0):
    """Append the 1-minute load average to `samples` every `every_s` seconds until `stop` is set."""
    while not stop.wait(every_s):
        samples.append(os.getloadavg()[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build here and keep it (default: a temporary directory)")
    args = parser.parse_args()
    load_before = os.getloadavg()
    samples, stop = [], threading.Event()
    sampler = threading.Thread(target=sample_load, args=(samples, stop), daemon=True)
    sampler.start()
    design = (ROOT / "designs" / "tc4x4.toml").read_text()
    status, wall, metrics = run_design(design, "tc4x4", ["drc_lvs", "signoff"], keep=args.keep)
    stop.set()
    kept = {stage: ({k: v for k, v in metrics.get(stage, {}).items() if k in keys} if keys else metrics.get(stage))
            for stage, keys in SHOWN.items()}
    runtimes = {stage: values.get(f"{stage}__runtime__s") for stage, values in metrics.items()}
    for stage, values in kept.items():
        print(f"{stage}: {values}")
    print(f"exit status {status}, {wall / 60:.1f} min wall; load average while running "
          f"{min(samples, default=0):.1f}-{max(samples, default=0):.1f}")
    write_results(ROOT / "benchmarks" / "results" / "tile_droute.json", load_before, exit_status=status,
                  design=design, wall_s=wall, resumed_from=str(args.keep) if args.keep else None,
                  stage_runtime_s=runtimes, metrics=kept,
                  load_average_while_running={"min": min(samples, default=None), "max": max(samples, default=None),
                                              "samples": samples})


if __name__ == "__main__":
    main()
