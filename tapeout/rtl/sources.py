"""Where a design's RTL comes from: the built-in tile generators, the user's Amaranth component,
or the user's Verilog files. Each ends as `<top>.il` and `<top>.v` in the rtl stage's directory."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from tapeout.errors import TapeoutError
from tapeout.flow.config import DesignConfig
from tapeout.rtl.tile_config import tile_parameters


class SourceError(TapeoutError):
    """The design's own HDL or component cannot be loaded or built."""


def generated_tile(config: DesignConfig):
    """The TensorTile component the config describes; bad parameters become one-line errors."""
    from tapeout.rtl.tensor_tile import build_tile

    try:
        return build_tile(**tile_parameters(config))
    except (ValueError, TypeError) as exc:
        raise SourceError(f"{config.path}: cannot build the tensor tile: {exc}") from None


def user_amaranth_component(config: DesignConfig):
    """Import `package.module:Component` (the design file's folder is on the import path) and build it."""
    module_name, _, class_name = config.design.amaranth.partition(":")
    folder = str(config.path.parent.resolve())
    sys.path.insert(0, folder)
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # noqa: BLE001 - the user's module may fail in any way
        raise SourceError(f"{config.path}: cannot import {module_name!r}: {type(exc).__name__}: {exc}") from None
    finally:
        sys.path.remove(folder)
    component_class = getattr(module, class_name, None)
    if component_class is None:
        raise SourceError(f"{config.path}: module {module_name!r} has no {class_name!r}")
    try:
        return component_class()
    except Exception as exc:  # noqa: BLE001
        raise SourceError(f"{config.path}: {class_name}() failed: {type(exc).__name__}: {exc}") from None


def export_user_verilog(config: DesignConfig, out_dir: Path) -> dict:
    """Read the user's Verilog with Yosys (in a child process), check the top, write `.il` and `.v`."""
    from tapeout.synth.yosys_process import run_yosys_steps
    from tapeout.yosys_text import quoted

    top = config.design.top
    il_path, v_path = out_dir / f"{top}.il", out_dir / f"{top}.v"
    reads = [f"read_verilog -sv {quoted(Path(p).resolve())}" for p in config.verilog_paths]
    steps = [*reads, f"hierarchy -check -top {top}", "proc", f"write_rtlil {quoted(il_path.resolve())}",
             f"write_verilog -noattr {quoted(v_path.resolve())}"]
    run_yosys_steps(steps, out_dir / "read_verilog.json", out_dir / "yosys.log")
    (out_dir / "read_verilog.json").unlink()
    return {"rtlil": il_path, "verilog": v_path}
