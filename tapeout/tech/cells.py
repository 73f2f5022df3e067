"""The ``tap130`` standard-cell catalogue: every cell as numbers ready to be written.

A *family* (``NAND2``) describes the logic, the stage chain of each timing arc (see
:mod:`tapeout.tech.electrical`), its transistor count and the width in sites of each
drive strength; :func:`build_cells` turns the families into concrete :class:`Cell`
objects (``NAND2_1``, ``NAND2_2``...) holding areas, pin capacitances and NLDM tables.

Widths in sites are those of the matching ``sky130_fd_sc_hd`` cells (cell LEF of the
SkyWater SKY130 PDK): e.g. ``inv_1``/``nand2_1`` 3 sites (3.7536 um2), ``nand3_1`` 4,
``xor2_1`` 7, ``mux2_1`` 9, ``fa_1`` 16, ``dfxtp_1`` 16, ``dfrtp_1`` 20 sites.
"""

from dataclasses import dataclass, field

import numpy as np

from tapeout.tech import electrical as el
from tapeout.tech.electrical import INVERTER, Stage
from tapeout.tech.process import site_area_um2

CONSTRAINT_SLEW_INDEX_NS = np.array([0.01, 0.05, 0.2, 0.6, 1.5])
"""Transition index of setup/hold/recovery/removal tables (ns)."""
MAX_TRANSITION_NS = 1.5
"""Largest transition any pin may see (ns); the end of the slew index."""

# Flip-flop model, fitted to sky130 hd dfxtp_1 / dfrtp_1 (tt_025C_1v80): clock-to-Q
# near 0.28 ns at light load, setup 0.1-0.2 ns and a slightly negative hold.
FF_CLOCK_TO_SLAVE_NS = 0.24
FF_CLEAR_TO_SLAVE_NS = 0.20
FF_INTERNAL_SLEW_NS = 0.06
FF_CLOCK_INTERNAL_PF = 0.0045
FF_STATE_ENERGY_PJ = 0.006
FF_SETUP = {"rise": (0.10, 0.25, -0.05), "fall": (0.18, 0.25, -0.05)}
FF_HOLD = {"rise": (-0.04, -0.10, 0.08), "fall": (-0.07, -0.10, 0.08)}
FF_RECOVERY = (0.30, 0.20, -0.05)
FF_REMOVAL = (0.35, -0.10, 0.10)
"""Constraint model ``c0 + c_data * s_constrained + c_clock * s_clock`` (ns)."""


@dataclass(frozen=True)
class ArcSpec:
    """Timing arc from ``related`` to ``output`` through one or more stage chains.

    ``timing_type`` is ``combinational``, ``rising_edge`` or ``clear``; for several
    chains (non-unate arcs) the tables are the element-wise worst case.
    """

    related: str
    output: str
    sense: str
    chains: tuple
    timing_type: str = "combinational"
    intrinsic_ns: float = 0.0


@dataclass(frozen=True)
class Family:
    """One logic function in several drive strengths."""

    base: str
    inputs: tuple
    functions: dict
    arcs: tuple
    sites: dict
    transistors: int
    pin_loads: dict = field(default_factory=dict)
    kind: str = "combinational"
    clear_pin: str = ""
    is_clock_cell: bool = False


@dataclass
class Constraint:
    """Setup/hold-like check of ``pin`` against ``related`` (tables in ns)."""

    timing_type: str
    related: str
    rise: np.ndarray = None
    fall: np.ndarray = None


@dataclass
class Arc:
    """Computed arc: NLDM tables by output edge (``"rise"``/``"fall"``)."""

    related: str
    output: str
    sense: str
    timing_type: str
    loads_pf: np.ndarray
    tables: dict


@dataclass
class Cell:
    """A concrete library cell with every number the Liberty and LEF writers need."""

    name: str
    family: str
    drive: int
    sites: int
    area_um2: float
    leakage_nw: float
    inputs: dict
    outputs: dict
    arcs: list
    constraints: dict
    input_energy_pj: dict
    max_capacitance_pf: float
    kind: str
    clear_pin: str = ""
    clock_pin: str = ""
    is_clock_cell: bool = False


