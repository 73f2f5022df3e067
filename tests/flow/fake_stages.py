"""Small stages for engine tests: they write files derived from their inputs and count their runs."""

import os
import subprocess
import time
from pathlib import Path

from tapeout.errors import StageError
from tapeout.flow.stage import NO_PICTURES, Artifact, Option, Picture, Stage

A_TXT = Artifact("first", "a.txt", "text")
B_TXT = Artifact("second", "b.txt", "text")
C_TXT = Artifact("third", "c.txt", "text")


class Counted(Stage):
    runs: list  # names of stages that ran, shared per test

    def __init__(self, runs):
        self.runs = runs


class First(Counted):
    name = "first"
    reads = ("tensor_core.rows",)
    outputs = (A_TXT,)
    key_metrics = ("first__rows__count",)

    def run(self, ctx):
        self.runs.append(self.name)
        ctx.path(A_TXT).write_text(f"rows={ctx.config.tensor_core.rows}\n")
        return {"first__rows__count": ctx.config.tensor_core.rows}


class Second(Counted):
    name = "second"
    reads = ("tensor_core.cols",)
    inputs = (A_TXT,)
    outputs = (B_TXT,)
    options = (Option("--fail", "fail on purpose"), Option("--interrupt", "interrupt on purpose"),
               Option("--hang-marker", "write this file, then hang", str, hashed=False),
               Option("--hang-child", "hang in a child process (`sleep SECONDS`)", str, hashed=False))

    def run(self, ctx):
        self.runs.append(self.name)
        a = ctx.path(A_TXT).read_text()
        ctx.path(B_TXT).write_text(a + f"cols={ctx.config.tensor_core.cols}\n")
        if ctx.options.get("fail"):
            raise StageError("second: asked to fail")
        if ctx.options.get("interrupt"):
            raise KeyboardInterrupt
        if ctx.options.get("hang_marker"):
            Path(ctx.options["hang_marker"]).write_text(str(os.getpid()))
            if ctx.options.get("hang_child"):
                subprocess.run(["sleep", ctx.options["hang_child"]], check=False)
            time.sleep(60)
        return {}


class Third(Counted):
    name = "third"
    reads = ("design.clock_period_ns",)
    inputs = (B_TXT,)
    outputs = (C_TXT,)

    def run(self, ctx):
        self.runs.append(self.name)
        ctx.path(C_TXT).write_text(ctx.path(B_TXT).read_text())
        return {}


class SometimesStandalone(Third):
    """Third, except that a design of 8 rows states b.txt's content itself: then it reads nothing."""

    def input_artifacts(self, config):
        return () if config.tensor_core.rows == 8 else self.inputs

    def run(self, ctx):
        self.runs.append(self.name)
        stated = ctx.config.tensor_core.rows == 8
        ctx.path(C_TXT).write_text("stated\n" if stated else ctx.path(B_TXT).read_text())
        return {}


class Forgetful(Counted):
    name = "forgetful"
    outputs = (Artifact("forgetful", "never.txt", "text"),)

    def run(self, ctx):
        self.runs.append(self.name)
        return {}


class Buggy(Counted):
    name = "buggy"

    def run(self, ctx):
        return {}["missing"]


class Drawing(Counted):
    """A stage whose picture is optional (it declares NO_PICTURES)."""

    name = "drawing"
    outputs = (Artifact("drawing", "d.json", "json"), Artifact("drawing", "d.png", "png"))
    options = (NO_PICTURES,)
    pictures = (Picture(Artifact("drawing", "d.png", "png"), "a picture"),)

    def run(self, ctx):
        self.runs.append(self.name)
        (ctx.out_dir / "d.json").write_text("{}\n")
        if ctx.draw_pictures:
            (ctx.out_dir / "d.png").write_bytes(b"\x89PNG drawn")
        return {}


class Undrawn(Drawing):
    """Like Drawing, but never draws: fine with --no-pictures, a failure without."""

    name = "undrawn"
    outputs = (Artifact("undrawn", "u.png", "png"),)
    pictures = ()

    def run(self, ctx):
        return {}


def chain(runs):
    return [First(runs), Second(runs), Third(runs)]
