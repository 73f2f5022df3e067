"""A two-stage flow for exploration tests: fast, with trials that fail, hang or crash on request.

`shape` reads tensor_core.rows/cols: area = rows x cols x 10 um2. `speed` reads shape's output and the
clock: cycles = 1000 / (rows x cols). Each stage run appends "<stage> <rows>x<cols>" to the file named
by $TAPEOUT_FAKE_RUNS, so tests can count runs. rows = 3: `speed` fails; rows = 5: it hangs;
rows = 7: its process dies (SIGKILL); $TAPEOUT_FAKE_SLEEP seconds of sleep in `speed` otherwise.
"""

import os
import signal
import time

from tapeout.errors import StageError
from tapeout.flow.stage import Artifact, Stage

SHAPE_TXT = Artifact("shape", "shape.txt", "text")
SPEED_TXT = Artifact("speed", "speed.txt", "text")


def _count(stage, config):
    path = os.environ.get("TAPEOUT_FAKE_RUNS")
    if path:
        with open(path, "a") as fh:
            fh.write(f"{stage} {config.tensor_core.rows}x{config.tensor_core.cols}\n")


class Shape(Stage):
    name = "shape"
    reads = ("tensor_core.rows", "tensor_core.cols")
    outputs = (SHAPE_TXT,)

    def run(self, ctx):
        _count(self.name, ctx.config)
        rows, cols = ctx.config.tensor_core.rows, ctx.config.tensor_core.cols
        ctx.path(SHAPE_TXT).write_text(f"{rows} {cols}\n")
        return {"fake__area__um2": rows * cols * 10.0}


class Speed(Stage):
    name = "speed"
    reads = ("design.clock_period_ns",)
    inputs = (SHAPE_TXT,)
    outputs = (SPEED_TXT,)

    def run(self, ctx):
        _count(self.name, ctx.config)
        rows, cols = (int(v) for v in ctx.path(SHAPE_TXT).read_text().split())
        if rows == 3:
            raise StageError("three rows are not allowed")
        if rows == 5:
            time.sleep(600)
        if rows == 7:
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(float(os.environ.get("TAPEOUT_FAKE_SLEEP", "0")))
        ctx.path(SPEED_TXT).write_text("fast\n")
        return {"fake__cycles__count": 1000.0 / (rows * cols), "fake__fits__bool": rows * cols <= 8}


def fake_stages():
    return [Shape(), Speed()]


FAKE_FLOW = "tests.explore.fake_flow:fake_stages"
