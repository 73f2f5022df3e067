"""A Python model of the board's command engine, to test the host side without hardware.

It follows the TensorTile docstring: LOAD_A / LOAD_B write the A / B field of buffer words,
COMPUTE (output-stationary) answers ``A (rows x K) @ B (K x cols)`` one element per beat.
"""

import numpy as np

from tapeout.fpga.protocol import Beat, decode_beats, encode_beat, to_signed
from tapeout.rtl.tensor_tile import OPCODE_COMPUTE, OPCODE_LOAD_A, OPCODE_LOAD_B


class BoardModel:
    """A serial-port stand-in: ``write`` takes host bytes, ``read`` returns the answers."""

    def __init__(self, shape, corrupt_answer=False):
        self.shape = shape
        self.a = np.zeros((shape.banks, shape.depth, shape.rows), dtype=np.int64)
        self.b = np.zeros((shape.banks, shape.depth, shape.cols), dtype=np.int64)
        self.pending = b""
        self.output = bytearray()
        self.corrupt_answer = corrupt_answer

    def reset_input_buffer(self):
        self.output.clear()

    def write(self, data):
        self.pending += data
        size = self.shape.beat_bytes
        whole = len(self.pending) - len(self.pending) % size
        beats, self.pending = decode_beats(self.pending[:whole], self.shape.xbar_width), self.pending[whole:]
        packet = []
        for beat in beats:
            packet.append(beat)
            if beat.last:
                self._execute(packet)
                packet = []

    def read(self, count):
        data, self.output = bytes(self.output[:count]), self.output[count:]
        return data

    def _elements(self, word, count):
        w = self.shape.in_width
        return [to_signed(word >> (i * w), w) for i in range(count)]

    def _execute(self, packet):
        word = packet[0].data
        opcode, bank, address, count = word & 0xF, word >> 4 & 0xF, word >> 8 & 0xFFF, word >> 20
        if opcode == OPCODE_LOAD_A:
            for i, beat in enumerate(packet[1:1 + count]):
                self.a[bank, address + i] = self._elements(beat.data, self.shape.rows)
        elif opcode == OPCODE_LOAD_B:
            for i, beat in enumerate(packet[1:1 + count]):
                self.b[bank, address + i] = self._elements(beat.data, self.shape.cols)
        elif opcode == OPCODE_COMPUTE:
            a = self.a[bank, address:address + count].T     # rows x K
            b = self.b[bank, address:address + count]       # K x cols
            c = (a @ b).ravel()
            if self.corrupt_answer:
                c[0] += 1
            mask = (1 << self.shape.acc_width) - 1
            for i, value in enumerate(c):
                self.output += encode_beat(Beat(0, i == len(c) - 1, int(value) & mask),
                                           self.shape.xbar_width)
