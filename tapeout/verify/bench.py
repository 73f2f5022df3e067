"""Set-up shared by the cocotb testbenches: configuration, clock and reset, cycle timeout.

The runner passes the configuration in the ``TAPEOUT_TB`` environment variable
(JSON, written by :func:`tb_environment`): ``block`` (name), ``params`` (the
block's constructor parameters), ``seed``, ``effort`` (how many random
transactions), ``timeout_scale`` (multiplies each test's cycle budget) and
``coverage`` (YAML file to export to, or null).
"""

import json
import os

import numpy as np

CONFIG_ENV = "TAPEOUT_TB"
CLOCK_NS = 10
RESET_CYCLES = 3


def tb_environment(block, params, seed, effort, coverage_file, timeout_scale=1.0):
    """``{TAPEOUT_TB: json}`` to pass as the runner's ``extra_env``."""
    return {CONFIG_ENV: json.dumps({
        "block": block, "params": params, "seed": int(seed), "effort": int(effort),
        "timeout_scale": float(timeout_scale),
        "coverage": None if coverage_file is None else str(coverage_file)})}


def load_config():
    """The testbench configuration (dict) from ``TAPEOUT_TB``."""
    if CONFIG_ENV not in os.environ:
        raise RuntimeError(f"{CONFIG_ENV} is not set: run the testbench through "
                           f"tapeout.verify.regression")
    return json.loads(os.environ[CONFIG_ENV])


class Bench:
    """One test's context: configuration, seeded generator, clock, reset, timeout, coverage export.

    Parameters
    ----------
    dut : cocotb handle of the top module.
    test_name : str
        Name of the test; with the seed it seeds :attr:`rng`, so each test's stimulus
        does not depend on the other tests.
    """

    def __init__(self, dut, test_name):
        self.dut = dut
        self.config = load_config()
        self.params = self.config["params"]
        self.seed = self.config["seed"]
        self.effort = self.config["effort"]
        self.test_name = test_name
        self.rng = np.random.default_rng([self.seed, sum(map(ord, test_name))])

    def fail(self, message):
        """Message of a failed check, with the seed that replays it."""
        return (f"{message} (seed {self.seed}; replay: tapeout sim {self.test_name} "
                f"--seed {self.seed})")

    async def reset(self, clocks):
        """Hold ``rst`` high for ``clocks`` rising edges (at the start, or in the middle of a test)."""
        from cocotb.triggers import ClockCycles
        self.dut.rst.value = 1
        await ClockCycles(self.dut.clk, clocks)
        self.dut.rst.value = 0

    async def run(self, body, cycles):
        """Start the clock, reset, run the coroutine ``body`` within ``cycles`` clocks, export coverage.

        ``cycles`` is the test's budget (a few times what the stimulus needs), scaled by
        ``timeout_scale``: a design that hangs fails the test instead of the run.
        """
        import cocotb
        from cocotb.clock import Clock
        from cocotb.triggers import SimTimeoutError, with_timeout

        from . import coverage
        cocotb.start_soon(Clock(self.dut.clk, CLOCK_NS, unit="ns").start())
        await self.reset(RESET_CYCLES)
        limit = int(cycles * self.config.get("timeout_scale", 1.0)) + RESET_CYCLES
        try:
            await with_timeout(body, limit * CLOCK_NS, "ns")
        except SimTimeoutError:
            raise AssertionError(self.fail(f"{self.test_name} did not finish within "
                                           f"{limit} clocks")) from None
        finally:
            if self.config.get("coverage"):
                coverage.export(self.config["coverage"])
