"""Timing-driven placement on the default design: tc4x4 from rtl to signoff with
``[place] timing_driven`` off and on, every other setting at its default.

Each run goes through `tapeout run signoff` in a scratch project; prints the placement (HPWL, time,
time spent timing, the placer's own estimate of the worst slack) and the signoff timing (setup WNS
at the setup corner, Fmax) side by side; writes ``benchmarks/results/timing_driven_placement.json``
with the date and the load average before and after (the machine may be shared: wall times are
inflated by the load; compare them only within one run). Asserts nothing.

    python benchmarks/timing_driven_placement.py [--design tc4x4]
"""

import argparse
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from flow_metrics import ROOT, print_metric_table, run_design, write_results  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "timing_driven_placement.json"
SHOWN = [("place", "place__hpwl__um"), ("place", "place__runtime__s"), ("place", "place__timing_runtime__s"),
         ("place", "place__estimated_setup_ws__ns"), ("route", "route__wirelength__um"),
         ("route", "route__overflow__count"), ("signoff", "timing__setup_ws__ns"),
         ("signoff", "timing__fmax__mhz"), ("signoff", "timing__hold_ws__ns")]


def with_timing_driven(toml_text, on):
    """The design TOML with ``[place] timing_driven`` set (the section is added when missing)."""
    line = f"timing_driven = {'true' if on else 'false'}"
    if re.search(r"^\[place\]\s*$", toml_text, flags=re.M):
        return re.sub(r"^\[place\]\s*$", f"[place]\n{line}", toml_text, count=1, flags=re.M)
    return toml_text.rstrip("\n") + f"\n\n[place]\n{line}\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--design", default="tc4x4", help="a design of designs/ (default tc4x4)")
    args = parser.parse_args()
    text = (ROOT / "designs" / f"{args.design}.toml").read_text()
    load_before = os.getloadavg()
    results = {}
    for label, on in (("off", False), ("on", True)):
        status, wall, metrics = run_design(with_timing_driven(text, on), args.design, "signoff")
        results[label] = {"exit_status": status, "wall_s": wall, "metrics": metrics}
    print(f"\n{args.design}: timing-driven placement off / on")
    print_metric_table(results, SHOWN, width=36)
    write_results(RESULTS, load_before, design=args.design, runs=results)


if __name__ == "__main__":
    main()
