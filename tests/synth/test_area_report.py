"""Parsing Yosys's hierarchical ``stat -json``."""

import json

import pytest

from tapeout.synth.area_report import BlockArea, block_name, read_area_report


def _entry(count, area, local_count, local_area):
    return {"count": str(count), "area": f"{area:.6f}", "local_count": str(local_count),
            "local_area": f"{local_area:.6f}"}


def _stat(path):
    """top: 2 x mid + 1 INV; mid: 3 x leaf; leaf: 2 NAND2 (area 4 each)."""
    leaf = {"num_cells": _entry(2, 8, 2, 8), "sequential_area": _entry(0, 0, 0, 0),
            "num_cells_by_type": {"NAND2": _entry(2, 8, 2, 8)}, "num_submodules_by_type": {}}
    mid = {"num_cells": _entry(6, 24, 0, 0), "sequential_area": _entry(0, 0, 0, 0),
           "num_cells_by_type": {"NAND2": _entry(6, 24, 0, 0)},
           "num_submodules_by_type": {"leaf": _entry(3, 24, 0, 0)}}
    top = {"num_cells": _entry(13, 51, 1, 3), "sequential_area": _entry(0, 0, 0, 0),
           "num_cells_by_type": {"INV": _entry(1, 3, 1, 3), "NAND2": _entry(12, 48, 0, 0)},
           "num_submodules_by_type": {"mid": _entry(2, 48, 0, 0)}}
    design = dict(top, sequential_area=_entry(0, 0, 0, 0))
    path.write_text(json.dumps({"modules": {"\\top": top, "\\mid": mid, "\\leaf": leaf}, "design": design}))
    return path


def test_totals_and_types(tmp_path):
    report = read_area_report(_stat(tmp_path / "stat.json"), "top")
    assert report.area_um2 == 51.0
    assert report.cells_by_type == {"INV": 1, "NAND2": 12}
    assert report.cells == 13


def test_instances_multiply_down_the_hierarchy(tmp_path):
    modules = read_area_report(_stat(tmp_path / "stat.json"), "top").modules
    assert {name: m.instances for name, m in modules.items()} == {"top": 1, "mid": 2, "leaf": 6}
    assert modules["mid"].area_um2 == pytest.approx(24.0)
    assert modules["top"].local_area_um2 == pytest.approx(3.0)
    assert modules["leaf"].cells == 2


def test_module_outside_the_top_has_no_instances(tmp_path):
    modules = read_area_report(_stat(tmp_path / "stat.json"), "mid").modules
    assert modules["top"].instances == 0 and modules["leaf"].instances == 3


def test_block_name_strips_path_and_indices():
    assert block_name("tile.array.pe_0_3") == "pe"
    assert block_name("tile.buffer") == "buffer"
    assert block_name("mac") == "mac"
    assert block_name("x.bank_12") == "bank"


def test_blocks_sum_over_instances(tmp_path):
    blocks = read_area_report(_stat(tmp_path / "stat.json"), "top").blocks
    assert blocks == {"leaf": BlockArea(48.0, 6), "mid": BlockArea(48.0, 2), "top": BlockArea(51.0, 1)}
