"""Run the real SCALE-Sim (PyPI ``scalesim``, an optional extra) on one GEMM, to check
:mod:`tapeout.arch.scalesim` against it.

SCALE-Sim reads a config file, a GEMM topology file ("Layer, M, N, K,") and a layout file, and
writes ``COMPUTE_REPORT.csv``; this module writes the three files into a temporary folder, runs it
with SRAMs large enough and bandwidth computed (``InterfaceBandwidth: CALC``, so no stalls) and
returns the report's row. SCALE-Sim 3.0.0 calls ``int()`` on the one-element array that ``max()``
returns over its service cycles, which NumPy 2 refuses; while it runs, the module's ``max`` is
given one that returns that element (same value, as NumPy 1 did).
"""

from __future__ import annotations

import builtins
import contextlib
import csv
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tapeout.errors import TapeoutError

_LAYOUT_HEADER = (
    "Layer name, IFMAP Height Intraline Factor, IFMAP Width Intraline Factor, Filter Height Intraline "
    "Factor, Filter Width Intraline Factor, Channel Intraline Factor, Num Filter Intraline Factor, IFMAP "
    "Height Intraline Order, IFMAP Width Intraline Order, Channel Intraline Order, IFMAP Height Interline "
    "Order, IFMAP Width Interline Order, Channel Interline Order, Num Filter Intraline Order, Channel "
    "Intraline Order, Filter Height Intraline Order, Filter Width Intraline Order, Num Filter Interline "
    "Order, Channel Interline Order, Filter Height Interline Order, Filter Width Interline Order,")


class ScaleSimUnavailable(TapeoutError):
    """The optional PyPI package ``scalesim`` is not installed."""


@dataclass(frozen=True)
class ScaleSimReport:
    """One row of SCALE-Sim's COMPUTE_REPORT.csv (stall-free run)."""

    total_cycles: int
    stall_cycles: int
    compute_util_percent: float
    mapping_efficiency_percent: float


def _config(rows: int, cols: int, dataflow: str) -> str:
    return f"""[general]
run_name = tapeout_reference

[architecture_presets]
ArrayHeight: {rows}
ArrayWidth: {cols}
IfmapSramSzkB: 4096
FilterSramSzkB: 4096
OfmapSramSzkB: 4096
IfmapOffset: 0
FilterOffset: 10000000
OfmapOffset: 20000000
Bandwidth : 10
Dataflow : {dataflow}
MemoryBanks: 1
ReadRequestBuffer: 32
WriteRequestBuffer: 32

[layout]
IfmapCustomLayout: False
IfmapSRAMBankBandwidth: 10
IfmapSRAMBankNum: 10
IfmapSRAMBankPort: 2
FilterCustomLayout: False
FilterSRAMBankBandwidth: 10
FilterSRAMBankNum: 10
FilterSRAMBankPort: 2

[sparsity]
SparsitySupport : false
SparseRep : ellpack_block
OptimizedMapping : false
BlockSize : 8
RandomNumberGeneratorSeed : 40

[run_presets]
InterfaceBandwidth: CALC
UseRamulatorTrace: False
"""


@contextlib.contextmanager
def _numpy2_compatible(module):
    import numpy as np

    module.max = lambda *values: np.asarray(builtins.max(*values)).reshape(-1)[0]
    try:
        yield
    finally:
        del module.max


def run_scalesim(m: int, k: int, n: int, rows: int, cols: int, dataflow: str) -> ScaleSimReport:
    """SCALE-Sim's compute report for ``A (m x k) @ B (k x n)`` on a ``rows x cols`` array."""
    try:
        import scalesim.memory.double_buffered_scratchpad_mem as memory
        from scalesim.scale_sim import scalesim
    except ImportError:
        raise ScaleSimUnavailable("SCALE-Sim is not installed; `pip install scalesim` adds it") from None
    with tempfile.TemporaryDirectory(prefix="scalesim-") as folder:
        root = Path(folder)
        (root / "arch.cfg").write_text(_config(rows, cols, dataflow))
        (root / "gemm.csv").write_text(f"Layer, M, N, K,\ngemm, {m}, {n}, {k},\n")
        (root / "layout.csv").write_text(_LAYOUT_HEADER + "\ngemm,1,1,1,1,1,1,1,2,0,4,5,3,3,0,1,2,7,4,5,6,\n")
        with _numpy2_compatible(memory), contextlib.redirect_stdout(io.StringIO()):
            sim = scalesim(save_disk_space=True, verbose=False, config=str(root / "arch.cfg"),
                           topology=str(root / "gemm.csv"), layout=str(root / "layout.csv"),
                           input_type_gemm=True)
            sim.run_scale(top_path=str(root))
        (report,) = root.rglob("COMPUTE_REPORT.csv")
        with report.open() as fh:
            rows_read = [[cell.strip() for cell in row] for row in csv.reader(fh)]
    header, values = rows_read[0], rows_read[1]
    row = dict(zip(header, values))
    return ScaleSimReport(int(row["Total Cycles"]), int(row["Stall Cycles"]),
                          float(row["Compute Util %"]), float(row["Mapping Efficiency %"]))
