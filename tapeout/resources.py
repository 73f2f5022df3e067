"""Data files shipped inside the tapeout package: Liberty and LEF, formal property files, the list of
reviewed equivalent mutants, the built-in designs and the `tapeout init` templates.

They are found through `importlib.resources`, so they are read from wherever tapeout is installed (a
wheel unpacked in site-packages, or the source tree of an editable install), never relative to the
working directory. Every call names its package and file as literal strings: a test walks the package
for these calls and checks that the wheel holds each file they name.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from tapeout.errors import TapeoutError


def package_path(package: str, name: str) -> Path:
    """The file or folder `name` ('/'-separated, e.g. ``"data/tap130.lib"``; ``""`` for the package's own
    folder) of tapeout package `package` (e.g. ``"tapeout.tech"``) as a path on disk: Yosys, SymbiYosys
    and KLayout open files by name."""
    resource = files(package).joinpath(*name.split("/"))
    if not isinstance(resource, Path):
        raise TapeoutError(f"{package}: {name} is not a file on disk ({type(resource).__name__}); "
                           "install tapeout unpacked, as pip does")
    return resource
