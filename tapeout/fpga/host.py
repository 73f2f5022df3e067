"""Run a GEMM on a board over its USB-serial port and check it against numpy.

The board must carry the bitstream of the same board design file (the host needs its tile
shape and baud rate). The byte protocol is :mod:`tapeout.fpga.protocol`.
"""

from __future__ import annotations

import numpy as np

from tapeout.errors import TapeoutError
from tapeout.fpga.protocol import GemmPlan, TileShape, check_gemm, random_operands

DEFAULT_TIMEOUT_S = 2.0


class BoardTimeoutError(TapeoutError):
    """The board did not answer in time (wrong port, wrong bitstream or baud rate)."""


def run_gemm(port, m: int, k: int, n: int, seed: int, *, shape: TileShape, baud: int = 115200,
             timeout_s: float = DEFAULT_TIMEOUT_S):
    """Send random ``A (m x k)`` and ``B (k x n)`` to the board, read back C, compare with numpy.

    Parameters
    ----------
    port : str or serial-like object
        A serial device name (``/dev/ttyUSB1``) opened with pyserial at ``baud``, or an
        already open object with ``write(bytes)``, ``read(n) -> bytes`` and
        ``reset_input_buffer()`` (a `serial.Serial`, or a model of the board in tests).
    m, k, n : int
        GEMM shape; sizes the tile cannot take are refused before anything is sent.
    seed : int
        Seed of the random operands (signed, full ``in_width`` range).
    shape : TileShape
        The tile on the board (`tapeout.fpga.board_design.BoardDesign.shape`).
    baud : int
        UART baud rate (bit/s), when ``port`` is a device name.
    timeout_s : float
        Longest wait for one answer (s).

    Returns
    -------
    (bool, numpy.ndarray)
        Whether C matches numpy's (wrapped to ``acc_width``), and C as the board computed it.

    Raises
    ------
    ValueError
        The GEMM does not fit the tile (the message names the limit).
    BoardTimeoutError
        An answer was incomplete after ``timeout_s``.
    """
    check_gemm(shape, m, k, n)  # refuse before drawing numbers or opening the port
    a, b = random_operands(m, k, n, shape, seed)
    plan = GemmPlan(a, b, shape)
    if isinstance(port, str):
        import serial
        with serial.Serial(port, baudrate=baud, timeout=timeout_s) as device:
            c = _run_plan(device, plan)
    else:
        c = _run_plan(port, plan)
    return bool(np.array_equal(c, plan.expected(a, b))), c


def _run_plan(device, plan: GemmPlan) -> np.ndarray:
    """Send each tile job, read its answer, assemble C."""
    device.reset_input_buffer()
    blocks = []
    for index, job in enumerate(plan.jobs):
        device.write(job.request)
        answer = device.read(job.answer_bytes)
        if len(answer) != job.answer_bytes:
            raise BoardTimeoutError(f"board answered {len(answer)} of {job.answer_bytes} bytes "
                                    f"for tile {index + 1}/{len(plan.jobs)}; check the port, the "
                                    f"bitstream and the baud rate")
        blocks.append(plan.decode_answer(job, answer))
    return plan.assemble(blocks)
