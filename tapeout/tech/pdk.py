"""Where a PDK's files are: a PDK root laid out as open_pdks installs it (the layout OpenLane, ORFS,
`ciel` and `volare` use), found through `[technology] pdk_root` or the `PDK_ROOT` environment variable.

Missing roots or files are one-line configuration errors naming the file looked for and how to get it.
"""

from __future__ import annotations

import os
from pathlib import Path

from tapeout.errors import ConfigError

INSTALL_HINT = ("install the SKY130 PDK as OpenLane users do (`pip install ciel`, then "
                "`ciel enable --pdk-family sky130 <version>`, or `volare`) and set PDK_ROOT or "
                "[technology] pdk_root")


def pdk_root(configured: str = "", base: Path | None = None) -> Path:
    """The PDK root: `configured` (relative to `base`, the design file's folder) or $PDK_ROOT."""
    text = configured or os.environ.get("PDK_ROOT", "")
    if not text:
        raise ConfigError(f"no PDK root: neither [technology] pdk_root nor PDK_ROOT is set; {INSTALL_HINT}")
    root = Path(text).expanduser()
    if not root.is_absolute() and base is not None and configured:
        root = base / root
    if not root.is_dir():
        raise ConfigError(f"PDK root {root} is not a directory; {INSTALL_HINT}")
    return root


def pdk_file(root: Path, relative: str) -> Path:
    """`root/relative`, or a ConfigError naming it."""
    path = root / relative
    if not path.is_file():
        raise ConfigError(f"PDK file not found: {path}; {INSTALL_HINT}")
    return path
