"""The `tapeout` command line: designs, run, status, metrics, clean.

Exit status: 0 ok, 1 a stage failed (its log path is printed), 2 usage or config error,
130 interrupted. Errors are one line each on stderr, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from tapeout import __version__
from tapeout.errors import TapeoutError

DESIGN_OPTION = click.option("-d", "--design", "design", default=None, metavar="DESIGN",
                             help="design name (designs/NAME.toml, else a built-in design) or path to a TOML file "
                                  "[default: tc4x4]")
BUILD_OPTION = click.option("--build-dir", type=click.Path(path_type=Path), default=Path("build"),
                            show_default=True, help="where build/<design>/<stage>/ results go")


def stage_options(command):
    """Add every stage's declared command-line options to `command` (each flag once)."""
    from tapeout.flow.stages import flow_stages

    declared = {}
    for stage in flow_stages():
        for option in stage.options:
            declared.setdefault(option.flag, option)
    for option in reversed(list(declared.values())):
        if option.type is None:
            command = click.option(option.flag, is_flag=True, help=option.help)(command)
        else:
            kind = click.Choice(option.type) if isinstance(option.type, tuple) else option.type
            command = click.option(option.flag, type=kind, default=None, help=option.help)(command)
    return command


def _engine(design: str | None, build_dir: Path):
    from tapeout.flow.config import find_design, load_design
    from tapeout.flow.engine import Engine
    from tapeout.flow.stages import flow_stages

    config = load_design(find_design(design))
    return Engine(config, flow_stages(), build_dir)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tapeout")
def cli():
    """tapeout: a scaled-down AI accelerator from architecture to a packaged-chip estimate."""


@cli.command()
@click.option("--designs-dir", type=click.Path(path_type=Path), default=Path("designs"), show_default=True,
              help="the project's own designs; they win over built-in designs of the same name")
def designs(designs_dir: Path):
    """List the designs: the project's under designs/, then the built-in ones; and the FPGA board designs."""
    from rich.table import Table

    from tapeout.errors import ConfigError
    from tapeout.flow.config import design_files, load_design
    from tapeout.flow.console import console
    from tapeout.fpga.board_design import board_design_path, load_board_design
    from tapeout.fpga.boards import BOARDS

    table = Table(title=f"designs (`tapeout run -d NAME`; {designs_dir}/ wins over built-in)", title_justify="left")
    for column in ("design", "where", "source", "clock", "description"):
        table.add_column(column, no_wrap=column != "description")
    for name, (path, built_in) in design_files(designs_dir).items():
        where = "built-in" if built_in else str(path)
        try:
            config = load_design(path)
        except ConfigError as exc:
            table.add_row(name, where, "[red]cannot load[/]", "", exc.lines[0])  # bad file, or no PDK
            continue
        d = config.design
        if config.uses_generators:
            c = config.tensor_core
            source = f"generators: {c.rows}x{c.cols} {c.dataflow}" if c else "generators"
        else:
            source = "verilog: " + ", ".join(d.verilog) if d.verilog else f"amaranth: {d.amaranth}"
        table.add_row(name, where, source, f"{d.clock_period_ns:g} ns", d.description)
    console.print(table)
    boards = Table(title="FPGA board designs (`tapeout fpga --board BOARD`)", title_justify="left")
    for column in ("board", "where", "tile", "baud"):
        boards.add_column(column)
    for board in BOARDS:
        path = board_design_path(board, designs_dir)
        where = str(path) if path.is_relative_to(designs_dir) else "built-in"
        try:
            design = load_board_design(path)
        except ConfigError as exc:
            boards.add_row(board, where, "[red]cannot load[/]", exc.lines[0])
            continue
        shape = design.shape
        boards.add_row(board, where, f"{shape.rows}x{shape.cols}", f"{design.baud}")
    console.print(boards)


@cli.command("init")
@click.argument("directory", type=click.Path(path_type=Path), default=Path("."))
@click.option("--from", "source", default="tc4x4", show_default=True, metavar="DESIGN",
              help="the design to start from: a built-in design's name (tapeout designs) or a TOML file")
