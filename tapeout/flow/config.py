"""Design configuration: one TOML file per design, parsed once into typed, validated sections.

Every section is a frozen dataclass; stages receive these objects, never raw dicts.
Errors are collected and raised together as one `ConfigError`, one line each.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import MISSING, dataclass
from pathlib import Path

from tapeout.errors import ConfigError
from tapeout.flow.schema import (
    Choice,
    Float,
    Int,
    Name,
    Text,
    TextList,
    closest,
    parse_checked,
    parse_section,
    setting,
)
from tapeout.resources import package_path


@dataclass(frozen=True)
class DesignSection:
    """[design]: what is built. Either the built-in generators or the user's own HDL."""

    name: str = setting(Name(), doc="design name; the build goes to build/<name>/")
    clock_period_ns: float = setting(Float(0.1, 1000.0, "ns"), doc="target clock period")
    top: str = setting(Name(), "tensor_tile", doc="top module name")
    verilog: tuple[str, ...] = setting(TextList(), (), doc="own Verilog files, relative to the TOML file")
    amaranth: str = setting(
        Text("an import path 'package.module:Component'"), "", doc="own Amaranth component"
    )
    description: str = setting(Text(), "", doc="free text")


@dataclass(frozen=True)
class TensorCoreSection:
    """[tensor_core]: the systolic array."""

    rows: int = setting(Int(1, 64), doc="PE rows")
    cols: int = setting(Int(1, 64), doc="PE columns")
    in_width: int = setting(Int(2, 16, "bits"), 8, doc="signed operand width")
    acc_width: int = setting(Int(8, 64, "bits"), 32, doc="accumulator width; wraps on overflow")
    dataflow: str = setting(Choice(("os", "ws")), "os", doc="output- or weight-stationary")


@dataclass(frozen=True)
class TileBufferSection:
    """[tile_buffer]: the SRAM tile buffer (ping-pong banks)."""

    banks: int = setting(Int(1, 16), 2, doc="banks; 2 = ping-pong")
    depth: int = setting(Int(16, 65536, "words"), 256, doc="words per bank")
    width: int = setting(Int(8, 1024, "bits"), 64, doc="bits per word; holds one A column and one B row")


@dataclass(frozen=True)
class CrossbarSection:
    """[crossbar]: the NVLink/NVSwitch-like all-to-all switch."""

    ports: int = setting(Int(2, 32), 4, doc="ports")
    width: int = setting(Int(8, 1024, "bits"), 32, doc="data width per port")
    arbitration: str = setting(Choice(("round_robin",)), "round_robin", doc="output arbiter")


@dataclass(frozen=True)
class TechnologySection:
    """[technology]: the process and cell library, and the floorplan targets."""

    library: str = setting(Choice(("tap130", "sky130_fd_sc_hd")), "tap130",
                           doc="standard-cell library: the built-in tap130, or SKY130 HD from a PDK root")
    pdk_root: str = setting(Text("a path to a PDK root"), "",
                            doc="PDK root (open_pdks layout), relative to the TOML file; default $PDK_ROOT")
    target_utilization: float = setting(Float(0.0, 1.5, lo_open=True), 0.6, doc="cell area / core area")
    aspect_ratio: float = setting(Float(0.1, 10.0), 1.0, doc="core height / width")

    def check(self, design_path) -> list[str]:
        from tapeout.tech.technology import technology_named

        try:
            technology_named(self.library, self.pdk_root, Path(design_path).parent)
        except ConfigError as exc:
            return [str(exc)]
        return []


PHYSICAL_LIBRARIES = ("tap130", "sky130_fd_sc_hd")
"""Libraries the physical stages (place to signoff) support; the others stop after synthesis for now."""


def physical_flow(config) -> bool:
    """True when the physical stages support the design's technology library."""
    return config.technology.library in PHYSICAL_LIBRARIES


DESIGN_SECTIONS = {
    "design": DesignSection,
    "tensor_core": TensorCoreSection,
    "tile_buffer": TileBufferSection,
    "crossbar": CrossbarSection,
    "technology": TechnologySection,
}
"""Sections that describe the design itself; every other section belongs to the stage that reads it."""
REQUIRED_SECTIONS = ("design",)


def all_sections() -> dict[str, type]:
    """Every config section: the design's own, then each stage's (declared in the stage's module)."""
    from tapeout.flow.stages import flow_stages

    sections = dict(DESIGN_SECTIONS)
    for stage in flow_stages():
        for name, cls in stage.sections.items():
            if sections.get(name, cls) is not cls:
                raise ValueError(f"config section [{name}] is declared twice")
            sections[name] = cls
    return sections


def defaults_of(cls):
    """The section built from its defaults alone, or None when it cannot be (required keys, or a
    section that needs some of its keys given, such as [package])."""
    if any(f.default is MISSING and f.default_factory is MISSING for f in dataclasses.fields(cls)):
        return None
    try:
        return cls()
    except (ValueError, TypeError):
        return None


