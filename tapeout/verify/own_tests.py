"""The cocotb tests of a design of your own (``[verify] tests``) and the HDL parameters of its top
(``[verify] parameters``): where the test modules are, a check that the top has every parameter,
and the design's folder on the import path while they run (cocotb's runner passes ``sys.path`` on
to the simulator as ``PYTHONPATH``)."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from tapeout.errors import TapeoutError


class OwnTestError(TapeoutError):
    """A ``[verify]`` setting that names a test module or an HDL parameter that does not exist."""


def own_test_file(config, module: str) -> Path:
    """The file of test module ``module`` (dotted, relative to the design file's folder)."""
    return config.path.parent / f"{module.replace('.', '/')}.py"


def own_test_files(config) -> list[Path]:
    """The files of every ``[verify] tests`` module; OwnTestError naming the first that is missing."""
    files = []
    for module in config.verify.tests:
        path = own_test_file(config, module)
        if not path.is_file():
            raise OwnTestError(f"{config.path}: [verify] tests names {module!r}, but there is no {path} "
                               f"(a test module is a Python file relative to the design file's folder: "
                               f"'src.counter_test' is src/counter_test.py)")
        files.append(path)
    return files


def top_parameters(sources, top: str) -> list[str]:
    """Names of the parameters module ``top`` declares in the Verilog files ``sources``."""
    from pyosys import libyosys as ys

    from tapeout.rtl.export import run_yosys
    from tapeout.yosys_text import quoted

    design = ys.Design()
    run_yosys(design, [f"read_verilog -sv {quoted(Path(s).resolve())}" for s in sources])
    for name, module in design.modules_.items():
        if name.str().lstrip("\\") == top:
            return sorted(p.str().lstrip("\\") for p in module.avail_parameters)
    raise OwnTestError(f"top module {top!r} is not in {', '.join(str(s) for s in sources)}")


def check_parameters(config, sources) -> dict:
    """``[verify] parameters`` as a dict for the simulator (strings in Verilog quotes), each checked
    against the parameters the top declares in ``sources``."""
    parameters = dict(config.verify.parameters)
    if not parameters:
        return parameters
    if not config.design.verilog:
        raise OwnTestError(f"{config.path}: [verify] parameters are set on a Verilog top ([design] verilog); "
                           f"an Amaranth component takes its parameters in Python")
    declared = top_parameters(sources, config.design.top)
    for name in parameters:
        if name not in declared:
            has = f"it has {', '.join(declared)}" if declared else "it has none"
            raise OwnTestError(f"{config.path}: [verify] parameters sets {name!r}, but top module "
                               f"{config.design.top!r} has no such parameter ({has})")
    return {name: f'"{value}"' if isinstance(value, str) else value for name, value in parameters.items()}


@contextlib.contextmanager
def design_folder_on_path(config):
    """The design file's folder first on ``sys.path`` (its test modules importable) for the block."""
    folder = str(config.path.parent.resolve())
    sys.path.insert(0, folder)
    try:
        yield
    finally:
        sys.path.remove(folder)
