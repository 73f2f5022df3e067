"""SRAM macro model: a 1-read + 1-write (1R1W) synchronous SRAM of any words x bits.

Ports (all sampled on the rising edge of ``CLK``): write port ``WE``, ``WMASK``,
``WADDR``, ``WDATA``; read port ``RE``, ``RADDR`` and ``RDATA`` (valid ``access_time_ns``
after the edge that sampled ``RE``). Both ports may be active in the same cycle.

Write mask: ``WMASK[i]`` enables the ``write_granularity``-bit group ``i`` of the word
(bits ``i*g`` to ``i*g+g-1``); a write cycle (``WE`` high) stores exactly the groups
whose mask bit is high, the others keep their contents; ``WMASK`` is ignored while ``WE``
is low. This is the ``wmask0`` of OpenRAM macros, whose names end in the write size
(``..._32x256_8``: four 8-bit bytes). A macro with ``write_granularity == bits`` has a
single (scalar) ``WMASK`` pin.

The model follows the organisation of OpenRAM macros: ``rows x columns`` bitcells with
a column mux of 1-8 chosen as OpenRAM does (largest power of two not above
sqrt(words x bits) / bits), the array framed by a row periphery (decoders, wordline
drivers) and a column periphery (precharge, sense amplifiers, write drivers, port
registers).

Calibration point (exact by construction): OpenRAM ``sky130_sram_1kbyte_1rw1r_32x256_8``,
TT 1.8 V 25 C, from the public ``VLSIDA/sky130_sram_macros`` repository: LEF size
479.78 x 397.5 um; clk-to-dout 2.87 ns at 0.0017 pF (rising to 3.375 ns at 0.0276 pF);
minimum period 6.875 ns; clock internal energy per cycle 4.600 pJ when reading,
4.598 pJ when writing and 2.083 pJ when idle; leakage 0.000912 mW; pin capacitance
0.00689 pF; read-port setup -0.255 ns and hold 0.447 ns. Cross-check (not fitted):
``sky130_sram_1kbyte_1rw1r_8x1024_8``, 464.82 x 447.14 um, clk-to-dout 2.618 ns.

The calibration macro has a byte write mask (``wmask0[3:0]``), so the fitted periphery
and energies already include its mask registers and per-byte write drivers; the figures
do not depend on the granularity. A write cycle is charged the whole-word write energy
whatever the mask, as OpenRAM's Liberty does (its write power is conditioned on the
chip select and write enable only): an upper bound for partial writes.

The bitcell pitch (2.40 x 1.58 um, a dual-port 8T cell) and the per-row, per-column
and per-decoded-bit delay slopes are assumptions of the model; the periphery sizes and
fixed delay are solved so that the calibration point is met.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from tapeout.tech import electrical as el
from tapeout.tech import lef_writer, liberty_writer
from tapeout.tech.cells import CONSTRAINT_SLEW_INDEX_NS
from tapeout.tech.process import GROUND_PIN, LIBRARY_NAME, POWER_PIN

MAX_WORDS = 65536
MAX_BITS = 512
MAX_COLUMN_MUX = 8
DEFAULT_WRITE_GRANULARITY = 8
"""Bits per write-mask bit, as OpenRAM's sky130 macros (``write_size`` 8)."""

BITCELL_WIDTH_UM = 2.40
BITCELL_HEIGHT_UM = 1.58
DECODE_NS_PER_BIT = 0.10
WORDLINE_NS_PER_COLUMN = 0.002
BITLINE_NS_PER_ROW = 0.004
MUX_NS_PER_LEVEL = 0.05
OUTPUT_SLEW_SENSITIVITY = 0.1
"""Delay added per ns of clock slew."""