@dataclass(frozen=True)
class DesignConfig:
    """A parsed design file: `path` is the TOML file, `sections` the validated section objects.

    Sections are attributes: `config.design.top`, `config.place.seed`. A section with required keys
    that the file leaves out is None (`config.tensor_core` for a design of the user's own HDL);
    every other absent section holds its defaults. `written` names the sections the file has.
    """

    path: Path
    sections: dict
    written: frozenset = frozenset()

    def __getattr__(self, name):
        sections = self.__dict__.get("sections", {})
        if name in sections:
            return sections[name]
        raise AttributeError(f"design config has no section {name!r}")

    @property
    def name(self) -> str:
        return self.design.name

    @property
    def uses_generators(self) -> bool:
        """True when the RTL comes from tapeout's own generators, not the user's HDL."""
        return not self.design.verilog and not self.design.amaranth

    @property
    def verilog_paths(self) -> tuple[Path, ...]:
        return tuple(self.path.parent / v for v in self.design.verilog)

    def section_data(self, key: str):
        """Plain data of a section ('tensor_core') or one key ('design.clock_period_ns') for hashing."""
        section, _, item = key.partition(".")
        obj = self.sections.get(section)
        if obj is None:
            return None
        data = dataclasses.asdict(obj)
        return data[item] if item else data


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_toml(path: Path) -> dict:
    """Read a TOML file; syntax errors become one line naming the file and line."""
    if path.is_dir():
        raise ConfigError(f"{path}: is a directory, not a design file (give the .toml file inside it)")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: design file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read design file ({exc})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = _TOML_POSITION.search(message)
        reason = _TOML_POSITION.sub("", message).strip()
        line = f":{where.group(1)}" if where else ""
        raise ConfigError(f"{path}{line}: TOML syntax error: {reason}") from None


def load_design(path: str | Path) -> DesignConfig:
    """Parse and validate a design file; raise ConfigError listing every problem, one per line.

    A section class whose fields carry specs (`setting(...)`) is checked key by key; any other
    dataclass validates itself (ValueError/TypeError in `__post_init__`). A section may also define
    `check(design_path) -> list[str]` for rules that involve several keys or files beside the design.
    """
    path = Path(path)
    data = read_toml(path)
    sections = all_sections()
    errors: list[str] = []
    for name in data:
        if name not in sections:
            hint = closest(name, sections)
            errors.append(f"{path}: unknown section [{name}]" + (f"; did you mean [{hint}]?" if hint else ""))
    for name in REQUIRED_SECTIONS:
        if name not in data:
            errors.append(f"{path}: missing required section [{name}]")
    parsed = {}
    for name, cls in sections.items():
        where = f"{path}: [{name}]"
        if name in data:
            checked = all("spec" in f.metadata for f in dataclasses.fields(cls))
            parsed[name] = (parse_section if checked else parse_checked)(cls, data[name], where, errors)
            if parsed[name] is not None and hasattr(parsed[name], "check"):
                errors.extend(f"{where} {line}" for line in parsed[name].check(path))
        else:
            parsed[name] = defaults_of(cls)
    _check_tile_fits(path, parsed, errors)
    design = parsed.get("design")
    if design is not None:
        _check_sources(path, design, "tensor_core" in data, errors)
    if errors:
        raise ConfigError(errors)
    return DesignConfig(path=path, sections=parsed, written=frozenset(data))


def _check_tile_fits(path: Path, parsed: dict, errors: list[str]) -> None:
    """A tile-buffer word holds one array beat: a column of A and a row of B."""
    core, buf = parsed.get("tensor_core"), parsed.get("tile_buffer")
    if core is None or buf is None:
        return
    need = (core.rows + core.cols) * core.in_width
    if buf.width < need:
        errors.append(f"{path}: [tile_buffer] width must be at least (rows + cols) * in_width = {need} bits "
                      f"to hold one array beat, not {buf.width}")


def _check_sources(path: Path, design: DesignSection, has_core: bool, errors: list[str]) -> None:
    where = f"{path}: [design]"
    if design.verilog and design.amaranth:
        errors.append(f"{where} give either 'verilog' or 'amaranth', not both")
    for name in design.verilog:
        if not (path.parent / name).is_file():
            errors.append(f"{where} verilog file {name!r} not found (paths are relative to {path.parent}/)")
    if design.amaranth and not re.fullmatch(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*", design.amaranth):
        errors.append(f"{where} amaranth must be an import path 'package.module:Component', "
                      f"not {design.amaranth!r}")
    if not design.verilog and not design.amaranth and not has_core:
        errors.append(f"{path}: missing required section [tensor_core] "
                      "(or name your own HDL with [design] verilog = [...] or amaranth = '...')")


BUILTIN_DESIGNS = package_path("tapeout", "designs")
"""The designs shipped inside the package: the default tc4x4, the presets, counter (with its Verilog under
src/) and the FPGA board designs under boards/. They are there wherever tapeout runs."""
DEFAULT_DESIGN = "tc4x4"


def design_files(designs_dir: Path = Path("designs")) -> dict[str, tuple[Path, bool]]:
    """Every design by name: ``{name: (path, built_in)}``, sorted by name. A TOML file under `designs_dir`
    (the current project's) wins over a built-in design of the same name."""
    found = {p.stem: (p, True) for p in BUILTIN_DESIGNS.glob("*.toml")}
    found.update({p.stem: (p, False) for p in Path(designs_dir).glob("*.toml")})
    return dict(sorted(found.items()))


def find_design(name_or_path: str | None, designs_dir: Path = Path("designs")) -> Path:
    """Resolve `-d` to a TOML file: a path, or a name (default tc4x4) looked up first under `designs_dir`
    (the project's own designs), then among the built-in designs."""
    name_or_path = name_or_path or DEFAULT_DESIGN
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.exists():
        if candidate.is_dir():
            raise ConfigError(f"{candidate}: is a directory, not a design file (give the .toml file inside it)")
        if not candidate.is_file():
            raise ConfigError(f"{candidate}: design file not found")
        return candidate
    known = design_files(designs_dir)
    if name_or_path in known:
        return known[name_or_path][0]
    hint = closest(name_or_path, known)
    raise ConfigError(f"no design {name_or_path!r} in {designs_dir}/ or built in"
                      + (f"; did you mean {hint!r}?" if hint else f" (known: {', '.join(known)})"))