def init_command(directory: Path, source: str):
    """Write a starter project into DIRECTORY (default: here): a design, an example of your own Verilog,
    a Makefile and a .gitignore. Overwrites nothing."""
    from tapeout.flow.config import DEFAULT_DESIGN
    from tapeout.flow.console import console
    from tapeout.flow.init_project import init_project

    written = init_project(directory, source)
    console.print(f"wrote {len(written)} files in {directory}/: "
                  + ", ".join(p.relative_to(directory).as_posix() for p in written), soft_wrap=True)
    design = written[0].stem  # the design's own file comes first
    run = "tapeout run" + ("" if design == DEFAULT_DESIGN else f" -d {design}")
    enter = "" if directory == Path(".") else f"cd {directory} && "
    console.print(f"next: {enter}{run}", soft_wrap=True)


@cli.command("stages")
@click.option("--markdown", is_flag=True, help="print the README's stage table (Markdown)")
def stages_command(markdown):
    """List the flow's stages: what each does, what it reads and writes."""
    from tapeout.flow.console import console
    from tapeout.flow.stage_table import stage_rows, stages_markdown
    from tapeout.flow.stages import flow_stages

    if markdown:
        click.echo(stages_markdown(flow_stages()))
        return
    from rich.table import Table

    table = Table(title="stages of the flow", title_justify="left")
    for column in ("stage", "after", "what it does", "outputs"):
        table.add_column(column)
    for row in stage_rows(flow_stages()):
        table.add_row(*row)
    console.print(table)


@cli.command()
@click.argument("stages", nargs=-1)
@DESIGN_OPTION
@BUILD_OPTION
@click.option("--force", is_flag=True, help="rerun the selected stages even if up to date")
@click.option("--from", "start", metavar="STAGE", help="rerun from this stage on, even if up to date")
@click.option("--to", "stop", metavar="STAGE", help="stop after this stage")
@click.option("--json", "as_json", is_flag=True, help="print the outcome as JSON")
@click.option("-v", "--verbose", is_flag=True, help="echo stage logs")
@stage_options
def run(stages, design, build_dir, force, start, stop, as_json, verbose, **stage_flags):
    """Run STAGES (default: the whole flow) and the stages they depend on."""
    from tapeout.flow.console import ProgressHooks, console, outcome_table
    from tapeout.flow.engine import FAILED, RAN, UP_TO_DATE, Hooks

    engine = _engine(design, build_dir)
    hooks = Hooks() if as_json else ProgressHooks(verbose)
    options = {k: v for k, v in stage_flags.items() if v is not None and v is not False}
    outcomes = engine.run(stages, force=force, start=start, stop=stop, hooks=hooks, options=options)
    failed = [o for o in outcomes if o.status == FAILED]
    if as_json:
        click.echo(json.dumps({
            "design": engine.config.name, "build_dir": str(engine.dir),
            "stages": [{"stage": o.name, "status": o.status, "runtime_s": round(o.runtime_s, 3),
                        "message": o.message, "log": str(o.log) if o.log else None, "metrics": o.metrics}
                       for o in outcomes],
        }, indent=2))
    elif outcomes and all(o.status in (UP_TO_DATE, "n/a") for o in outcomes):
        done = sum(o.status == UP_TO_DATE for o in outcomes)
        console.print(f"nothing to do: {done} stage{'s' * (done != 1)} up to date in {engine.dir}/ "
                      "(use --force to rerun)")
    else:
        console.print(outcome_table(f"{engine.config.name}: flow run", outcomes, engine.stages))
        ran = sum(o.status == RAN for o in outcomes)
        console.print(f"{ran} stage{'s' * (ran != 1)} ran; results in {engine.dir}/")
    if not as_json and any(o.status in (RAN, FAILED) for o in outcomes):
        from tapeout.flow.report import write_report

        html_path, _ = write_report(engine)
        console.print(f"report: {html_path}")
    for o in failed:
        click.echo(f"error: stage {o.name} failed: {o.message}", err=True)
        click.echo(f"  log: {o.log}", err=True)
    if failed:
        raise click.exceptions.Exit(1)