ANCHOR_WORDS, ANCHOR_BITS = 256, 32
ANCHOR_WIDTH_UM, ANCHOR_HEIGHT_UM = 479.78, 397.5
ANCHOR_ACCESS_NS = 2.87
ANCHOR_REFERENCE_LOAD_PF = 0.0017225
ANCHOR_OUTPUT_KOHM = (3.375 - 2.87) / (0.02756 - 0.0017225)
ANCHOR_OUTPUT_SLEW_NS = 0.055
ANCHOR_SLEW_KOHM = (0.345 - 0.055) / (0.02756 - 0.0017225)
ANCHOR_MIN_PERIOD_NS = 6.875
ANCHOR_READ_PJ = 2.391613 + 2.208443
ANCHOR_WRITE_PJ = 2.226912 + 2.371604
ANCHOR_IDLE_PJ = 1.034863 + 1.048424
ANCHOR_LEAKAGE_NW = 911.8
ANCHOR_PIN_PF = 0.00689
SETUP_NS = 0.255
"""Magnitude of the OpenRAM read-port setup (-0.255 ns), kept as a positive margin."""
HOLD_NS = 0.447
LEAKAGE_ARRAY_SHARE = 0.7
"""Share of the calibration macro's leakage put in the bitcell array."""

PIN_WIDTH_UM = 0.38
PIN_DEPTH_UM = 1.06
STRAP_WIDTH_UM = 1.74
PIN_MARGIN_UM = 10.0


def _check_int(name, value, low, high):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise ValueError(f"{name} must be an integer from {low} to {high}, not {value!r}")


def column_mux(words: int, bits: int) -> int:
    """Words per row: the largest power of two <= sqrt(words * bits) / bits, in 1..8."""
    target = math.sqrt(words * bits) / bits
    mux = 1
    while mux * 2 <= min(target, MAX_COLUMN_MUX, words):
        mux *= 2
    return mux


def _registers(address_bits: int, bits: int) -> int:
    """Port registers: two addresses, write data and read data."""
    return 2 * address_bits + 2 * bits


def _raw_access_ns(rows: int, columns: int, mux: int) -> float:
    return (DECODE_NS_PER_BIT * math.log2(max(rows, 2)) + WORDLINE_NS_PER_COLUMN * columns
            + BITLINE_NS_PER_ROW * rows + MUX_NS_PER_LEVEL * math.log2(mux))


def _geometry(words, bits):
    mux = column_mux(words, bits)
    return mux, math.ceil(words / mux), bits * mux


_A_MUX, _A_ROWS, _A_COLS = _geometry(ANCHOR_WORDS, ANCHOR_BITS)
ROW_PERIPHERY_UM = ANCHOR_WIDTH_UM - _A_COLS * BITCELL_WIDTH_UM
COLUMN_PERIPHERY_UM = ANCHOR_HEIGHT_UM - _A_ROWS * BITCELL_HEIGHT_UM
FIXED_ACCESS_NS = ANCHOR_ACCESS_NS - _raw_access_ns(_A_ROWS, _A_COLS, _A_MUX)
_A_CELLS = _A_ROWS * _A_COLS
_A_REGS = _registers(max(1, (ANCHOR_WORDS - 1).bit_length()), ANCHOR_BITS)


