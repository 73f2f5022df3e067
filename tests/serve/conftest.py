import pytest

from tapeout.serve.chip import ServingChip


@pytest.fixture
def h100():
    """NVIDIA H100 SXM from its datasheet: 1,979 dense FP8/INT8 TFLOPS (989 FP16), 80 GB HBM3 at
    3.35 TB/s, 50 MB L2, NVLink 4 at 900 GB/s; one switch hop 2 us (seed)."""
    return ServingChip("H100 SXM", 1979e12, 8, 3.35e12, 80e9, 50 * 2 ** 20, 900e9, 2e-6)
