"""The views an outside tool needs beside the netlist, SDC, SPEF and DEF: cell and macro libraries, and
an OpenSTA script that times the design from the files of the signoff folder alone."""

from __future__ import annotations

from pathlib import Path

from tapeout.tech.generate import LEF_PATH, LIBERTY_PATH
from tapeout.tech.lef_writer import macros_text
from tapeout.tech.liberty_writer import macro_library_text

MACROS_LIB = "macros.lib"
MACROS_LEF = "macros.lef"


def write_library_views(folder: Path, netlist) -> list[str]:
    """Copy the cell library's Liberty and LEF into `folder` and write the macros' views
    (`macros.lib`, `macros.lef`, one library holding every macro the netlist uses); returns the
    Liberty files in reading order."""
    folder = Path(folder)
    (folder / LIBERTY_PATH.name).write_bytes(LIBERTY_PATH.read_bytes())
    (folder / LEF_PATH.name).write_bytes(LEF_PATH.read_bytes())
    macros = [netlist.macros[name] for name in sorted(netlist.macros)]
    (folder / MACROS_LIB).write_text(macro_library_text("macros", macros))
    (folder / MACROS_LEF).write_text(macros_text(macros))
    return [LIBERTY_PATH.name] + ([MACROS_LIB] if macros else [])


def opensta_script(top: str, liberty_files: list[str], setup_ws_ns: float, hold_ws_ns: float) -> str:
    """Tcl for OpenSTA (`sta -exit opensta.tcl`): read the folder's views, report the worst paths and
    the worst slacks beside the flow's."""
    lines = [
        f"# OpenSTA: timing of {top} from the files in this folder alone.",
        "# Run:  sta -exit opensta.tcl      (or `source opensta.tcl` at an sta prompt)",
        "# The flow found: setup worst slack "
        f"{setup_ws_ns:.4f} ns, hold worst slack {hold_ws_ns:.4f} ns.",
        "set here [file dirname [file normalize [info script]]]",
        *(f"read_liberty $here/{name}" for name in liberty_files),
        f"read_verilog $here/{top}.v",
        f"link_design {top}",
        f"read_sdc $here/{top}.sdc",
        f"read_spef $here/{top}.spef",
        "report_checks -path_delay max -fields {slew cap input_pins} -digits 4",
        "report_checks -path_delay min -fields {slew cap input_pins} -digits 4",
        "report_check_types -max_transition -all_violators",
        'puts "setup worst slack [format %.4f [sta::worst_slack -max]] ns (flow: '
        f'{setup_ws_ns:.4f} ns)"',
        'puts "hold worst slack  [format %.4f [sta::worst_slack -min]] ns (flow: '
        f'{hold_ws_ns:.4f} ns)"',
    ]
    return "\n".join(lines) + "\n"
