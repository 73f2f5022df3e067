import json

from tapeout.package.run import OUTPUT_FILES, run_package
from tapeout.package.spec import PackageSpec


def test_run_package_writes_outputs(tmp_path, tile):
    spec = PackageSpec(dies=2, die_area_mm2=600.0, sram_mb=32, hbm_generation="HBM3E",
                       hbm_stacks=4, interposer="cowos-l")
    metrics = run_package(spec, tile, tmp_path / "out")
    for name in OUTPUT_FILES:
        assert (tmp_path / "out" / name).stat().st_size > 0, name
    data = json.loads((tmp_path / "out" / "package.json").read_text())
    assert data["metrics"] == metrics
    assert data["die"]["tiles"] > 0
    assert len(data["interposer"]["placements"]) == 2 + 4
    report = (tmp_path / "out" / "package_report.md").read_text()
    assert "per good package" in report and "below the knee" in report


def test_run_package_is_deterministic(tmp_path, tile):
    spec = PackageSpec(die_area_mm2=400.0, hbm_stacks=2)
    assert run_package(spec, tile, tmp_path / "a") == run_package(spec, tile, tmp_path / "b")
    for name in ("package.json", "package_report.md", "package.svg"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