@cli.command()
@DESIGN_OPTION
@BUILD_OPTION
@click.option("--json", "as_json", is_flag=True, help="print the status as JSON")
def status(design, build_dir, as_json):
    """Show every stage: up to date, stale, failed or never run, with its key metrics."""
    from tapeout.flow.console import console, outcome_table

    engine = _engine(design, build_dir)
    rows = engine.status()
    if as_json:
        click.echo(json.dumps([{"stage": r.name, "status": r.status, "runtime_s": r.runtime_s,
                                "metrics": r.metrics, "log": str(r.log) if r.log else None} for r in rows],
                              indent=2))
        return
    console.print(outcome_table(f"{engine.config.name}: status ({engine.dir}/)", rows, engine.stages))


@cli.command()
@DESIGN_OPTION
@BUILD_OPTION
@click.option("--json", "as_json", is_flag=True, help="print the metrics as JSON")
def metrics(design, build_dir, as_json):
    """Print the metrics of every stage's last successful run."""
    from tapeout.flow.console import console, metrics_table

    engine = _engine(design, build_dir)
    merged = engine.metrics()
    if as_json:
        click.echo(json.dumps(merged, indent=2, sort_keys=True))
    elif not merged:
        console.print(f"no metrics yet for {engine.config.name}: run `tapeout run` first")
    else:
        console.print(metrics_table(merged))


@cli.command()
@DESIGN_OPTION
@BUILD_OPTION
def report(design, build_dir):
    """Write build/<design>/report.html and report.md from the last results."""
    from tapeout.flow.console import console
    from tapeout.flow.report import write_report

    html_path, md_path = write_report(_engine(design, build_dir))
    console.print(f"report: {html_path} (and {md_path.name})")


@cli.command()
@click.argument("stage", required=False)
@DESIGN_OPTION
@BUILD_OPTION
def clean(stage, design, build_dir):
    """Delete STAGE's results, or the design's whole build directory."""
    from tapeout.flow.console import console

    engine = _engine(design, build_dir)
    removed = engine.clean(stage)
    what = f"stage {stage}" if stage else "all stages"
    console.print(f"cleaned {what} of {engine.config.name} ({len(removed)} item{'s' * (len(removed) != 1)})")


@cli.command("serve")
@DESIGN_OPTION
@BUILD_OPTION
@click.option("--model", default=None, help="LLM: llama-2-7b, llama-2-70b, llama-3-8b [default: the design's [serve]]")
@click.option("--batch", default=None, help="batch sizes, e.g. 1,8,64")
@click.option("--prompt", type=int, default=None, help="prompt tokens per request")
@click.option("--output", type=int, default=None, help="output tokens per request")
@click.option("--tp", type=int, default=None, help="tensor parallelism: packages sharing the model")
@click.option("--force", is_flag=True, help="rerun the serve stage even if up to date")
@click.option("--json", "as_json", is_flag=True, help="print serve.json instead of the tables")
def serve_command(design, build_dir, model, batch, prompt, output, tp, force, as_json):
    """Serve an LLM on the design's package: TTFT, TPOT, tokens/s per batch (runs arch, package, serve)."""
    from tapeout.errors import UsageError
    from tapeout.flow.console import ProgressHooks, console
    from tapeout.flow.engine import BLOCKED, FAILED, Hooks
    from tapeout.flow.report import write_report
    from tapeout.serve.console import phase_table, serving_table
    from tapeout.serve.settings import apply_options

    engine = _engine(design, build_dir)
    if not engine.stages["serve"].applies(engine.config):
        raise UsageError(f"{engine.config.path}: serving needs a [package] section (and the [tensor_core] it packages)")
    options = {k: v for k, v in dict(model=model, batch=batch, prompt=prompt, output=output, tp=tp).items()
               if v is not None}
    apply_options(engine.config.serve, options)  # a bad value stops here, exit status 2
    outcomes = engine.run(("serve",), force=force, hooks=Hooks() if as_json else ProgressHooks(), options=options)
    failed = [o for o in outcomes if o.status in (FAILED, BLOCKED)]
    if not as_json:
        write_report(engine)
    for o in failed:
        click.echo(f"error: stage {o.name} failed: {o.message}", err=True)
        click.echo(f"  log: {o.log}", err=True)
    if failed:
        raise click.exceptions.Exit(1)
    result = json.loads((engine.stage_dir("serve") / "serve.json").read_text())
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    console.print(serving_table(result))
    for row in result["batches"]:
        console.print(phase_table(result, row))
    console.print(f"pictures and serve_report.md in {engine.stage_dir('serve')}/; report: {engine.dir / 'report.html'}")


