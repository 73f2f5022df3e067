import pytest

from tapeout.package.hbm import HbmMemory, hbm_generation


def test_h100_memory_from_the_seed():
    # seed: 5 x HBM3 8-high = 80 GB at 3.35 TB/s; 1024 bits x 5.23 Gb/s / 8 = 669.44 GB/s per stack.
    m = HbmMemory(hbm_generation("HBM3"), 5, 8, 5.23)
    assert m.stack_capacity_gb == 16
    assert m.stack_bandwidth_gbps == pytest.approx(669.44)
    assert m.capacity_gb == 80
    assert m.bandwidth_tbps == pytest.approx(3.3472)


def test_generation_maxima():
    # JESD238 HBM3 6.4 Gb/s x 1024 = 819.2 GB/s; HBM4 8 Gb/s x 2048 = 2.048 TB/s per stack.
    hbm3 = hbm_generation("hbm3")
    assert HbmMemory(hbm3, 1, 8, hbm3.max_pin_rate_gbps).stack_bandwidth_gbps == pytest.approx(819.2)
    hbm4 = hbm_generation("HBM4")
    assert HbmMemory(hbm4, 1, 12, 8.0).bandwidth_tbps == pytest.approx(2.048)
    assert HbmMemory(hbm4, 1, 12, 8.0).capacity_gb == 36
    assert HbmMemory(hbm_generation("HBM3E"), 8, 8, 9.6).capacity_gb == 192


def test_bad_inputs():
    with pytest.raises(ValueError, match=r"^hbm_generation must be one of HBM3, HBM3E, HBM4, "
                                         r"not 'HBM2'$"):
        hbm_generation("HBM2")
    with pytest.raises(ValueError, match=r"^pin_rate_gbps must be above 0 and at most 6.4 for "
                                         r"HBM3, not 8.0$"):
        HbmMemory(hbm_generation("HBM3"), 5, 8, 8.0)
    with pytest.raises(ValueError, match=r"^height must be an integer from 1 to 16, not 20$"):
        HbmMemory(hbm_generation("HBM3"), 5, 20, 5.0)
    with pytest.raises(ValueError, match=r"^stacks must be a non-negative integer, not -1$"):
        HbmMemory(hbm_generation("HBM3"), -1, 8, 5.0)
