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
    wafer = data["wafer"]
    assert set(wafer["die_yield_by_model"]) == {"poisson", "murphy", "negative_binomial"}
    assert wafer["die_yield"] == wafer["die_yield_by_model"]["negative_binomial"]   # the default
    # all three yields in the report's table, the one used marked; both gross-die counts
    for model in ("Poisson", "Murphy", "negative binomial"):
        assert model in report
    assert "alpha = 4 (used)" in report
    assert f"{wafer['dies_per_wafer_formula']:.1f} by the standard formula" in report
    assert f"{wafer['dies_per_wafer_grid']} by the best-offset grid count" in report


def test_report_marks_the_chosen_yield_model(tmp_path, tile):
    spec = PackageSpec(die_area_mm2=400.0, hbm_stacks=2, yield_model="murphy")
    run_package(spec, tile, tmp_path)
    report = (tmp_path / "package_report.md").read_text()
    assert "((1 - exp(-A D0)) / A D0)^2 (used)" in report
    data = json.loads((tmp_path / "package.json").read_text())
    assert data["wafer"]["die_yield"] == data["wafer"]["die_yield_by_model"]["murphy"]


def test_run_package_is_deterministic(tmp_path, tile):
    spec = PackageSpec(die_area_mm2=400.0, hbm_stacks=2)
    assert run_package(spec, tile, tmp_path / "a") == run_package(spec, tile, tmp_path / "b")
    for name in ("package.json", "package_report.md", "package.svg"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_without_drawing_the_same_figures_and_no_pictures(tmp_path, tile):
    spec = PackageSpec(die_area_mm2=400.0, hbm_stacks=2)
    assert run_package(spec, tile, tmp_path / "a") == run_package(spec, tile, tmp_path / "b", draw=False)
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == ["package.json", "package_report.md"]
    for name in ("package.json", "package_report.md"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
