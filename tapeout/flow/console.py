"""Rich output of the CLI: live progress while a stage runs, tables of outcomes and metrics."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from tapeout.flow.engine import (
    BLOCKED,
    FAILED,
    NEVER_RUN,
    NOT_APPLICABLE,
    RAN,
    STALE,
    UP_TO_DATE,
    Hooks,
    StageOutcome,
)

STYLE = {RAN: "green", UP_TO_DATE: "cyan", FAILED: "bold red", BLOCKED: "yellow",
         STALE: "yellow", NEVER_RUN: "dim"}

console = Console(highlight=False)


def format_value(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value != 0 and (abs(value) >= 1e6 or abs(value) < 1e-3):
            return f"{value:.4g}"
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def key_metrics(outcome: StageOutcome, names) -> str:
    shown = [f"{n.split('__', 1)[1]}={format_value(outcome.metrics[n])}" for n in names if n in outcome.metrics]
    return ", ".join(shown)


def outcome_table(title: str, outcomes: list[StageOutcome], stages: dict) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("stage")
    table.add_column("status")
    table.add_column("time", justify="right")
    table.add_column("key metrics / message")
    for o in outcomes:
        shows_message = o.status in (FAILED, BLOCKED, NOT_APPLICABLE)
        detail = o.message if shows_message else key_metrics(o, stages[o.name].key_metrics)
        time = f"{o.runtime_s:.2f} s" if o.runtime_s else ""
        table.add_row(o.name, Text(o.status, style=STYLE.get(o.status, "")), time, Text(detail))
    return table


def metrics_table(metrics: dict) -> Table:
    table = Table(title="metrics", title_justify="left")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name in metrics:
        table.add_row(name, format_value(metrics[name]))
    return table


class ProgressHooks(Hooks):
    """Engine hooks drawing one progress line per running stage."""

    def __init__(self, verbose: bool = False):
        super().__init__()
        self.bar = Progress(SpinnerColumn(), TextColumn("[bold]{task.fields[stage]:<8}"), BarColumn(),
                            TextColumn("{task.description}"), TimeElapsedColumn(),
                            console=console, transient=True)
        self.task = None
        self.stage_start = self._start
        self.progress = self._progress
        self.stage_end = self._end
        self.note = lambda message: self.bar.console.print(f"note: {message}", markup=False)
        self.echo = (lambda msg: self.bar.console.print(msg, markup=False)) if verbose else None

    def _start(self, stage):
        self.bar.start()
        self.task = self.bar.add_task(stage.title or stage.name, total=None, stage=stage.name)

    def _progress(self, fraction, message):
        if self.task is not None:
            self.bar.update(self.task, completed=None if fraction is None else fraction * 100,
                            total=None if fraction is None else 100, description=message)

    def _end(self, outcome):
        if self.task is not None:
            self.bar.remove_task(self.task)
            self.task = None
            self.bar.stop()
