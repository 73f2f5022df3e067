"""What a flow stage declares (inputs, outputs, config it reads) and what it gets when it runs."""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tapeout.flow.config import DesignConfig


class Stage(ABC):
    """One step of the flow. Subclasses set the class attributes and implement `run`.

    name     -- stage id, also the build sub-directory
    needs    -- stages whose outputs this one reads
    reads    -- config sections ('tensor_core') or keys ('design.clock_period_ns') it reads
    outputs  -- files it must produce, relative to its directory; '{top}' is the design's top
    code     -- tapeout sub-packages whose source is part of the input hash
    key_metrics -- metrics shown by `tapeout status`
    """

    name: str = ""
    title: str = ""
    needs: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    code: tuple[str, ...] = ()
    key_metrics: tuple[str, ...] = ()
    option_keys: tuple[str, ...] = ()
    default: bool = True  # part of a plain `tapeout run` (False: only when named, e.g. FPGA builds)  # command-line options the stage reads (part of its input hash)

    def applies(self, config: DesignConfig) -> bool:
        """False when the stage has nothing to do for this design (then it is skipped)."""
        return True

    def tool_versions(self) -> dict[str, str]:
        """Versions of external tools the stage uses; part of the input hash."""
        return {}

    def input_files(self, config: DesignConfig) -> tuple[Path, ...]:
        """Files outside the build directory the stage reads (user HDL, SDC); hashed by content."""
        return ()

    def output_files(self, config: DesignConfig) -> tuple[str, ...]:
        return tuple(o.format(top=config.design.top) for o in self.outputs)

    def code_dirs(self) -> list[Path]:
        root = Path(importlib.import_module("tapeout").__file__).parent
        return [root / pkg for pkg in self.code]

    @abstractmethod
    def run(self, ctx: "StageContext") -> dict:
        """Do the work inside ctx.out_dir; return the metrics dict."""


@dataclass
class StageContext:
    """What a running stage sees: the config, its (temporary) output dir, its inputs, log and progress."""

    config: DesignConfig
    out_dir: Path
    input_dirs: dict[str, Path]
    log_file: Path
    progress: Callable[[float | None, str], None] = lambda fraction, message: None
    echo: Callable[[str], None] | None = None
    options: dict = field(default_factory=dict)
    failed_dir: Path | None = None  # where the outputs go if the stage fails, for messages

    def input(self, stage: str, name: str) -> Path:
        """Path of file `name` produced by upstream stage `stage`."""
        return self.input_dirs[stage] / name

    def log(self, message: str) -> None:
        with self.log_file.open("a", encoding="utf-8") as fh:
            fh.write(message.rstrip("\n") + "\n")
        if self.echo:
            self.echo(message)