@cli.command("explore")
@click.argument("space_file", metavar="SPACE.toml", type=click.Path(path_type=Path))
@click.option("--build-dir", type=click.Path(path_type=Path), default=Path("build"), show_default=True,
              help="the exploration goes to <build-dir>/explore/<space name>/")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="trials at once in local processes [default: the number of cores]")
@click.option("--dask", "dask_address", metavar="SCHEDULER_ADDRESS", default=None,
              help="run the trials on this Dask scheduler, e.g. tcp://host:8786")
@click.option("--dask-local", type=click.IntRange(min=1), default=None, metavar="N",
              help="run the trials on a Dask LocalCluster of N workers")
@click.option("--trials", type=click.IntRange(min=1), default=None,
              help="how many trials (random, nsga2, tpe); grid: at most this many points")
@click.option("--resume", is_flag=True, help="continue an earlier run of this space; finished trials are kept")
@click.option("--trial-timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="S",
              help="stop a trial after S seconds and record it as timed out [default: the space's trial_timeout_s]")
def explore_command(space_file, build_dir, workers, dask_address, dask_local, trials, resume, trial_timeout):
    """Run the flow over a design space (SPACE.toml) and find the Pareto front of its objectives."""
    from tapeout.errors import UsageError
    from tapeout.explore.executors import DaskExecutor, PoolExecutor
    from tapeout.explore.runner import run_exploration
    from tapeout.explore.space import load_space
    from tapeout.explore.trial import DEFAULT_FLOW
    from tapeout.flow.console import console

    if sum(x is not None for x in (workers, dask_address, dask_local)) > 1:
        raise UsageError("give one of --workers, --dask and --dask-local")
    space = load_space(space_file)
    if dask_address or dask_local:
        executor = DaskExecutor(dask_address, dask_local)
    else:
        executor = PoolExecutor(workers, DEFAULT_FLOW, space.stages, space.design, space.pictures)
    outcome = run_exploration(space, build_dir, executor, trials=trials, resume=resume,
                              trial_timeout_s=trial_timeout)
    counts = outcome.results.counts()
    earlier = f" ({outcome.earlier} finished before)" if outcome.earlier else ""
    console.print(f"{space.name}: {outcome.ran_now} trials run in {outcome.folder}{earlier}, "
                  f"{outcome.rate_per_min:.1f} trials/min; {counts['feasible']} feasible, {counts['failed']} failed, "
                  f"{counts['pareto']} on the Pareto front", soft_wrap=True)
    for row in outcome.results.rows():
        if row["pareto"]:
            shown = ", ".join(f"{m} = {row[m]:.6g}" for m in space.objectives)
            console.print(f"  front t{row['trial']}: {outcome.results.label(row['trial'])}: {shown}", markup=False,
                          soft_wrap=True)
    for row in outcome.results.rows():
        if row["status"] != "done":
            click.echo(f"trial t{row['trial']} {row['status']}: {row['message']} (log: {outcome.folder / row['log']})",
                       err=True)
    console.print(f"results: {outcome.folder / 'explore.html'} (and explore.csv, explore.json)", soft_wrap=True)
    if outcome.interrupted:
        click.echo(f"error: interrupted; `tapeout explore {space_file} --resume` continues", err=True)
        raise click.exceptions.Exit(130)
    if counts["finished"] and not counts["done"]:
        raise click.exceptions.Exit(1)


@cli.command("place")
@click.option("--bookshelf", "aux", type=click.Path(path_type=Path), required=True,
              help="a Bookshelf benchmark's .aux file (ISPD 2005 format)")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="placed .pl to write [default: <benchmark>.tapeout.pl beside the .aux]")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--effort", type=float, default=1.0, show_default=True, help="scales moves per temperature")
@click.option("--method", type=click.Choice(["auto", "anneal", "analytic", "eplace"]), default="auto",
              show_default=True, help="global placement (auto: anneal below 100 movable cells, else eplace)")
