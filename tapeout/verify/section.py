"""[verify]: the tests of a design of your own, its top's HDL parameters, and the gate-level runs'
seed and simulator. Owned by the `verify` stage; the `gls` stage reads it."""

from __future__ import annotations

from dataclasses import dataclass

from tapeout.flow.schema import Choice, Int, ParameterTable, TextList, setting


@dataclass(frozen=True)
class VerifySection:
    """[verify]: the tests a design of your own runs (on the RTL in `verify`, on the netlists in `gls`)."""

    tests: tuple = setting(TextList(), (), doc="cocotb test modules of your own design (importable from the "
                                               "design file's folder); the built-in tile uses its own")
    parameters: tuple = setting(ParameterTable(), (),
                                doc="HDL parameters of your Verilog top in the RTL simulation, e.g. {WIDTH = 8} "
                                    "(the netlists have them built in)")
    seed: int = setting(Int(0, 2**31 - 1), 1, doc="seed of the random stimulus")
    simulator: str = setting(Choice(("auto", "verilator", "icarus")), "auto",
                             doc="HDL simulator of the gate-level runs; auto: Icarus when installed (it compiles a "
                                 "large netlist in seconds where Verilator takes minutes), else Verilator")
