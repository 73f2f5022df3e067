"""Prove the outputs of a combinational miter constant 0 with ABC's SAT sweeping (``&fraig``).

The miter (:mod:`tapeout.verify.lec.miter`) has one output per equivalence point, the XOR of the two
sides. ``&fraig`` merges every pair of AIG nodes it proves equal (simulation proposes candidates, SAT
proves them; a multiplier's internal equalities make the two sides' cones collapse into one), so an
output whose XOR was proven constant is written as literal 0. Any other output is not proven here
(disproved, or over the conflict limit) and is left to ``equiv_simple``. ABC is the ``yosys-abc``
executable that the ``pyosys`` wheel ships beside libyosys.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

SCRIPT = "&r {miter}; &fraig; &w {swept}"
"""ABC commands: read the AIGER miter, SAT-sweep it, write the swept AIG (outputs in the same order)."""


class AbcError(Exception):
    """ABC is missing, failed, or wrote an AIG that does not match the miter; one line."""


def abc_executable() -> Path:
    """The ``yosys-abc`` binary of the installed ``pyosys`` wheel."""
    import pyosys

    path = Path(pyosys.__file__).parent / "yosys-abc"
    if not path.is_file():
        raise AbcError(f"no yosys-abc beside pyosys ({path})")
    return path


def aiger_outputs(path: Path) -> list[int]:
    """The output literals of a binary AIGER file (``aig M I L O A`` header, then L latch lines, then O)."""
    with Path(path).open("rb") as aig:
        header = aig.readline().split()
        if len(header) < 6 or header[0] != b"aig":
            raise AbcError(f"{path}: not a binary AIGER file")
        latches, outputs = int(header[3]), int(header[4])
        for _ in range(latches):
            aig.readline()
        return [int(aig.readline().split()[0]) for _ in range(outputs)]


def proven_outputs(miter: Path, work_dir: Path) -> list[bool]:
    """For each output of ``miter`` (AIGER), whether ABC proved it constant 0; the log in ``abc.log``."""
    work_dir = Path(work_dir)
    swept = work_dir / "swept.aig"
    swept.unlink(missing_ok=True)
    script = SCRIPT.format(miter=Path(miter).resolve(), swept=swept.resolve())
    proc = subprocess.run([str(abc_executable()), "-c", script], capture_output=True, text=True)
    (work_dir / "abc.log").write_text(proc.stdout + proc.stderr)
    if proc.returncode != 0 or not swept.is_file():
        raise AbcError(f"yosys-abc failed with exit status {proc.returncode} (log: {work_dir / 'abc.log'})")
    before, after = aiger_outputs(miter), aiger_outputs(swept)
    if len(before) != len(after):
        raise AbcError(f"yosys-abc wrote {len(after)} outputs for a miter of {len(before)}")
    return [literal == 0 for literal in after]
