"""Every register gets a public name, so that equivalence checking can pair it by name.

Yosys keeps the RTL's register names on the flip-flop outputs, except for the registers it makes
itself: ``memory_dff`` merges a memory's read-address register into the read port and
``memory_map`` builds it again as flip-flops named ``$\\cpuregs$rdreg[0]$q`` (a private name;
picorv32 has ten such bits, copies of ``decoded_rs1``/``decoded_rs2`` that address its register
file). The netlist writer gives a private name an arbitrary one (``_01234_``), so ``lec``'s
``equiv_make`` paired neither side's copy: each was a free value of its own, unrelated to the other,
so the register file's read data (``pcpi_rs1``, ``reg_sh`` ...) differed in the cut-point check, and
on SKY130 also after 6 clocks of ``equiv_induct``. :func:`name_registers` runs after
``synth -run fine:check`` in synthesis and in ``lec``'s gold steps alike, so both sides name the
register the same way (``cpuregs_rdreg_0_q``). Names only: the logic is unchanged.
"""

from __future__ import annotations

import re


def public_name(private: str) -> str:
    """The public Yosys name for a private one: ``$\\cpuregs$rdreg[0]$q`` -> ``\\cpuregs_rdreg_0_q``
    (runs of characters other than letters, digits and ``_`` become one ``_``)."""
    bare = re.sub(r"\W+", "_", private).strip("_") or "reg"
    return "\\" + (f"reg_{bare}" if bare[0].isdigit() else bare)


def name_registers(design) -> None:
    """Worker action: rename every private wire a flip-flop's ``Q`` drives in the design's modules
    (blackboxes excepted) to :func:`public_name` of it, with ``_<n>`` added if that name is taken."""
    from pyosys import libyosys as ys

    for module in design.modules_.values():
        if module.get_blackbox_attribute():
            continue
        private = set()
        for cell in module.cells_.values():
            if cell.is_builtin_ff() and cell.hasPort(ys.IdString("\\Q")):
                for bit in cell.getPort(ys.IdString("\\Q")).to_sigbit_vector():
                    if bit.wire is not None and not bit.wire.name.isPublic():
                        private.add(bit.wire.name.str())
        for name in sorted(private):
            base = new = public_name(name)
            suffix = 0
            while module.wire(ys.IdString(new)) is not None:
                suffix += 1
                new = f"{base}_{suffix}"
            module.rename(module.wire(ys.IdString(name)), ys.IdString(new))
