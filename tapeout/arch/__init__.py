"""Stage 1, architecture: the analytical model of the accelerator (peak, GEMM cycles, roofline)."""