@click.option("--json", "as_json", is_flag=True, help="print the result as JSON")
def place_command(aux, output, seed, effort, method, as_json):
    """Place a Bookshelf benchmark with tapeout's placer, outside the flow; print HPWL."""
    from tapeout.errors import UsageError
    from tapeout.flow.console import ProgressHooks, console, format_value
    from tapeout.pnr.formats.bookshelf import place_bookshelf

    if not aux.is_file():
        raise UsageError(f"{aux}: no such Bookshelf .aux file")
    output = output or aux.with_suffix(".tapeout.pl")
    if as_json:
        result = place_bookshelf(aux, output, seed=seed, effort=effort, method=method)
        click.echo(json.dumps({**result, "pl": str(output)}, indent=2, default=float))
        return
    hooks = ProgressHooks()
    hooks.bar.start()
    task = hooks.bar.add_task("placing", total=100, stage="place")
    try:
        result = place_bookshelf(aux, output, seed=seed, effort=effort, method=method,
                                 progress=lambda f, m: hooks.bar.update(task, completed=100 * f, description=m))
    finally:
        hooks.bar.stop()
    for key in ("cells", "movable", "nets", "method", "hpwl_initial", "hpwl", "moves", "moves_per_s",
                "displacement_mean_rows", "displacement_max_rows", "runtime_s", "violations"):
        console.print(f"{key:>14}: {format_value(result[key])}")
    console.print(f"wrote {output}")


@cli.command()
@click.argument("name")
@click.option("--sim", type=click.Choice(["verilator", "icarus"]), default="verilator", show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="replays a failing random test")
@click.option("--waves", is_flag=True, help="write waves (VCD from Verilator, FST from Icarus)")
@click.option("--out", type=click.Path(path_type=Path), default=Path("build/sim"), show_default=True)
def sim(name, sim, seed, waves, out):
    """Run one block's testbench (systolic_array, tile_buffer, crossbar, tensor_tile, ...) or one test."""
    from tapeout.flow.console import console
    from tapeout.verify.regression import run_one

    with console.status(f"{name} on {sim}, seed {seed}"):
        result = run_one(name, sim=sim, seed=seed, waves=waves, out_dir=out)
    console.print(f"{result['tests']} tests, {result['failures']} failed (seed {seed}); results {result['results']}")
    if result.get("waves"):
        console.print(f"waves: {result['waves']}")
    if result["failures"]:
        click.echo(f"error: {result['failures']} test(s) failed; replay with `tapeout sim {name} --seed {seed}`; "
                   f"log: {result['log']}", err=True)
        raise click.exceptions.Exit(1)


@cli.command()
@click.argument("block")
@click.option("--n", "n", type=int, default=50, show_default=True, help="mutants to generate")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--sim", type=click.Choice(["verilator", "icarus"]), default=None,
              help="simulator [default: icarus when on PATH, else verilator]")
@click.option("--jobs", type=int, default=2, show_default=True, help="mutants simulated at once")
@click.option("--out", type=click.Path(path_type=Path), default=Path("build/mutate"), show_default=True)
def mutate(block, n, seed, sim, jobs, out):
    """Mutation-test BLOCK's testbench with Yosys `mutate`: kill rate, survivors, equivalent mutants."""
    from tapeout.errors import UsageError
    from tapeout.flow.console import console
    from tapeout.verify.blocks import BLOCKS
    from tapeout.verify.mutation import run_mutation

    if block not in BLOCKS:
        raise UsageError(f"no block {block!r} to mutate; blocks are: {', '.join(BLOCKS)}")
    with console.status(f"mutating {block}") as status:
        result = run_mutation(block, out / block, n=n, seed=seed, sim=sim, jobs=jobs,
                              progress=lambda message: status.update(message))
    console.print((out / block / "mutation.txt").read_text().rstrip())
    return result


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--mode", type=click.Choice(["bmc", "prove", "both"]), default="both", show_default=True,
              help="bmc: bounded check to --depth; prove: k-induction of --depth")
