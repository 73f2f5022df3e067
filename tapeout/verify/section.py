"""[verify]: the tests of a design of your own, its top's HDL parameters, and the gate-level runs'
seed, simulator and (for the built-in tile) their size. Owned by the `verify` stage; the `gls` stage reads it."""

from __future__ import annotations

from dataclasses import dataclass

from tapeout.flow.schema import Choice, Int, ParameterTable, TextList, setting

TILE_TESTS = ("tile_gemm_pingpong", "tile_same_bank_and_bad_commands", "tile_load_overlaps_compute",
              "tile_reset_mid_gemm")
"""The tile testbench's tests (:mod:`tapeout.verify.tb_tensor_tile`)."""


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
    gls_tests: tuple = setting(TextList(), TILE_TESTS,
                               doc="the built-in tile's cocotb tests run on its netlists (all four by default, with "
                                   "small GEMMs); a design of your own runs all its tests")
    gls_gemms: int = setting(Int(1, 64), 2, doc="random GEMMs of the tile's gate-level ping-pong test (at least one "
                                                "per bank and link)")
    gls_max_k: int = setting(Int(0, 4096), 8, doc="largest K (count of a COMPUTE) of the tile's gate-level GEMMs; "
                                                  "0: the buffer's depth, as in the RTL regression")
