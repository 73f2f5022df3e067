"""The built-in tile's gate-level run: which of its testbench's tests (``[verify] gls_tests``), how many
random GEMMs (``gls_gemms``) and how large a K (``gls_max_k``): the tile's configured parameters with
small GEMMs, so that the 30,000-cell netlists simulate in seconds (the RTL regression runs full sizes)."""

from __future__ import annotations

from tapeout.errors import TapeoutError

TILE_TESTBENCH = "tapeout.verify.tb_tensor_tile"


class GateLevelTestError(TapeoutError):
    """A ``[verify] gls_tests`` name the tile's testbench does not have."""


def tile_run(config) -> tuple[dict, list[str], int]:
    """``(testbench parameters, test names, effort)`` of the tile's gate-level run; GateLevelTestError
    naming the first test the testbench does not have."""
    from tapeout.rtl.tile_config import tile_parameters
    from tapeout.verify.regression import block_tests

    settings = config.verify
    known = block_tests("tensor_tile")
    for name in settings.gls_tests:
        if name not in known:
            raise GateLevelTestError(f"{config.path}: [verify] gls_tests names {name!r}, but the tile's "
                                     f"testbench has no such test (it has {', '.join(known)})")
    return {**tile_parameters(config), "max_k": settings.gls_max_k}, list(settings.gls_tests), settings.gls_gemms
