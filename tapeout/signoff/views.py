"""The views an outside tool needs beside the netlist, SDC, SPEF and DEF: the cell library's Liberty
(one file per timing corner) and LEFs, the macros' views, and an OpenSTA script that times the design
at every corner from the files of the signoff folder alone."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tapeout.tech.lef_writer import macros_text
from tapeout.tech.liberty_writer import macro_library_text

MACROS_LIB = "macros.lib"
MACROS_LEF = "macros.lef"


@dataclass
class LibraryViews:
    """File names (in the signoff folder) of the library views: Liberty files per corner in reading
    order, LEF files in reading order (technology LEF first)."""

    liberty: dict[str, list[str]]
    lef: list[str]


def library_view_names(technology) -> list[str]:
    """Names of the technology's Liberty and LEF files as copied into the signoff folder."""
    return list(dict.fromkeys(p.name for p in (*technology.corners.values(), *technology.lef_files)))


def write_library_views(folder: Path, netlist, technology) -> LibraryViews:
    """Copy the technology's Liberty (every corner) and LEF files into `folder` and write the macros'
    views (`macros.lib`, `macros.lef`: one library holding every macro the netlist uses)."""
    folder = Path(folder)
    for path in dict.fromkeys((*technology.corners.values(), *technology.lef_files)):
        (folder / path.name).write_bytes(path.read_bytes())
    macros = [netlist.macros[name] for name in sorted(netlist.macros)]
    (folder / MACROS_LIB).write_text(macro_library_text("macros", macros))
    (folder / MACROS_LEF).write_text(macros_text(macros))
    extra = [MACROS_LIB] if macros else []
    liberty = {corner: [path.name, *extra] for corner, path in technology.corners.items()}
    return LibraryViews(liberty, [p.name for p in technology.lef_files] + [MACROS_LEF])


def opensta_script(top: str, liberty: dict[str, list[str]], corners) -> str:
    """Tcl for OpenSTA (`sta -exit opensta.tcl`): read the folder's views for one corner (Tcl variable
    `corner`, default the setup corner; e.g. `echo 'set corner ff; source opensta.tcl' | sta`), report
    the worst paths and the worst slacks beside the flow's at that corner (`corners`: a
    `tapeout.signoff.corners.CornerTiming`)."""
    names = list(corners.reports)
    flow = {c: (r.wns_ns, r.hold_ws_ns) for c, r in corners.reports.items()}
    lines = [
        f"# OpenSTA: timing of {top} from the files in this folder alone, at one corner.",
        "# Run:  sta -exit opensta.tcl      (or `set corner <name>; source opensta.tcl` at an sta prompt)",
        f"# Corners: {', '.join(names)}; the flow signs off setup at {corners.setup_corner}, hold at "
        f"{corners.hold_corner}.",
        "set here [file dirname [file normalize [info script]]]",
        f"if {{![info exists corner]}} {{ set corner {corners.setup_corner} }}",
        "array set liberty {" + " ".join(f"{c} {{{' '.join(liberty[c])}}}" for c in names) + "}",
        "array set flow_setup {" + " ".join(f"{c} {flow[c][0]:.4f}" for c in names) + "}",
        "array set flow_hold {" + " ".join(f"{c} {flow[c][1]:.4f}" for c in names) + "}",
        "foreach name $liberty($corner) { read_liberty $here/$name }",
        f"read_verilog $here/{top}.v",
        f"link_design {top}",
        f"read_sdc $here/{top}.sdc",
        f"read_spef $here/{top}.spef",
        "report_checks -path_delay max -fields {slew cap input_pins} -digits 4",
        "report_checks -path_delay min -fields {slew cap input_pins} -digits 4",
        "report_check_types -max_transition -all_violators",
        'puts "corner $corner: setup worst slack [format %.4f [sta::worst_slack -max]] ns '
        '(flow: $flow_setup($corner) ns)"',
        'puts "corner $corner: hold worst slack  [format %.4f [sta::worst_slack -min]] ns '
        '(flow: $flow_hold($corner) ns)"',
    ]
    return "\n".join(lines) + "\n"