def _one(*chain):
    return (tuple(chain),)


_AOI_A = Stage(rise_stack=2, fall_stack=2, parasitic=2.5)
_AOI_B = Stage(rise_stack=2, fall_stack=1, parasitic=2.5)
_OAI_A = Stage(rise_stack=2, fall_stack=2, parasitic=2.5)
_OAI_B = Stage(rise_stack=1, fall_stack=2, parasitic=2.5)
_NAND2 = Stage(1, 2, 2.0)
_NAND3 = Stage(1, 3, 3.0)
_NOR2 = Stage(2, 1, 2.0)
_NOR3 = Stage(3, 1, 3.0)
_XOR = Stage(2, 2, 3.0)
_MAJ = Stage(2, 2, 4.0)
_SUM = Stage(3, 3, 5.0)


def _simple(base, inputs, function, stage, sites, transistors):
    arcs = tuple(ArcSpec(pin, "Y", "negative_unate", _one(stage)) for pin in inputs)
    return Family(base, inputs, {"Y": function}, arcs, sites, transistors)


def _buffered(base, inputs, function, stage, sites, transistors, **extra):
    arcs = tuple(ArcSpec(pin, "Y", "positive_unate", _one(stage, INVERTER)) for pin in inputs)
    return Family(base, inputs, {"Y": function}, arcs, sites, transistors, **extra)


def _xor_like(base, function):
    chains = ((_XOR,), (_NOR2, _XOR))
    arcs = tuple(ArcSpec(pin, "Y", "non_unate", chains) for pin in ("A", "B"))
    return Family(base, ("A", "B"), {"Y": function}, arcs, {1: 7, 2: 13, 4: 23}, 10,
                  pin_loads={"A": 2.0, "B": 2.0})


def _flop(base, with_clear):
    inputs = ("D", "CLK", "RESET_B") if with_clear else ("D", "CLK")
    arcs = [ArcSpec("CLK", "Q", "non_unate", _one(INVERTER), "rising_edge", FF_CLOCK_TO_SLAVE_NS)]
    if with_clear:
        arcs.append(ArcSpec("RESET_B", "Q", "positive_unate", _one(INVERTER), "clear",
                            FF_CLEAR_TO_SLAVE_NS))
    sites = {1: 20, 2: 21, 4: 23} if with_clear else {1: 16, 2: 17, 4: 19}
    loads = {"D": 0.75, "CLK": 0.8, "RESET_B": 1.5}
    return Family(base, inputs, {"Q": "IQ"}, tuple(arcs), sites, 28 if with_clear else 24,
                  pin_loads=loads, kind="flop", clear_pin="RESET_B" if with_clear else "")


