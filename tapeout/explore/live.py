"""What `tapeout explore` shows while it runs: progress, then the latest trials as a table (rich).

On a terminal the table redraws in place; otherwise (a log file, CI) each finished trial is one line.
"""

from __future__ import annotations

import time

from rich.console import Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

from tapeout.explore.evaluation import Evaluation
from tapeout.explore.space import Space
from tapeout.flow.console import console, format_value

STYLE = {"done": "green", "failed": "bold red", "timeout": "bold red", "crashed": "bold red", "running": "cyan"}
SHOWN = 14
"""Rows of the live table: the running trials, then the latest finished ones."""


class LiveTable:
    def __init__(self, space: Space, total: int | None, already: int, where: str):
        self.space, self.total, self.already, self.where = space, total, already, where
        self.running: dict[int, dict] = {}
        self.latest: list[tuple[dict, Evaluation]] = []
        self.counts = {"done": 0, "failed": 0, "infeasible": 0}
        self.started = time.monotonic()
        self.live = Live(self.render(), console=console, refresh_per_second=4, transient=True) \
            if console.is_terminal else None

    def __enter__(self):
        if self.live:
            self.live.__enter__()
        else:
            console.print(self.header(), soft_wrap=True)
        return self

    def __exit__(self, *exc):
        if self.live:
            self.live.__exit__(*exc)

    def finished_now(self) -> int:
        return self.counts["done"] + self.counts["failed"]

    def rate(self) -> float:
        """Trials finished per minute in this run."""
        elapsed = time.monotonic() - self.started
        return 60.0 * self.finished_now() / elapsed if elapsed > 0 else 0.0

    def header(self) -> str:
        total = f"/{self.total}" if self.total else ""
        earlier = f" ({self.already} before this run)" if self.already else ""
        return (f"{self.space.name}: {self.already + self.finished_now()}{total} trials finished{earlier}, "
                f"{self.counts['failed']} failed, {self.counts['infeasible']} infeasible, {len(self.running)} running "
                f"or queued on {self.where}; {self.rate():.1f} trials/min")

    def started_trial(self, trial: int, values: dict) -> None:
        self.running[trial] = values
        self.refresh()

    def finished_trial(self, record: dict, evaluation: Evaluation) -> None:
        self.running.pop(record["trial"], None)
        self.counts["done" if evaluation.ok else "failed"] += 1
        self.counts["infeasible"] += evaluation.ok and not evaluation.feasible
        self.latest = [(record, evaluation), *self.latest][:SHOWN]
        if self.live:
            self.refresh()
        else:
            values = " ".join(f"{k.split('.', 1)[1]}={format_value(v)}" for k, v in record["values"].items())
            shown = ", ".join(f"{m}={format_value(v)}" for m, v in evaluation.objectives.items())
            console.print(f"t{record['trial']:<4} {evaluation.status:<8} {values}  {shown or evaluation.message}"
                          f"  ({record.get('runtime_s', 0):.1f} s)", markup=False, highlight=False, soft_wrap=True)

    def note(self, text: str) -> None:
        console.print(text, markup=False, soft_wrap=True)

    def refresh(self) -> None:
        if self.live:
            self.live.update(self.render())

    def render(self):
        table = Table(title_justify="left")
        table.add_column("trial", justify="right")
        table.add_column("status")
        for key in self.space.keys:
            table.add_column(key.split(".", 1)[1], justify="right")
        for metric in self.space.objectives:
            table.add_column(metric, justify="right")
        table.add_column("time", justify="right")
        for trial, values in list(self.running.items())[:SHOWN]:
            table.add_row(f"t{trial}", Text("running", style=STYLE["running"]),
                          *(format_value(values.get(k)) for k in self.space.keys), *([""] * len(self.space.objectives)),
                          "")
        for record, evaluation in self.latest[: max(0, SHOWN - len(self.running))]:
            status = evaluation.status if evaluation.ok and evaluation.feasible else \
                ("infeasible" if evaluation.ok else evaluation.status)
            table.add_row(f"t{record['trial']}", Text(status, style=STYLE.get(evaluation.status, "yellow")),
                          *(format_value(record["values"].get(k)) for k in self.space.keys),
                          *(format_value(evaluation.objectives[m]) if evaluation.ok else ""
                            for m in self.space.objectives),
                          f"{record.get('runtime_s', 0):.1f} s")
        return Group(Text(self.header()), table)
