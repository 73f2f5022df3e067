"""Versioned NPZ hand-off files: named numpy arrays plus a kind and a format version, never pickles.

`save_arrays(path, kind, version, **arrays)` writes them; `load_arrays(path, kind, version)` reads them
back with `allow_pickle=False` (object arrays are refused, so loading runs no code) and raises
`HandoffError` with one line when the file is missing, damaged, of another kind or of another version
(then the message says to rerun with --force).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from tapeout.pnr.errors import FormatError


class HandoffError(FormatError):
    """A hand-off file that cannot be used: missing, damaged, of another kind or version."""


def save_arrays(path: Path, kind: str, version: int, **arrays) -> None:
    """Write `arrays` to `path` (.npz) with their kind and format version."""
    with Path(path).open("wb") as fh:
        np.savez(fh, _kind=np.array(kind), _version=np.array(version, dtype=np.int64),
                 **{k: np.asarray(v) for k, v in arrays.items()})


def load_arrays(path: Path, kind: str, version: int) -> dict[str, np.ndarray]:
    """The arrays of a hand-off file written by `save_arrays` with this kind and version."""
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except FileNotFoundError:
        raise HandoffError(f"{path}: no such file") from None
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise HandoffError(f"{path}: not a readable {kind} file ({exc})") from None
    found_kind = str(arrays.pop("_kind", ""))
    found_version = int(arrays.pop("_version", -1))
    if found_kind != kind:
        raise HandoffError(f"{path}: not a {kind} file (it holds {found_kind or 'no kind'})")
    if found_version != version:
        raise HandoffError(f"{path}: {kind} format {found_version}, this tapeout reads {version}; "
                           "it was written by another version: rerun with --force")
    return arrays