# Drive-4 widths of NAND3, NOR3, XOR2, XNOR2, MUX2, AOI21 and OAI21 are scaled from their drive-2
# cells (about 1.8x the sites; MUX2 1.3x), an estimate rather than sky130 cell LEF figures; they give
# post-placement sizing a strong cell in every family that drives long wires.
FAMILIES = (
    _simple("INV", ("A",), "!A", INVERTER, {1: 3, 2: 3, 4: 5}, 2),
    _buffered("BUF", ("A",), "A", INVERTER, {1: 3, 2: 4, 4: 6}, 4),
    _simple("NAND2", ("A", "B"), "!(A&B)", _NAND2, {1: 3, 2: 5, 4: 9}, 4),
    _simple("NAND3", ("A", "B", "C"), "!(A&B&C)", _NAND3, {1: 4, 2: 7, 4: 13}, 6),
    _simple("NOR2", ("A", "B"), "!(A|B)", _NOR2, {1: 3, 2: 5, 4: 9}, 4),
    _simple("NOR3", ("A", "B", "C"), "!(A|B|C)", _NOR3, {1: 4, 2: 8, 4: 14}, 6),
    _buffered("AND2", ("A", "B"), "A&B", _NAND2, {1: 5, 2: 5, 4: 7}, 6),
    _buffered("OR2", ("A", "B"), "A|B", _NOR2, {1: 5, 2: 5, 4: 7}, 6),
    _xor_like("XOR2", "A^B"),
    _xor_like("XNOR2", "!(A^B)"),
    Family("MUX2", ("A0", "A1", "S"), {"Y": "(A0&!S)|(A1&S)"},
           (ArcSpec("A0", "Y", "positive_unate", _one(_XOR, INVERTER)),
            ArcSpec("A1", "Y", "positive_unate", _one(_XOR, INVERTER)),
            ArcSpec("S", "Y", "non_unate", ((_XOR, INVERTER), (INVERTER, _XOR, INVERTER)))),
           {1: 9, 2: 9, 4: 12}, 12, pin_loads={"S": 2.0}),
    Family("AOI21", ("A1", "A2", "B1"), {"Y": "!((A1&A2)|B1)"},
           (ArcSpec("A1", "Y", "negative_unate", _one(_AOI_A)),
            ArcSpec("A2", "Y", "negative_unate", _one(_AOI_A)),
            ArcSpec("B1", "Y", "negative_unate", _one(_AOI_B))),
           {1: 4, 2: 6, 4: 11}, 6),
    Family("OAI21", ("A1", "A2", "B1"), {"Y": "!((A1|A2)&B1)"},
           (ArcSpec("A1", "Y", "negative_unate", _one(_OAI_A)),
            ArcSpec("A2", "Y", "negative_unate", _one(_OAI_A)),
            ArcSpec("B1", "Y", "negative_unate", _one(_OAI_B))),
           {1: 4, 2: 6, 4: 11}, 6),
    Family("HA", ("A", "B"), {"COUT": "A&B", "SUM": "A^B"},
           tuple(ArcSpec(p, "COUT", "positive_unate", _one(_NAND2, INVERTER)) for p in "AB")
           + tuple(ArcSpec(p, "SUM", "non_unate", ((_XOR, INVERTER), (_NOR2, _XOR, INVERTER)))
                   for p in "AB"),
           {1: 10, 2: 11}, 14, pin_loads={"A": 2.0, "B": 2.0}),
    Family("FA", ("A", "B", "CIN"), {"COUT": "(A&B)|(A&CIN)|(B&CIN)", "SUM": "A^B^CIN"},
           tuple(ArcSpec(p, "COUT", "positive_unate", _one(_MAJ, INVERTER))
                 for p in ("A", "B", "CIN"))
           + tuple(ArcSpec(p, "SUM", "non_unate", ((_SUM, INVERTER), (_MAJ, _SUM, INVERTER)))
                   for p in ("A", "B", "CIN")),
           {1: 16, 2: 17}, 28, pin_loads={"A": 2.0, "B": 2.0, "CIN": 2.0}),
    _buffered("CLKBUF", ("A",), "A", INVERTER, {1: 3, 2: 4, 4: 6, 8: 10, 16: 16}, 4,
              is_clock_cell=True),
    _flop("DFF", with_clear=False),
    _flop("DFFR", with_clear=True),
    Family("TIE", (), {"HI": "1", "LO": "0"}, (), {1: 3}, 2, kind="tie"),
    Family("FILL", (), {}, (), {1: 1, 2: 2, 4: 4, 8: 8}, 0, kind="filler"),
)
"""Every family of the library, in the order they are written."""


def _scale_chain(chain, drive):
    """Last stage scaled by the drive, inner stages by its square root."""
    if len(chain) == 1:
        return (chain[0].scaled(drive),)
    inner = tuple(s.scaled(np.sqrt(drive)) for s in chain[1:-1])
    return (chain[0],) + inner + (chain[-1].scaled(drive),)


def _arc(spec, drive, loads):
    flop_like = spec.timing_type != "combinational"
    tables = {}
    for edge in ("rise", "fall"):
        results = [
            el.path_tables(_scale_chain(chain, drive), edge == "rise", el.SLEW_INDEX_NS, loads,
                           intrinsic_ns=spec.intrinsic_ns,
                           intrinsic_slew_ns=FF_INTERNAL_SLEW_NS if flop_like else None)
            for chain in spec.chains
        ]
        tables[edge] = el.ArcTables(
            delay=np.max([r.delay for r in results], axis=0),
            slew=np.max([r.slew for r in results], axis=0),
            energy=np.max([r.energy for r in results], axis=0)
            + (FF_STATE_ENERGY_PJ if flop_like else 0.0),
        )
    if spec.timing_type == "clear":
        tables = {"fall": tables["fall"]}
    return Arc(spec.related, spec.output, spec.sense, spec.timing_type, loads, tables)


