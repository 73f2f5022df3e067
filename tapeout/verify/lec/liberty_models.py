"""Functional Verilog models of a Liberty library's cells for LEC, written by Yosys's ``read_liberty``.

A PDK's own cell models can be unreadable by Yosys (SKY130's ``sky130_fd_sc_hd.v`` is built from UDP
primitives). ``read_liberty`` without ``-lib`` makes a module of every cell from its Liberty groups: a
combinational output from its ``function``, a flip-flop from its ``ff`` group (``next_state``,
``clocked_on``, ``clear``/``preset`` as asynchronous reset/set; both ``IQ`` and ``IQN`` become flops, and
``opt_clean`` removes the ``IQN`` one where no pin reads it: ``dfxtp`` has one flop, ``dfxbp`` two), a
latch from its ``latch`` group. Cells with an output that has no ``function`` (SKY130's clock gates
``sdlclkp``/``dlclkp``, whose state is a ``statetable``) are left out: a netlist using one fails to read
with Yosys's "module not found", never silently. Written once per check folder with ``write_verilog``,
the file is read like any cell-model file (:func:`tapeout.verify.equivalence.netlist_steps`), and
simulated by Icarus in gate-level simulation (``gls``) where the PDK's UDP models stop it.
"""

from __future__ import annotations

from pathlib import Path

from tapeout.yosys_text import quoted


def liberty_models(liberty: Path, out: Path) -> Path:
    """Write the functional models of ``liberty``'s cells to ``out`` (Verilog); returns ``out``. Runs
    Yosys in a child process (its script and log beside ``out``); a Liberty file Yosys cannot read
    raises :class:`tapeout.verify.equivalence.EquivalenceError` (one line)."""
    from tapeout.synth.errors import SynthError
    from tapeout.synth.yosys_process import run_yosys_steps
    from tapeout.verify.equivalence import EquivalenceError

    out = Path(out)
    steps = [f"read_liberty -ignore_miss_func -ignore_miss_dir {quoted(liberty)}",
             "opt_clean",                 # the IQN flop of a cell without a QN pin: no state LEC pairs
             f"write_verilog -noattr {quoted(out)}"]
    try:
        run_yosys_steps(steps, out.with_suffix(".json"), out.with_suffix(".log"))
    except SynthError as error:
        raise EquivalenceError(f"cell models from {liberty}: {error}") from None
    return out


def cell_models(technology, library: str, out: Path) -> list[Path]:
    """The cell-model files of ``technology`` for LEC and gate-level simulation: ``tap130``'s own Verilog;
    a PDK's (UDP primitives) written from its Liberty file to ``out``."""
    return list(technology.verilog_models) if library == "tap130" else [liberty_models(technology.liberty(), out)]
