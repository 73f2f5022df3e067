"""Design configuration: one TOML file per design, parsed once into typed, validated sections.

Every section is a frozen dataclass; stages receive these objects, never raw dicts.
Errors are collected and raised together as one `ConfigError`, one line each.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tapeout.errors import ConfigError
from tapeout.package.spec import PackageSpec
from tapeout.flow.schema import (
    Bool,
    Choice,
    Float,
    Int,
    Name,
    ShapeList,
    Text,
    TextList,
    closest,
    parse_checked,
    parse_section,
    setting,
)


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
    """[technology]: the cell library and floorplan targets."""

    library: str = setting(Choice(("tap130",)), "tap130", doc="standard-cell library")
    target_utilization: float = setting(Float(0.0, 1.5, lo_open=True), 0.6, doc="cell area / core area")
    aspect_ratio: float = setting(Float(0.1, 10.0), 1.0, doc="core height / width")


SIDES = ("left", "bottom", "right", "top")


@dataclass(frozen=True)
class SideList(TextList):
    def describe(self):
        return "a list of sides from 'left', 'bottom', 'right', 'top'"

    def check(self, value):
        sides = super().check(value)
        if any(s not in SIDES for s in sides) or len(set(sides)) != len(sides):
            self.fail(value)
        return sides


@dataclass(frozen=True)
class FloorplanSection:
    """[floorplan]: core margins, macro halos and which die sides carry the I/O pins."""

    core_margin_um: float = setting(Float(0.0, 1000.0, "um"), 10.0, doc="die edge to core")
    macro_halo_um: float = setting(Float(0.0, 100.0, "um"), 10.0, doc="keep-out around SRAM macros")
    input_sides: tuple[str, ...] = setting(SideList(), ("right",), doc="sides for input pins")
    output_sides: tuple[str, ...] = setting(SideList(), ("right",), doc="sides for output pins")


@dataclass(frozen=True)
class PlaceSection:
    """[place]: the simulated-annealing placer."""

    seed: int = setting(Int(0, 2**31 - 1), 1, doc="same seed, same placement")
    effort: float = setting(Float(0.0, 100.0, lo_open=True), 1.0, doc="scales moves per temperature")
    method: str = setting(Choice(("auto", "anneal", "analytic")), "auto",
                          doc="annealing from random, or an analytic start then low-temperature annealing")
    max_fanout_cost: int = setting(Int(2, 100000), 64, doc="nets with more pins are left out of the cost")


@dataclass(frozen=True)
class RouteSection:
    """[route]: the global router."""

    gcell_rows: int = setting(Int(1, 100), 15, doc="GCell size in standard-cell rows (15 x 2.72 = 40.8 um)")
    max_iterations: int = setting(Int(0, 1000), 50, doc="negotiated-congestion iterations")


@dataclass(frozen=True)
class SignoffSection:
    """[signoff]: timing constraints, switching activity and DRC limits."""

    sdc: str = setting(Text("a path to an SDC file"), "", doc="own constraints, relative to the TOML file; "
                       "default: generated from the clock period")
    io_delay_fraction: float = setting(Float(0.0, 0.9), 0.2, doc="input/output delay as a share of the period")
    activity: float = setting(Float(0.0, 2.0), 0.1, doc="default toggles per cycle of data nets")
    vcd: str = setting(Text("a path to a VCD file"), "", doc="switching activity from simulation")
    max_fanout: int = setting(Int(1, 100000), 64, doc="largest number of sinks per data net")
    fail_on_electrical: bool = setting(Bool(), False, doc="fail on max transition/capacitance/fanout "
                                       "violations (else they are reported as warnings, as OpenLane's "
                                       "QUIT_ON_SLEW_VIOLATIONS = false)")


@dataclass(frozen=True)
class SynthSection:
    """[synth]: logic synthesis options."""

    macros: bool = setting(Bool(), True, doc="map large memories to SRAM macros (else to flip-flops)")
    macro_min_bits: int = setting(Int(0, 1 << 24, "bits"), 1024, doc="smallest memory mapped to a macro")


DEFAULT_GEMMS = ((64, 64, 64), (128, 256, 64), (4, 512, 4), (100, 30, 70), (1, 4096, 4096))


@dataclass(frozen=True)
class ArchSection:
    """[arch]: the workload the analytical model evaluates."""

    gemms: tuple[tuple[int, int, int], ...] = setting(ShapeList(), DEFAULT_GEMMS, doc="[M, K, N] shapes")
    offchip_bandwidth_gbps: float = setting(
        Float(0.0, 1e6, "GB/s", lo_open=True), 0.0,
        doc="memory bandwidth feeding the tile; 0 = one crossbar port at the clock",
    )


SECTIONS = {
    "design": DesignSection,
    "tensor_core": TensorCoreSection,
    "tile_buffer": TileBufferSection,
    "crossbar": CrossbarSection,
    "technology": TechnologySection,
    "synth": SynthSection,
    "floorplan": FloorplanSection,
    "place": PlaceSection,
    "route": RouteSection,
    "signoff": SignoffSection,
    "arch": ArchSection,
}
# Sections whose class validates itself in __post_init__ (ValueError/TypeError with the message).
CHECKED_SECTIONS = {"package": PackageSpec}
REQUIRED_SECTIONS = ("design",)


@dataclass(frozen=True)
class DesignConfig:
    """A parsed design file. `path` is the TOML file; `source_dir` resolves relative HDL paths."""

    path: Path
    design: DesignSection
    tensor_core: TensorCoreSection | None
    tile_buffer: TileBufferSection
    crossbar: CrossbarSection
    technology: TechnologySection
    synth: SynthSection
    floorplan: FloorplanSection
    place: PlaceSection
    route: RouteSection
    signoff: SignoffSection
    package: PackageSpec | None
    arch: ArchSection

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
        obj = getattr(self, section)
        if obj is None:
            return None
        data = dataclasses.asdict(obj)
        return data[item] if item else data


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_toml(path: Path) -> dict:
    """Read a TOML file; syntax errors become one line naming the file and line."""
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
    """Parse and validate a design file; raise ConfigError listing every problem, one per line."""
    path = Path(path)
    data = read_toml(path)
    errors: list[str] = []
    for name in data:
        if name not in SECTIONS and name not in CHECKED_SECTIONS:
            hint = closest(name, [*SECTIONS, *CHECKED_SECTIONS])
            errors.append(f"{path}: unknown section [{name}]" + (f"; did you mean [{hint}]?" if hint else ""))
    for name in REQUIRED_SECTIONS:
        if name not in data:
            errors.append(f"{path}: missing required section [{name}]")
    parsed = {}
    for name, cls in SECTIONS.items():
        if name in data:
            parsed[name] = parse_section(cls, data[name], f"{path}: [{name}]", errors)
        elif name not in REQUIRED_SECTIONS and name != "tensor_core":
            parsed[name] = cls()
    if "package" in data:
        parsed["package"] = parse_checked(PackageSpec, data["package"], f"{path}: [package]", errors)
    _check_tile_fits(path, parsed, errors)
    signoff = parsed.get("signoff")
    for key in ("sdc", "vcd"):
        value = getattr(signoff, key) if signoff else ""
        if value and not (path.parent / value).is_file():
            errors.append(f"{path}: [signoff] {key} file {value!r} not found (paths are relative to {path.parent}/)")
    fp = parsed.get("floorplan")
    if fp is not None and fp.input_sides != fp.output_sides and set(fp.input_sides) & set(fp.output_sides):
        errors.append(f"{path}: [floorplan] input_sides and output_sides must be the same list or share no side")
    design = parsed.get("design")
    if design is not None:
        _check_sources(path, design, "tensor_core" in data, errors)
    if errors:
        raise ConfigError(errors)
    return DesignConfig(path=path, tensor_core=parsed.get("tensor_core"), package=parsed.get("package"),
                        **{k: v for k, v in parsed.items() if k not in ("tensor_core", "package")})


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


def find_design(name_or_path: str | None, designs_dir: Path = Path("designs")) -> Path:
    """Resolve `-d` (a design name under designs/ or a path to a TOML file) to a path."""
    if name_or_path is None:
        return designs_dir / "tc4x4.toml"
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.exists():
        if not candidate.is_file():
            raise ConfigError(f"{candidate}: design file not found")
        return candidate
    named = designs_dir / f"{name_or_path}.toml"
    if named.is_file():
        return named
    known = sorted(p.stem for p in designs_dir.glob("*.toml"))
    hint = closest(name_or_path, known)
    raise ConfigError(f"no design {name_or_path!r} in {designs_dir}/"
                      + (f"; did you mean {hint!r}?" if hint else f" (known: {', '.join(known) or 'none'})"))
