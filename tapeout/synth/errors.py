"""The error synthesis raises: one line naming the file, line or cell at fault."""

from tapeout.errors import TapeoutError


class SynthError(TapeoutError):
    """Synthesis failed on the design (bad Verilog, latch, loop, unmapped cell, ...).

    The message is a single line, e.g. ``adder.v:3: syntax error, unexpected TOK_ENDMODULE``.
    """
