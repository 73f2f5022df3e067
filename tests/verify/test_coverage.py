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


def test_bins_scale_with_the_block_parameters():
    tile = coverage.block_points("tensor_tile", {"ports": 5, "banks": 3})
    assert tile["tensor_tile.backpressure"] == ("link_in0", "link_in1", "link_in2", "link_in3",
                                                "link_out0", "link_out1", "link_out2", "link_out3")
    assert tile["tensor_tile.bank"] == ("compute0", "compute1", "compute2")
    assert len(coverage.block_points("crossbar", {"ports": 6})["crossbar.route"]) == 36
    assert len(coverage.block_points("tile_buffer", {"banks": 3, "depth": 4})["tile_buffer.read_address"]) == 12
    with pytest.raises(ValueError, match=r"^block must be one of 'systolic_array', "):
        coverage.block_points("alu", {})


def test_a_testbench_samples_the_bins_of_its_own_parameters(monkeypatch):
    from tapeout.verify.bench import tb_environment
    monkeypatch.setenv(*next(iter(tb_environment("tensor_tile", {"ports": 5, "banks": 3}, 1, 1, None).items())))
    coverage.sample("tensor_tile.backpressure", "link_out3")
    with pytest.raises(ValueError, match=r"^tensor_tile.bank: no bin named 'compute3'$"):
        coverage.sample("tensor_tile.bank", "compute3")
