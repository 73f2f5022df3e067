import pytest

from tapeout.package.roofline import Roofline, gemv_intensity


def test_gemv_intensity_is_about_two_ops_per_byte():
    # 2 x 8192^2 ops over 8192^2 weight bytes + 8192 input bytes + 4 x 8192 output bytes.
    n = 8192
    assert gemv_intensity() == pytest.approx(2 * n * n / (n * n + 5 * n))
    assert gemv_intensity() == pytest.approx(1.99878, abs=1e-5)
    # A tiny GEMV is dominated by its vectors: 2*4 ops / (4 + 2 + 8) bytes.
    assert gemv_intensity(2, 2) == pytest.approx(8 / 14)


def test_knee_and_decode():
    roof = Roofline(peak=1979.0, bandwidth=3.35)
    assert roof.knee_ops_per_byte == pytest.approx(590.75, abs=0.01)
    assert roof.attainable(2.0) == pytest.approx(6.7)
    assert roof.fraction_of_peak(2.0) == pytest.approx(6.7 / 1979.0)
    assert roof.attainable(1e6) == 1979.0
    assert Roofline(10.0, 0.0).knee_ops_per_byte == float("inf")


def test_bad_gemv():
    with pytest.raises(ValueError, match=r"^rows must be a positive integer, not 0$"):
        gemv_intensity(0, 4)
