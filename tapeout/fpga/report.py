"""Reading what nextpnr and Yosys say about a build: utilisation, Fmax, and why a design did not fit.

nextpnr (0.6 and later) writes ``--report report.json``: ``utilization`` maps each cell type
to ``{"used", "available"}`` and ``fmax`` maps each clock to ``{"achieved", "constraint"}``
in MHz. Its log (``top.tim``) carries the same "Device utilisation" table even when placement
fails, which is where an overflowing resource is read from.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

_UTILISATION_LINE = re.compile(r"^Info:\s+(\w+):\s+(\d+)/\s*(\d+)\s+\d+%\s*$")
_NO_BELS = re.compile(r"no BELs remaining to implement cell type '(\w+)'")
_ERROR_LINE = re.compile(r"^ERROR: (.*)$")


@dataclass(frozen=True)
class Usage:
    """How many of one resource the design uses, out of how many the device has."""

    used: int
    available: int

    @property
    def overflows(self) -> bool:
        """True if the design needs more than the device has."""
        return self.used > self.available


@dataclass(frozen=True)
class PlaceRouteReport:
    """nextpnr's verdict on a routed design.

    utilisation : resource name (nextpnr cell type) -> `Usage`
    fmax_mhz : achieved Fmax of the slowest clock (MHz)
    constraint_mhz : the frequency that clock was constrained to (MHz)
    """

    utilisation: dict[str, Usage]
    fmax_mhz: float
    constraint_mhz: float


def read_report(path: Path) -> PlaceRouteReport:
    """Parse nextpnr's ``--report`` JSON file.

    Raises
    ------
    ValueError
        The file has no clock in ``fmax`` (a design without a clocked path).
    """
    data = json.loads(Path(path).read_text())
    utilisation = {name: Usage(int(entry["used"]), int(entry["available"]))
                   for name, entry in data["utilization"].items()}
    clocks = data.get("fmax", {})
    if not clocks:
        raise ValueError(f"{path}: nextpnr reports no clock, so no Fmax")
    slowest = min(clocks.values(), key=lambda clock: clock["achieved"])
    return PlaceRouteReport(utilisation=utilisation, fmax_mhz=float(slowest["achieved"]),
                            constraint_mhz=float(slowest["constraint"]))


def read_log_utilisation(log_text: str) -> dict[str, Usage]:
    """The "Device utilisation" table of a nextpnr log (the last one if it appears twice)."""
    table: dict[str, Usage] = {}
    for line in log_text.splitlines():
        if line.startswith("Info: Device utilisation:"):
            table = {}
            continue
        match = _UTILISATION_LINE.match(line)
        if match:
            table[match[1]] = Usage(int(match[2]), int(match[3]))
    return table


def overflowing_resources(log_text: str) -> list[tuple[str, Usage | None]]:
    """Resources the design needs more of than the device has, read from a nextpnr log.

    Returns ``(name, usage)`` pairs; ``usage`` is ``None`` for a resource that only shows
    up in a "no BELs remaining" placement error (nextpnr ran out of sites while the
    utilisation table still looked feasible, e.g. for lack of legal locations).
    """
    table = read_log_utilisation(log_text)
    overflows: list[tuple[str, Usage | None]] = [
        (name, usage) for name, usage in table.items() if usage.overflows]
    if not overflows:
        match = _NO_BELS.search(log_text)
        if match:
            overflows.append((match[1], table.get(match[1])))
    return overflows


def first_error(log_text: str) -> str | None:
    """The first ``ERROR:`` line of a tool log, without the prefix (None if there is none)."""
    for line in log_text.splitlines():
        match = _ERROR_LINE.match(line.strip())
        if match:
            return match[1].strip()
    return None


def count_flip_flops(netlist_json: Path, top: str, cell_prefix: str) -> int:
    """Flip-flop cells (type starting with ``cell_prefix``) in module ``top`` of a flattened,
    synthesised Yosys JSON netlist (``synth_ice40``/``synth_ecp5`` flatten by default)."""
    data = json.loads(Path(netlist_json).read_text())
    cells = data["modules"][top].get("cells", {}).values()
    return sum(1 for cell in cells if cell["type"].startswith(cell_prefix))