@click.option("--depth", type=click.IntRange(min=1), default=20, show_default=True, help="clocks")
@click.option("--out", type=click.Path(path_type=Path), default=Path("build/formal"), show_default=True)
def prove(names, mode, depth, out):
    """Check formal property sets with SymbiYosys (default: all): BMC and/or k-induction."""
    from tapeout.errors import UsageError
    from tapeout.flow.console import console
    from tapeout.verify import formal

    unknown = [n for n in names if n not in formal.PROPERTY_SETS]
    if unknown:
        raise UsageError(f"no property set {unknown[0]!r}; sets are: {', '.join(formal.PROPERTY_SETS)}")
    modes = ("bmc", "prove") if mode == "both" else (mode,)
    with console.status("proving") as status:
        results = formal.prove_all(out / "formal", names, progress=status.update, modes=modes, depth=depth)
    out.mkdir(parents=True, exist_ok=True)
    console.print(formal.write_report(results, out).rstrip())
    if any(r["status"] == "failed" for r in results):
        raise click.exceptions.Exit(1)


@cli.group(invoke_without_command=True)
@click.option("--board", type=str, default=None, help="icebreaker or ulx3s-85f")
@DESIGN_OPTION
@BUILD_OPTION
@click.option("--force", is_flag=True, help="rebuild even if up to date")
@click.pass_context
def fpga(ctx, board, design, build_dir, force):
    """Build the tile with its UART top to an FPGA bitstream (`tapeout fpga --board B`)."""
    if ctx.invoked_subcommand is not None:
        return
    from tapeout.errors import UsageError
    from tapeout.fpga.boards import BOARDS

    if board is None:
        raise UsageError(f"give --board, one of {', '.join(BOARDS)}")
    if board not in BOARDS:
        raise UsageError(f"unknown FPGA board {board!r}; known boards: {', '.join(BOARDS)}")
    ctx.invoke(run, stages=(f"fpga-{board}",), design=design, build_dir=build_dir, force=force)


@fpga.command()
@click.option("--board", type=str, default="icebreaker", show_default=True)
@click.option("--port", required=True, help="serial device of the board, e.g. /dev/ttyUSB1")
@click.option("--m", "m", type=int, default=8, show_default=True)
@click.option("--k", "k", type=int, default=8, show_default=True)
@click.option("--n", "n", type=int, default=8, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
def gemm(board, port, m, k, n, seed):
    """Send random INT8 matrices to the board, read C back and check it against numpy."""
    from tapeout.flow.console import console
    from tapeout.fpga.board_design import board_design_path, load_board_design
    from tapeout.fpga.host import run_gemm

    design = load_board_design(board_design_path(board))
    ok, _ = run_gemm(port, m, k, n, seed, shape=design.shape, baud=design.baud)
    console.print(f"{m}x{k} @ {k}x{n} on {board}: {'matches numpy' if ok else 'MISMATCH against numpy'}")
    if not ok:
        raise click.exceptions.Exit(1)


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program is so that it stops as on Ctrl-C (children ended,
    partial outputs discarded), with exit status 128 + the signal number."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.exit_code = 128 + signum


def _raise_terminated(signum, frame):
    raise Terminated(signum)


def main(argv=None) -> int:
    """Entry point: run the CLI, turning TapeoutErrors into one-line messages and exit codes."""
    import signal

    previous = {s: signal.signal(s, _raise_terminated) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        return _main(argv)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _main(argv) -> int:
    try:
        code = cli.main(args=argv, prog_name="tapeout", standalone_mode=False)
    except TapeoutError as exc:
        for line in str(exc).splitlines():
            click.echo(f"error: {line}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("error: interrupted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except KeyboardInterrupt as exc:
        what = {143: "terminated (SIGTERM)", 129: "hung up (SIGHUP)"}.get(getattr(exc, "exit_code", 130), "interrupted")
        click.echo(f"error: {what}; results of completed stages are kept", err=True)
        return getattr(exc, "exit_code", 130)
    except OSError as exc:
        from tapeout.errors import os_error_reason

        click.echo(f"error: {exc.filename or 'file system'}: {os_error_reason(exc)}", err=True)
        return 1
    except Exception as exc:  # noqa: BLE001 - a bug: one line, the traceback only on request
        if os.environ.get("TAPEOUT_DEBUG"):
            raise
        click.echo(f"error: internal error: {type(exc).__name__}: {exc} (set TAPEOUT_DEBUG=1 for the traceback)",
                   err=True)
        return 1
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