@dataclass(frozen=True)
class SramMacro:
    """A 1R1W SRAM macro of ``words`` x ``bits`` with one write-mask bit per
    ``write_granularity`` bits; every figure derived on access.

    Units: um, um2, ns, pF, pJ (per cycle), nW.
    """

    words: int
    bits: int
    write_granularity: int = DEFAULT_WRITE_GRANULARITY

    @property
    def name(self) -> str:
        """``tap130_sram_<words>x<bits>_1r1w_<write_granularity>`` (OpenRAM-like suffix)."""
        return f"{LIBRARY_NAME}_sram_{self.words}x{self.bits}_1r1w_{self.write_granularity}"

    @property
    def mask_bits(self) -> int:
        """Width of ``WMASK``: one bit per ``write_granularity`` data bits."""
        return self.bits // self.write_granularity

    @property
    def address_bits(self) -> int:
        return max(1, (self.words - 1).bit_length())

    @property
    def column_mux(self) -> int:
        return column_mux(self.words, self.bits)

    @property
    def rows(self) -> int:
        return math.ceil(self.words / self.column_mux)

    @property
    def columns(self) -> int:
        return self.bits * self.column_mux

    @property
    def width_um(self) -> float:
        return ROW_PERIPHERY_UM + self.columns * BITCELL_WIDTH_UM

    @property
    def height_um(self) -> float:
        return COLUMN_PERIPHERY_UM + self.rows * BITCELL_HEIGHT_UM

    @property
    def area_um2(self) -> float:
        return self.width_um * self.height_um

    @property
    def access_time_ns(self) -> float:
        """Clock to read data at the reference load 0.0017 pF and a sharp clock."""
        return FIXED_ACCESS_NS + _raw_access_ns(self.rows, self.columns, self.column_mux)

    @property
    def min_period_ns(self) -> float:
        return self.access_time_ns * ANCHOR_MIN_PERIOD_NS / ANCHOR_ACCESS_NS

    @property
    def setup_ns(self) -> float:
        return SETUP_NS

    @property
    def hold_ns(self) -> float:
        return HOLD_NS

    @property
    def _register_share(self) -> float:
        return _registers(self.address_bits, self.bits) / _A_REGS

    @property
    def idle_energy_pj(self) -> float:
        """Clock energy of a cycle with neither port enabled."""
        return ANCHOR_IDLE_PJ * self._register_share

    @property
    def read_energy_pj(self) -> float:
        """Energy of a read cycle (bitlines of every column switch)."""
        per_cell = (ANCHOR_READ_PJ - ANCHOR_IDLE_PJ) / _A_CELLS
        return self.idle_energy_pj + per_cell * self.rows * self.columns

    @property
    def write_energy_pj(self) -> float:
        """Energy of a write cycle."""
        per_cell = (ANCHOR_WRITE_PJ - ANCHOR_IDLE_PJ) / _A_CELLS
        return self.idle_energy_pj + per_cell * self.rows * self.columns

    @property
    def leakage_nw(self) -> float:
        array = LEAKAGE_ARRAY_SHARE * self.rows * self.columns / _A_CELLS
        return ANCHOR_LEAKAGE_NW * (array + (1 - LEAKAGE_ARRAY_SHARE) * self._register_share)

    @property
    def pin_capacitance_pf(self) -> float:
        return ANCHOR_PIN_PF

    @cached_property
    def output_loads_pf(self) -> np.ndarray:
        return el.LOAD_INDEX_PF.copy()

    def read_tables(self):
        """(delay, slew) of CLK -> RDATA over (clock slew, load), ns."""
        s = el.SLEW_INDEX_NS[:, None]
        extra = self.output_loads_pf[None, :] - ANCHOR_REFERENCE_LOAD_PF
        delay = self.access_time_ns + OUTPUT_SLEW_SENSITIVITY * s + ANCHOR_OUTPUT_KOHM * extra
        slew = np.maximum(ANCHOR_OUTPUT_SLEW_NS + ANCHOR_SLEW_KOHM * extra + 0 * s, el.MIN_SLEW_NS)
        return delay, slew

    # -- views -------------------------------------------------------------------------

    def _buses(self):
        """(name, direction, width) of every signal port, in port order."""
        a, b = self.address_bits, self.bits
        return [("CLK", "input", 1), ("WE", "input", 1), ("WMASK", "input", self.mask_bits),
                ("WADDR", "input", a),
                ("WDATA", "input", b), ("RE", "input", 1), ("RADDR", "input", a),
                ("RDATA", "output", b)]

    def _constraint_lines(self, indent):
        c = CONSTRAINT_SLEW_INDEX_NS
        lines = []
        for kind, value, sign in (("setup_rising", self.setup_ns, 1), ("hold_rising", self.hold_ns, -1)):
            values = value + sign * (0.1 * c[:, None] - 0.05 * c[None, :])
            lines += [f"{indent}timing () {{", f'{indent}  related_pin : "CLK";',
                      f"{indent}  timing_type : {kind};"]
            for edge in ("rise", "fall"):
                lines += liberty_writer.table(f"{edge}_constraint", liberty_writer.CONSTRAINT_TEMPLATE,
                                              values, c, c, indent + "  ")
            lines.append(f"{indent}}}")
        return lines

    @property
    def bus_widths(self) -> list[int]:
        """Widths of the bus types its Liberty cell uses."""
        return sorted({w for _, _, w in self._buses() if w > 1})

    def liberty_text(self) -> str:
        """A Liberty library holding only this macro (units as the ``tap130`` library)."""
        return liberty_writer.macro_library_text(f"{self.name}_lib", [self])

    def liberty_comment(self) -> str:
        return (f"{self.name}: 1R1W SRAM macro model, {self.words} words x {self.bits} bits.\n"
                "Generated by tapeout.tech.sram from a model calibrated on OpenRAM\n"
                "sky130_sram_1kbyte_1rw1r_32x256_8 (TT 1.8 V 25 C); see that module.")

    def liberty_cell_lines(self) -> list[str]:
        """The ``cell`` group of this macro (bus types ``bus<width>`` come from the library)."""
        num = liberty_writer.num
        lines = []
        lines += [
            f"  cell ({self.name}) {{",
            f"    area : {num(round(self.area_um2, 4))};",
            "    interface_timing : true;",
            "    dont_touch : true;",
            "    dont_use : true;",
            f"    cell_leakage_power : {num(self.leakage_nw)};",
        ]
        lines += liberty_writer.pg_pins()
        delay, slew = self.read_tables()
        energy_by_mode = (("!WE & !RE", self.idle_energy_pj), ("WE & !RE", self.write_energy_pj),
                          ("!WE & RE", self.read_energy_pj),
                          ("WE & RE", self.read_energy_pj + self.write_energy_pj - self.idle_energy_pj))
        for name, direction, width in self._buses():
            group = f"bus ({name})" if width > 1 else f"pin ({name})"
            lines += [f"    {group} {{"]
            if width > 1:
                lines.append(f"      bus_type : bus{width};")
            lines.append(f"      direction : {direction};")
            if direction == "input":
                lines.append(f"      capacitance : {num(self.pin_capacitance_pf)};")
            if name == "CLK":
                lines.append("      clock : true;")
                for when, energy in energy_by_mode:
                    lines += ["      internal_power () {", f'        when : "{when}";',
                              f'        rise_power (scalar) {{ values ("{num(energy)}"); }}',
                              '        fall_power (scalar) { values ("0"); }', "      }"]
                lines += ["      timing () {", '        related_pin : "CLK";',
                          "        timing_type : minimum_period;",
                          f'        rise_constraint (scalar) {{ values ("{num(self.min_period_ns)}"); }}',
                          f'        fall_constraint (scalar) {{ values ("{num(self.min_period_ns)}"); }}',
                          "      }"]
            elif direction == "input":
                lines += self._constraint_lines("      ")
            else:
                lines += [f"      max_capacitance : {num(self.output_loads_pf[-1])};",
                          "      timing () {", '        related_pin : "CLK";',
                          "        timing_type : rising_edge;", "        timing_sense : non_unate;"]
                for edge in ("rise", "fall"):
                    lines += liberty_writer.table(f"cell_{edge}", liberty_writer.DELAY_TEMPLATE, delay,
                                                  el.SLEW_INDEX_NS, self.output_loads_pf)
                    lines += liberty_writer.table(f"{edge}_transition", liberty_writer.DELAY_TEMPLATE,
                                                  slew, el.SLEW_INDEX_NS, self.output_loads_pf)
                lines.append("      }")
            lines.append("    }")
        lines.append("  }")
        return lines

    def _pin_names(self):
        names = []
        for name, direction, width in self._buses():
            bits = [name] if width == 1 else [f"{name}[{i}]" for i in range(width)]
            names += [(n, direction.upper(), "CLOCK" if name == "CLK" else "SIGNAL") for n in bits]
        return names

    def lef_text(self) -> str:
        """A LEF file holding this macro alone (see `lef_macro_lines`)."""
        return lef_writer.macros_text([self])

    def lef_macro_lines(self) -> list[str]:
        """LEF MACRO (CLASS BLOCK): signal pins on met4 along the bottom edge, power straps, OBS."""
        w, h = self.width_um, self.height_um
        names = self._pin_names()
        pitch = (w - 2 * PIN_MARGIN_UM) / len(names)
        pins = []
        for i, (name, direction, use) in enumerate(names):
            x = PIN_MARGIN_UM + (i + 0.5) * pitch
            rect = ("met4", x - PIN_WIDTH_UM / 2, 0.0, x + PIN_WIDTH_UM / 2, PIN_DEPTH_UM)
            pins.append(lef_writer.LefPin(name, direction, use, (rect,)))
        top = PIN_DEPTH_UM + 1.0
        pins.append(lef_writer.LefPin(POWER_PIN, "INOUT", "POWER",
                                      (("met4", 2.0, top, 2.0 + STRAP_WIDTH_UM, h - 2.0),)))
        pins.append(lef_writer.LefPin(GROUND_PIN, "INOUT", "GROUND",
                                      (("met4", w - 2.0 - STRAP_WIDTH_UM, top, w - 2.0, h - 2.0),)))
        obstructions = [(layer, 0.0, 0.0, w, h) for layer in ("met1", "met2", "met3")]
        obstructions.append(("met4", 2.0 + STRAP_WIDTH_UM + 0.5, top,
                             w - 2.0 - STRAP_WIDTH_UM - 0.5, h - 2.0))
        return lef_writer.macro_lines(self.name, "BLOCK", w, h, pins, obstructions)

    def verilog_blackbox(self) -> str:
        """A Verilog module declaration marked ``(* blackbox *)`` for synthesis."""
        ports = []
        for name, direction, width in self._buses():
            rng = f"[{width - 1}:0] " if width > 1 else ""
            ports.append(f"    {direction} wire {rng}{name}")
        return ("(* blackbox *)\n"
                f"module {self.name} (\n" + ",\n".join(ports) + "\n);\nendmodule\n")


    def verilog_model(self) -> str:
        """A zero-delay behavioural Verilog model for gate-level simulation: on the rising ``CLK``
        edge a read (``RE``) returns the word before this edge's write (read-first), ``RDATA`` holds
        while ``RE`` is low, and a write (``WE``) stores the groups whose ``WMASK`` bit is high."""
        a, b, g = self.address_bits, self.bits, self.write_granularity
        mask = f"[{self.mask_bits - 1}:0] " if self.mask_bits > 1 else ""
        return "\n".join([
            f"module {self.name} (",
            "    input wire CLK,", "    input wire WE,", f"    input wire {mask}WMASK,",
            f"    input wire [{a - 1}:0] WADDR,", f"    input wire [{b - 1}:0] WDATA,", "    input wire RE,",
            f"    input wire [{a - 1}:0] RADDR,", f"    output reg [{b - 1}:0] RDATA", ");",
            f"  reg [{b - 1}:0] memory [0:{self.words - 1}];",
            "  integer group;",
            "  always @(posedge CLK) begin",
            "    if (RE) RDATA <= memory[RADDR];",
            *([f"    if (WE) for (group = 0; group < {self.mask_bits}; group = group + 1)",
               f"      if (WMASK[group]) memory[WADDR][group * {g} +: {g}] <= WDATA[group * {g} +: {g}];"]
              if self.mask_bits > 1 else ["    if (WE && WMASK) memory[WADDR] <= WDATA;"]),
            "  end", "endmodule", ""])

def sram_macro(words: int, bits: int, write_granularity: int = DEFAULT_WRITE_GRANULARITY) -> SramMacro:
    """The 1R1W SRAM macro of ``words`` x ``bits``, one write-mask bit per
    ``write_granularity`` bits (checked: ``bits`` must be a multiple of it)."""
    _check_int("words", words, 2, MAX_WORDS)
    _check_int("bits", bits, 1, MAX_BITS)
    _check_int("write_granularity", write_granularity, 1, MAX_BITS)
    if bits % write_granularity:
        raise ValueError(f"bits must be a multiple of write_granularity ({write_granularity}), not {bits!r}")
    return SramMacro(int(words), int(bits), int(write_granularity))
