import pytest

from tapeout.verify import coverage


def test_every_block_has_backpressure_bins():
    for block in ("systolic_array", "systolic_array_ws", "crossbar", "tensor_tile"):
        assert f"{block}.backpressure" in coverage.COVER_POINTS
    assert coverage.COVER_POINTS["crossbar.contention"] == ("1", "2", "3", "4")
    assert len(coverage.COVER_POINTS["crossbar.route"]) == 16


def test_sample_rejects_unknown_points_and_bins():
    with pytest.raises(ValueError, match=r"^point must be one of the cover points, not 'alu.x'$"):
        coverage.sample("alu.x", "a")
    with pytest.raises(ValueError, match=r"^crossbar.contention: no bin named '5'$"):
        coverage.sample("crossbar.contention", "5")


def test_export_merge_and_report(tmp_path):
    coverage.sample("crossbar.contention", "4")
    coverage.sample("crossbar.contention", "4", "1")
    coverage.export(tmp_path / "a.yml")
    coverage.export(tmp_path / "b.yml")
    merged = coverage.merge([tmp_path / "a.yml", tmp_path / "b.yml"])
    assert merged["crossbar.contention"] == {"1": 2, "2": 0, "3": 0, "4": 4}
    assert coverage.ratio(merged, ["crossbar.contention"]) == 0.5
    report = coverage.write_report({"crossbar.contention": merged["crossbar.contention"]}, tmp_path)
    text = report["txt"].read_text().splitlines()
    assert text[0] == "functional coverage: 50.0% of 4 bins"
    assert "  MISS 2" in text[3] and text[5].startswith("  HIT  4")
    assert report["ratio"] == 0.5
