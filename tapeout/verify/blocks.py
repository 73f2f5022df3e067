"""The blocks under test: which RTL component, with which (small) parameters, checked by which testbench.

Testbench parameters are kept small (a 3 x 2 array, 16-bit accumulators so that
signed corner values overflow them, a 4-port crossbar) so that a Verilator build
takes seconds and every coverage bin is reachable in a short run.
:func:`export_block` writes a block's Verilog into a cache directory keyed by its
parameters and the RTL sources, so each block is exported (and built) once.
"""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from tapeout.resources import package_path

RTL_PACKAGE = package_path("tapeout", "rtl")


@dataclass(frozen=True)
class Block:
    """One block under test.

    Attributes
    ----------
    name : str
        Block name used on the command line (``tapeout sim NAME``).
    top : str
        Verilog top module name.
    component : str
        RTL class, ``"module:Class"`` under :mod:`tapeout.rtl`.
    params : dict
        Constructor parameters.
    testbench : str
        cocotb test module (dotted name).
    mutation_modules : tuple of str
        Verilog modules whose cells ``tapeout mutate`` mutates (empty: every module). The
        tensor tile's bench mutates only the tile's own logic: its sub-blocks have benches
        (and mutation scores) of their own, and the tile uses only part of what they can do
        (it never stalls the array mid-GEMM, say), so many of their mutants cannot show at
        the tile's ports.
    """

    name: str
    top: str
    component: str
    params: dict = field(default_factory=dict)
    testbench: str = ""
    mutation_modules: tuple = ()

    def build_component(self, params=None):
        """Elaborate the Amaranth component with ``params`` (default: :attr:`params`)."""
        import importlib
        module_name, class_name = self.component.split(":")
        module = importlib.import_module(f"tapeout.rtl.{module_name}")
        return getattr(module, class_name)(**(self.params if params is None else params))


TB = "tapeout.verify"
BLOCKS = {block.name: block for block in (
    Block("systolic_array", "systolic_array", "systolic_array:SystolicArray",
          {"rows": 3, "cols": 2, "in_width": 8, "acc_width": 16, "dataflow": "os"},
          f"{TB}.tb_systolic_array"),
    Block("systolic_array_ws", "systolic_array_ws", "systolic_array:SystolicArray",
          {"rows": 2, "cols": 3, "in_width": 8, "acc_width": 16, "dataflow": "ws"},
          f"{TB}.tb_systolic_array"),
    Block("tile_buffer", "tile_buffer", "tile_buffer:TileBuffer",
          {"banks": 2, "depth": 8, "width": 16, "granularity": 8, "same_address": "read_first"},
          f"{TB}.tb_tile_buffer"),
    Block("crossbar", "crossbar", "crossbar:Crossbar",
          {"ports": 4, "width": 8, "arbitration": "round_robin"},
          f"{TB}.tb_crossbar"),
    Block("tensor_tile", "tensor_tile", "tensor_tile:TensorTile",
          {"rows": 2, "cols": 2, "in_width": 8, "acc_width": 32, "dataflow": "os", "banks": 2,
           "depth": 16, "width": 32, "ports": 3, "xbar_width": 32, "arbitration": "round_robin"},
          f"{TB}.tb_tensor_tile",
          mutation_modules=("tensor_tile", "tensor_tile.rx_slice", "tensor_tile.tx_slice")),
)}


def get_block(name):
    """The :class:`Block` called ``name`` (or ``name`` itself if a Block); ValueError otherwise."""
    if isinstance(name, Block):
        return name
    if name not in BLOCKS:
        raise ValueError(f"block must be one of {', '.join(map(repr, BLOCKS))}, not {name!r}")
    return BLOCKS[name]


def rtl_fingerprint():
    """Hash (hex) of the RTL package's sources: a changed RTL file invalidates every export."""
    digest = hashlib.sha256()
    for path in sorted(RTL_PACKAGE.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def export_block(block, cache_dir, params=None):
    """Write ``block``'s Verilog under ``cache_dir`` once per parameter set and RTL version.

    The cache is content-addressed (the folder name is a digest of the block, its parameters and the
    RTL sources) and verified on reuse: ``export.json`` records the sha256 of the Verilog written,
    and a file that no longer matches it (edited, truncated) is exported again.

    Parameters
    ----------
    block : Block or str
    cache_dir : str or pathlib.Path
    params : dict or None
        Constructor parameters (default: the block's test parameters).

    Returns
    -------
    pathlib.Path
        The ``<top>.v`` file (``<top>.il`` beside it).
    """
    from tapeout.rtl.export import export
    block = get_block(block)
    params = dict(block.params if params is None else params)
    key = json.dumps({"block": block.name, "params": params, "rtl": rtl_fingerprint()},
                     sort_keys=True)
    out_dir = Path(cache_dir) / f"{block.name}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"
    verilog, record = out_dir / f"{block.top}.v", out_dir / "export.json"
    try:
        intact = json.loads(record.read_text())["sha256"] == hashlib.sha256(verilog.read_bytes()).hexdigest()
    except (OSError, ValueError, KeyError, TypeError):
        intact = False
    if not intact:
        export(block.build_component(params), block.top, out_dir)
        record.write_text(json.dumps({"sha256": hashlib.sha256(verilog.read_bytes()).hexdigest()}) + "\n")
    return verilog
