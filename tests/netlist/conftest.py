"""Netlist fixtures: synthesized test designs and hand-written Yosys JSON modules."""

from pathlib import Path

import pytest

from tapeout.synth import synthesize
from tapeout.tech.generate import LIBERTY_PATH
from tapeout.tech.library import default_library

DATA = Path(__file__).resolve().parent.parent / "synth" / "data"


@pytest.fixture(scope="session")
def library():
    return default_library()


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory):
    """``synthesized(design)``: SynthResult of tests/synth/data/<design>.v on tap130 (cached)."""
    cache = {}

    def run(design):
        if design not in cache:
            out = tmp_path_factory.mktemp(f"netlist_{design}")
            cache[design] = synthesize([DATA / f"{design}.v"], design, LIBERTY_PATH, 5.0, out,
                                       macro_input_stages=0)  # the bare macro, no hold buffers
        return cache[design]

    return run


def json_module(cells, ports, top="t"):
    """A Yosys JSON document with one top module.

    cells: {name: (type, {pin: [bits]})}; ports: {name: (direction, [bits])}.
    """
    return {"modules": {top: {
        "attributes": {"top": "00000000000000000000000000000001"},
        "ports": {n: {"direction": d, "bits": b} for n, (d, b) in ports.items()},
        "cells": {n: {"type": t, "connections": c} for n, (t, c) in cells.items()},
        "netnames": {n: {"hide_name": 0, "bits": b} for n, (d, b) in ports.items()},
    }}}
