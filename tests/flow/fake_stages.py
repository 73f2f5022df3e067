"""Small stages for engine tests: they write files derived from their inputs and count their runs."""

import os
import time
from pathlib import Path

from tapeout.errors import StageError
from tapeout.flow.stage import Stage


class Counted(Stage):
    runs: list  # names of stages that ran, shared per test

    def __init__(self, runs):
        self.runs = runs


class First(Counted):
    name = "first"
    reads = ("tensor_core.rows",)
    outputs = ("a.txt",)
    key_metrics = ("first__rows__count",)

    def run(self, ctx):
        self.runs.append(self.name)
        (ctx.out_dir / "a.txt").write_text(f"rows={ctx.config.tensor_core.rows}\n")
        return {"first__rows__count": ctx.config.tensor_core.rows}


class Second(Counted):
    name = "second"
    needs = ("first",)
    reads = ("tensor_core.cols",)
    outputs = ("b.txt",)

    def run(self, ctx):
        self.runs.append(self.name)
        a = ctx.input("first", "a.txt").read_text()
        (ctx.out_dir / "b.txt").write_text(a + f"cols={ctx.config.tensor_core.cols}\n")
        if ctx.options.get("fail"):
            raise StageError("second: asked to fail")
        if ctx.options.get("interrupt"):
            raise KeyboardInterrupt
        if ctx.options.get("hang_marker"):
            Path(ctx.options["hang_marker"]).write_text(str(os.getpid()))
            time.sleep(60)
        return {}


class Third(Counted):
    name = "third"
    needs = ("second",)
    reads = ("design.clock_period_ns",)
    outputs = ("c.txt",)

    def run(self, ctx):
        self.runs.append(self.name)
        (ctx.out_dir / "c.txt").write_text(ctx.input("second", "b.txt").read_text())
        return {}


class Forgetful(Counted):
    name = "forgetful"
    outputs = ("never.txt",)

    def run(self, ctx):
        self.runs.append(self.name)
        return {}


class Buggy(Counted):
    name = "buggy"

    def run(self, ctx):
        return {}["missing"]


def chain(runs):
    return [First(runs), Second(runs), Third(runs)]
