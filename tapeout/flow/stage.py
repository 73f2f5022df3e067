"""What a flow stage declares, in one place, and what it gets when it runs.

A stage module holds everything about its stage: the config sections it owns (validated
dataclasses), the command-line options it reads, the artefacts it reads from earlier stages and the
ones it writes (typed: file name + format), the gates its metrics must pass and the pictures the
report shows. The engine, the CLI, the report, the README's stage table and the Makefile's targets
are all generated from these declarations.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from tapeout.flow.config import DesignConfig

IMAGE_FORMATS = ("png", "svg")


@dataclass(frozen=True)
class Artifact:
    """A file a stage writes into build/<design>/<stage>/ and later stages may read.

    stage    -- the stage that writes it
    pattern  -- file name in the stage directory; '{top}' stands for the design's top module
    format   -- what it is: 'verilog', 'rtlil', 'yosys-json', 'def', 'lef', 'liberty', 'sdc', 'spef',
                'guide', 'junit-xml', 'json', 'npz', 'text', 'markdown', 'png', 'svg', ...
    doc      -- one line for the README and the report
    optional -- the stage may leave it out (e.g. a report that only exists when there is something to say)
    """

    stage: str
    pattern: str
    format: str
    doc: str = ""
    optional: bool = False

    def file_name(self, top: str) -> str:
        return self.pattern.format(top=top)


@dataclass(frozen=True)
class Option:
    """A command-line option of `tapeout run` that a stage reads (`ctx.options[key]`).

    flag    -- '--seed'
    help    -- one line for `tapeout run --help`
    type    -- int, float, str, or a tuple of choices; None for an on/off flag
    hashed  -- part of the stage's input hash (a different value reruns the stage)
    """

    flag: str
    help: str
    type: Any = None
    hashed: bool = True

    @property
    def key(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")


NO_PICTURES = Option("--no-pictures", "skip drawing the pictures of the stages that can (arch, package, serve); a "
                     "stage run so is rerun by a run that draws them")
"""Declared by a stage whose pictures are optional: with it the stage writes no image artefact. Hashed like any
option, so a result without pictures is never taken as up to date by a run that wants them (`tapeout run`
without the flag reruns the stage and draws)."""


@dataclass(frozen=True)
class Gate:
    """A pass/fail check of one metric, shown in the report: metric, test, what passing means."""

    metric: str
    test: Callable[[Any], bool]
    text: str

    def passes(self, value) -> bool:
        return bool(self.test(value))


@dataclass(frozen=True)
class Picture:
    """An image artefact the report shows, with its caption."""

    artifact: Artifact
    caption: str


class Stage(ABC):
    """One step of the flow. Subclasses set the class attributes and implement `run`.

    name        -- stage id, also the build sub-directory
    title       -- a few words for progress lines
    summary     -- one sentence: what the stage does (README stage table, `tapeout stages`)
    sections    -- config sections the stage owns: {'synth': SynthSection}; read, validated, hashed
    reads       -- other config sections ('tensor_core') or keys ('design.clock_period_ns') it reads
    inputs      -- artefacts of earlier stages it reads; the stages it depends on follow from them
                   (`input_artifacts(config)` may leave some out for a design)
    after       -- stages that must have run first although no file of theirs is read (rare)
    outputs     -- artefacts it writes
    options     -- command-line options it reads
    gates       -- checks of its metrics shown in the report
    pictures    -- images the report shows
    key_metrics -- metrics shown by `tapeout status` and the report
    default     -- part of a plain `tapeout run` (False: only when named, e.g. FPGA builds)
    """

    name: str = ""
    title: str = ""
    summary: str = ""
    sections: dict[str, type] = {}
    reads: tuple[str, ...] = ()
    inputs: tuple[Artifact, ...] = ()
    after: tuple[str, ...] = ()
    outputs: tuple[Artifact, ...] = ()
    options: tuple[Option, ...] = ()
    gates: tuple[Gate, ...] = ()
    pictures: tuple[Picture, ...] = ()
    key_metrics: tuple[str, ...] = ()
    default: bool = True

    @property
    def needs(self) -> tuple[str, ...]:
        """Stages whose results this one may need (of any design), in declaration order."""
        return self._stages_of(self.inputs)

    def needs_for(self, config: DesignConfig) -> tuple[str, ...]:
        """Stages whose results this one needs for this design (see `input_artifacts`)."""
        return self._stages_of(self.input_artifacts(config))

    def _stages_of(self, artifacts) -> tuple[str, ...]:
        names = [a.stage for a in artifacts] + list(self.after)
        return tuple(dict.fromkeys(n for n in names if n != self.name))

    def config_keys(self) -> tuple[str, ...]:
        """Every config section or key that goes into the input hash."""
        return (*self.sections, *self.reads)

    def applies(self, config: DesignConfig) -> bool:
        """False when the stage has nothing to do for this design (then it is skipped)."""
        return True

    def in_default_run(self, config: DesignConfig) -> bool:
        """Whether a plain `tapeout run` of this design runs the stage (`default` unless the stage decides)."""
        return self.default

    def skip_reason(self, config: DesignConfig) -> str:
        """Why the stage is skipped for this design (when `applies` is False), for the run's table."""
        return "nothing to do for this design"

    def tool_versions(self) -> dict[str, str]:
        """Versions of external tools the stage uses; part of the input hash."""
        return {}

    def input_files(self, config: DesignConfig) -> tuple[Path, ...]:
        """Files outside the build directory the stage reads (user HDL, SDC); hashed by content."""
        return ()

    def input_artifacts(self, config: DesignConfig) -> tuple[Artifact, ...]:
        """The artefacts this run reads: `inputs`, or some of them for a design that states their
        content itself (the package stage takes the tile's figures from a design that gives them)."""
        return self.inputs

    def output_artifacts(self, config: DesignConfig) -> tuple[Artifact, ...]:
        """The artefacts this run writes (a stage may vary them with the design)."""
        return self.outputs

    def required_outputs(self, config: DesignConfig, options: dict | None) -> tuple[Artifact, ...]:
        """The artefacts a run with these options must write: not optional, and no image when the stage
        declares NO_PICTURES and the run asked for it."""
        skip_images = NO_PICTURES in self.options and bool((options or {}).get(NO_PICTURES.key))
        return tuple(a for a in self.output_artifacts(config)
                     if not a.optional and not (skip_images and a.format in IMAGE_FORMATS))

    @abstractmethod
    def run(self, ctx: StageContext) -> dict:
        """Do the work inside ctx.out_dir; return the metrics dict."""


