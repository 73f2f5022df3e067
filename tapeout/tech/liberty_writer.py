"""Liberty (.lib) text for ``tap130`` cells and for SRAM macros.

Units declared in the header: time 1 ns, capacitance 1 pF, voltage 1 V, current 1 mA,
resistance 1 kohm, leakage power 1 nW; internal power tables hold energy per
transition in pJ (capacitive unit x voltage unit squared), as Liberty defines them.
"""

import numpy as np

from tapeout.tech import electrical as el
from tapeout.tech.cells import CONSTRAINT_SLEW_INDEX_NS, MAX_TRANSITION_NS
from tapeout.tech.process import (
    DELAY_THRESHOLD_PCT,
    GROUND_PIN,
    POWER_PIN,
    SLEW_LOWER_PCT,
    SLEW_UPPER_PCT,
    TEMPERATURE_C,
    VDD_V,
)

DELAY_TEMPLATE = "delay_7x7"
CONSTRAINT_TEMPLATE = "constraint_5x5"
ENERGY_TEMPLATE = "energy_7x7"
INPUT_ENERGY_TEMPLATE = "energy_7"
OPERATING_CONDITIONS = "tt_025C_1v80"


def num(value) -> str:
    """A number as Liberty text: up to 6 significant digits, no ``-0``."""
    text = f"{float(value):.6g}"
    return "0" if text == "-0" else text


def _row(values) -> str:
    return '"' + ", ".join(num(v) for v in np.atleast_1d(values)) + '"'


def table(name, template, values, index_1, index_2=None, indent="        ") -> list:
    """Lines of one table group (``cell_rise (delay_7x7) { ... }``)."""
    values = np.atleast_2d(values) if index_2 is not None else np.atleast_1d(values)
    lines = [f"{indent}{name} ({template}) {{", f"{indent}  index_1 ({_row(index_1)});"]
    if index_2 is not None:
        lines.append(f"{indent}  index_2 ({_row(index_2)});")
        rows = [_row(r) for r in values]
        lines.append(f"{indent}  values ( \\")
        lines += [f"{indent}    {r}{', ' if i < len(rows) - 1 else ''}\\" for i, r in enumerate(rows)]
        lines.append(f"{indent}  );")
    else:
        lines.append(f"{indent}  values ({_row(values)});")
    lines.append(f"{indent}}}")
    return lines


def header(library_name: str, comment: str) -> list:
    """Library-level lines up to (not including) the first cell."""
    s, c = el.SLEW_INDEX_NS, CONSTRAINT_SLEW_INDEX_NS
    loads = el.LOAD_INDEX_PF
    lines = ["/*"] + [f" * {line}".rstrip() for line in comment.splitlines()] + [" */"]
    lines += [
        f"library ({library_name}) {{",
        "  technology (cmos);",
        "  delay_model : table_lookup;",
        '  time_unit : "1ns";',
        '  voltage_unit : "1V";',
        '  current_unit : "1mA";',
        '  pulling_resistance_unit : "1kohm";',
        '  leakage_power_unit : "1nW";',
        "  capacitive_load_unit (1, pf);",
        "  nom_process : 1;",
        f"  nom_voltage : {num(VDD_V)};",
        f"  nom_temperature : {num(TEMPERATURE_C)};",
        f"  voltage_map ({POWER_PIN}, {num(VDD_V)});",
        f"  voltage_map ({GROUND_PIN}, 0);",
        f"  operating_conditions ({OPERATING_CONDITIONS}) {{",
        "    process : 1;",
        f"    voltage : {num(VDD_V)};",
        f"    temperature : {num(TEMPERATURE_C)};",
        "  }",
        f"  default_operating_conditions : {OPERATING_CONDITIONS};",
    ]
    for edge in ("rise", "fall"):
        lines += [
            f"  input_threshold_pct_{edge} : {num(DELAY_THRESHOLD_PCT)};",
            f"  output_threshold_pct_{edge} : {num(DELAY_THRESHOLD_PCT)};",
            f"  slew_lower_threshold_pct_{edge} : {num(SLEW_LOWER_PCT)};",
            f"  slew_upper_threshold_pct_{edge} : {num(SLEW_UPPER_PCT)};",
        ]
    lines += [
        "  slew_derate_from_library : 1;",
        f"  default_max_transition : {num(MAX_TRANSITION_NS)};",
        "  default_fanout_load : 1;",
        "  default_cell_leakage_power : 0;",
        "  default_leakage_power_density : 0;",
        f"  default_input_pin_cap : {num(el.C_IN_UNIT_PF)};",
        f"  default_inout_pin_cap : {num(el.C_IN_UNIT_PF)};",
        "  default_output_pin_cap : 0;",
        f"  lu_table_template ({DELAY_TEMPLATE}) {{",
        "    variable_1 : input_net_transition;",
        "    variable_2 : total_output_net_capacitance;",
        f"    index_1 ({_row(s)});",
        f"    index_2 ({_row(loads)});",
        "  }",
        f"  lu_table_template ({CONSTRAINT_TEMPLATE}) {{",
        "    variable_1 : constrained_pin_transition;",
        "    variable_2 : related_pin_transition;",
        f"    index_1 ({_row(c)});",
        f"    index_2 ({_row(c)});",
        "  }",
        f"  power_lut_template ({ENERGY_TEMPLATE}) {{",
        "    variable_1 : input_transition_time;",
        "    variable_2 : total_output_net_capacitance;",
        f"    index_1 ({_row(s)});",
        f"    index_2 ({_row(loads)});",
        "  }",
        f"  power_lut_template ({INPUT_ENERGY_TEMPLATE}) {{",
        "    variable_1 : input_transition_time;",
        f"    index_1 ({_row(s)});",
        "  }",
    ]
    return lines


