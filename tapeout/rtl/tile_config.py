"""The tile a design file configures: its [tensor_core], [tile_buffer] and [crossbar] sections as the
TensorTile's constructor parameters (the rtl stage builds it; verify and gls simulate it)."""

from __future__ import annotations

from tapeout.flow.config import DesignConfig


def tile_parameters(config: DesignConfig) -> dict:
    """TensorTile parameters from the design's [tensor_core], [tile_buffer] and [crossbar] sections."""
    core, buf, xbar = config.tensor_core, config.tile_buffer, config.crossbar
    return {
        "rows": core.rows, "cols": core.cols, "in_width": core.in_width, "acc_width": core.acc_width,
        "dataflow": core.dataflow, "banks": buf.banks, "depth": buf.depth, "width": buf.width,
        "ports": xbar.ports, "xbar_width": xbar.width, "arbitration": xbar.arbitration,
    }
