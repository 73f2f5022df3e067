"""Silence Amaranth's UnusedElaboratable warnings for the components the rtl tests build
only to check their constructor errors or signatures (the warning fires when such an
object is garbage-collected, possibly during a later test of this folder)."""

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.filterwarnings("ignore::amaranth.hdl.UnusedElaboratable"))