def pg_pins(indent="    ") -> list:
    """The power and ground pins of a cell."""
    return [
        f"{indent}pg_pin ({POWER_PIN}) {{ pg_type : primary_power; voltage_name : {POWER_PIN}; }}",
        f"{indent}pg_pin ({GROUND_PIN}) {{ pg_type : primary_ground; voltage_name : {GROUND_PIN}; }}",
    ]


def _arc_lines(arc) -> list:
    s = el.SLEW_INDEX_NS
    lines = [
        "      timing () {",
        f'        related_pin : "{arc.related}";',
        f"        timing_sense : {arc.sense};",
        f"        timing_type : {arc.timing_type};",
    ]
    for edge, t in arc.tables.items():
        lines += table(f"cell_{edge}", DELAY_TEMPLATE, t.delay, s, arc.loads_pf)
        lines += table(f"{edge}_transition", DELAY_TEMPLATE, t.slew, s, arc.loads_pf)
    lines.append("      }")
    return lines


def _power_lines(arc) -> list:
    lines = ["      internal_power () {", f'        related_pin : "{arc.related}";']
    for edge, t in arc.tables.items():
        lines += table(f"{edge}_power", ENERGY_TEMPLATE, t.energy, el.SLEW_INDEX_NS, arc.loads_pf)
    lines.append("      }")
    return lines


def _constraint_lines(check) -> list:
    c = CONSTRAINT_SLEW_INDEX_NS
    lines = [
        "      timing () {",
        f'        related_pin : "{check.related}";',
        f"        timing_type : {check.timing_type};",
    ]
    for edge in ("rise", "fall"):
        values = getattr(check, edge)
        if values is not None:
            lines += table(f"{edge}_constraint", CONSTRAINT_TEMPLATE, values, c, c)
    lines.append("      }")
    return lines


def cell_lines(cell) -> list:
    """Lines of the ``cell`` group of one standard cell."""
    lines = [
        f"  cell ({cell.name}) {{",
        f"    area : {num(cell.area_um2)};",
        f'    cell_footprint : "{cell.family}";',
        f"    cell_leakage_power : {num(cell.leakage_nw)};",
    ]
    if cell.is_clock_cell:
        lines += ["    is_clock_cell : true;", "    dont_use : true;"]
    if cell.kind == "filler":
        lines += ["    dont_use : true;", "    dont_touch : true;"]
    lines += pg_pins()
    if cell.kind == "flop":
        lines.append("    ff (IQ, IQN) {")
        lines.append('      next_state : "D";')
        lines.append(f'      clocked_on : "{cell.clock_pin}";')
        if cell.clear_pin:
            lines.append(f'      clear : "!{cell.clear_pin}";')
        lines.append("    }")
    for pin, cap in cell.inputs.items():
        lines += [f"    pin ({pin}) {{", "      direction : input;"]
        if pin == cell.clock_pin:
            lines.append("      clock : true;")
        lines += [
            f"      capacitance : {num(cap)};",
            f"      rise_capacitance : {num(cap)};",
            f"      fall_capacitance : {num(cap)};",
            f"      max_transition : {num(MAX_TRANSITION_NS)};",
        ]
        for check in cell.constraints.get(pin, ()):
            lines += _constraint_lines(check)
        if pin in cell.input_energy_pj:
            lines.append("      internal_power () {")
            for edge in ("rise", "fall"):
                lines += table(f"{edge}_power", INPUT_ENERGY_TEMPLATE, cell.input_energy_pj[pin],
                               el.SLEW_INDEX_NS)
            lines.append("      }")
        lines.append("    }")
    for pin, function in cell.outputs.items():
        lines += [
            f"    pin ({pin}) {{",
            "      direction : output;",
            f'      function : "{function}";',
        ]
        arcs = [a for a in cell.arcs if a.output == pin]
        if arcs:
            lines += [
                f"      max_capacitance : {num(cell.max_capacitance_pf)};",
                f"      max_transition : {num(MAX_TRANSITION_NS)};",
            ]
        for arc in arcs:
            lines += _arc_lines(arc)
        for arc in arcs:
            lines += _power_lines(arc)
        lines.append("    }")
    lines.append("  }")
    return lines


def library_text(library_name: str, comment: str, cells) -> str:
    """A whole Liberty library holding ``cells``."""
    lines = header(library_name, comment)
    for cell in cells:
        lines += cell_lines(cell)
    lines.append("}")
    return "\n".join(lines) + "\n"


def bus_type_lines(width: int) -> list:
    """A ``type (bus<width>)`` group, bit ``width - 1`` down to 0."""
    return [f"  type (bus{width}) {{", "    base_type : array;", "    data_type : bit;",
            f"    bit_width : {width};", f"    bit_from : {width - 1};", "    bit_to : 0;",
            "    downto : true;", "  }"]


def macro_library_text(library_name: str, macros) -> str:
    """One Liberty library holding the cells of `macros` (objects with ``bus_widths``,
    ``liberty_comment()`` and ``liberty_cell_lines()``, e.g. SRAM macros)."""
    comment = "\n".join(m.liberty_comment() for m in macros) or "no macros"
    lines = header(library_name, comment)
    for width in sorted({w for m in macros for w in m.bus_widths}):
        lines += bus_type_lines(width)
    for macro in macros:
        lines += macro.liberty_cell_lines()
    lines.append("}")
    return "\n".join(lines) + "\n"