def _constraint_table(c0, c_data, c_clock):
    s = CONSTRAINT_SLEW_INDEX_NS
    return c0 + c_data * s[:, None] + c_clock * s[None, :]


def _flop_constraints(family):
    checks = {"D": [
        Constraint("setup_rising", "CLK", _constraint_table(*FF_SETUP["rise"]),
                   _constraint_table(*FF_SETUP["fall"])),
        Constraint("hold_rising", "CLK", _constraint_table(*FF_HOLD["rise"]),
                   _constraint_table(*FF_HOLD["fall"])),
    ]}
    if family.clear_pin:
        checks[family.clear_pin] = [
            Constraint("recovery_rising", "CLK", rise=_constraint_table(*FF_RECOVERY)),
            Constraint("removal_rising", "CLK", rise=_constraint_table(*FF_REMOVAL)),
        ]
    return checks


def _input_caps(family, drive):
    caps = {}
    for pin in family.inputs:
        chains = [c for a in family.arcs if a.related == pin for c in a.chains]
        single_stage = bool(chains) and all(len(c) == 1 for c in chains)
        if family.kind == "flop":
            size = 1.0
        else:
            size = drive if single_stage else 1.0
        caps[pin] = el.C_IN_UNIT_PF * size * family.pin_loads.get(pin, 1.0)
    return caps


def _input_energy(family, drive):
    if family.kind != "flop":
        return {}
    e = 0.5 * FF_CLOCK_INTERNAL_PF * el.VDD_V**2 + el.K_SHORT_CIRCUIT_PJ_PER_NS * el.SLEW_INDEX_NS
    return {"CLK": e}


TYPICAL_INPUT_SLEW_INDEX = 4  # 0.282 ns in electrical.SLEW_INDEX_NS


def _max_capacitance(arcs, loads) -> float:
    """Largest load (pF) at which every arc's output transition, at a typical input slew, stays
    within MAX_TRANSITION_NS (linear between table points); at most the table's last load."""
    limit = float(loads[-1])
    for arc in arcs:
        if arc.timing_type == "clear":
            continue
        for tables in arc.tables.values():
            row = tables.slew[TYPICAL_INPUT_SLEW_INDEX]
            if row[-1] > MAX_TRANSITION_NS:
                limit = min(limit, float(np.interp(MAX_TRANSITION_NS, row, loads)))
    return round(limit, 6)


def build_cell(family: Family, drive: int) -> Cell:
    """The concrete cell of ``family`` at ``drive`` (a key of ``family.sites``)."""
    if drive not in family.sites:
        raise ValueError(f"drive must be one of {sorted(family.sites)} for {family.base}, "
                         f"not {drive!r}")
    loads = el.LOAD_INDEX_PF * drive
    arcs = [_arc(spec, drive, loads) for spec in family.arcs]
    sites = family.sites[drive]
    return Cell(
        name=f"{family.base}_{drive}",
        family=family.base,
        drive=drive,
        sites=sites,
        area_um2=round(sites * site_area_um2(), 4),
        leakage_nw=el.leakage_nw(family.transistors, drive),
        inputs=_input_caps(family, drive),
        outputs=dict(family.functions),
        arcs=arcs,
        constraints=_flop_constraints(family) if family.kind == "flop" else {},
        input_energy_pj=_input_energy(family, drive),
        max_capacitance_pf=_max_capacitance(arcs, loads),
        kind=family.kind,
        clear_pin=family.clear_pin,
        clock_pin="CLK" if family.kind == "flop" else "",
        is_clock_cell=family.is_clock_cell,
    )


def build_cells() -> list:
    """Every cell of the library, families in catalogue order, drives ascending."""
    return [build_cell(f, d) for f in FAMILIES for d in sorted(f.sites)]