@dataclass
class StageContext:
    """What a running stage sees: the config, its (temporary) output dir, its inputs, log and progress.

    `input_dirs` hold only the declared input artefacts of each upstream stage (links to them), so a
    stage cannot read a file its declaration does not name.
    """

    config: DesignConfig
    out_dir: Path
    input_dirs: dict[str, Path]
    log_file: Path
    progress: Callable[[float | None, str], None] = lambda fraction, message: None
    echo: Callable[[str], None] | None = None
    options: dict = field(default_factory=dict)
    failed_dir: Path | None = None  # where the outputs go if the stage fails, for messages

    @property
    def top(self) -> str:
        return self.config.design.top

    @property
    def draw_pictures(self) -> bool:
        """False when the run asked for no pictures (`--no-pictures`; only stages declaring NO_PICTURES see it)."""
        return not self.options.get(NO_PICTURES.key)

    def path(self, artifact: Artifact) -> Path:
        """Where to read an input artefact, or where to write an output artefact of this stage."""
        name = artifact.file_name(self.top)
        if artifact.stage in self.input_dirs:
            return self.input_dirs[artifact.stage] / name
        return self.out_dir / name

    def log(self, message: str) -> None:
        with self.log_file.open("a", encoding="utf-8") as fh:
            fh.write(message.rstrip("\n") + "\n")
        if self.echo:
            self.echo(message)
