"""Operations placed on the roofline: time, bound, precision, derates."""

import pytest

from tapeout.serve.chip import ServingChip
from tapeout.serve.errors import ServeError
from tapeout.serve.operations import Operation
from tapeout.serve.roofline import IDEAL, Derates, place


def test_peak_at_precision(h100):
    assert h100.peak_at(8) == 1979e12
    assert h100.peak_at(16) == pytest.approx(989.5e12)    # FP16 dense: half the FP8 rate
    assert h100.peak_at(4) == 1979e12                     # narrower operands run at the native rate


def test_memory_and_compute_bound(h100):
    gemv = Operation("gemv", "gemm", 1, 2e9, 1e9)            # 2 FLOP/byte
    placed = place(gemv, h100, 16, IDEAL)
    assert placed.seconds == pytest.approx(1e9 / 3.35e12) and placed.bound == "memory"
    big = Operation("gemm", "gemm", 10, 1e15, 1e9)
    placed = place(big, h100, 16, Derates(0.5, 1.0))
    assert placed.seconds == pytest.approx(1e15 / (989.5e12 * 0.5)) and placed.bound == "compute"
    assert placed.total_s == pytest.approx(10 * placed.seconds)


def test_all_reduce_takes_a_hop_and_the_wire(h100):
    op = Operation("all_reduce", "all_reduce", 1, 0.0, 0.0, link_bytes=450e3)
    placed = place(op, h100, 16)
    assert placed.seconds == pytest.approx(2e-6 + 450e3 / 450e9) and placed.bound == "link"


def test_no_links_no_all_reduce():
    chip = ServingChip("lonely", 1e15, 8, 1e12, 1e10, 1e6)
    with pytest.raises(ServeError, match="lonely has no NVLink-like links for the all-reduce"):
        place(Operation("all_reduce", "all_reduce", 1, 0.0, 0.0, link_bytes=10.0), chip, 16)


@pytest.mark.parametrize("compute, bandwidth", [(0, 1), (1, 1.5), (True, 1)])
def test_bad_derates(compute, bandwidth):
    with pytest.raises(ServeError, match="utilisation must be a number above 0 and at most 1"):
        Derates(compute, bandwidth)


def test_chip_without_hbm_is_refused():
    with pytest.raises(ServeError, match="chip x: hbm_bandwidth must be positive, not 0"):
        ServingChip("x", 1e15, 8, 0, 1e10, 1e6)
