"""Golden (numpy) models of the RTL blocks, shared by the Amaranth and cocotb testbenches.

- :func:`wrap`, :func:`gemm`: signed integer GEMM with ``acc_width`` wraparound.
- :func:`os_tiles` / :func:`assemble_os`, :func:`ws_tiles` / :func:`assemble_ws`:
  fold a GEMM of any shape into array tiles (ragged edges zero-padded) and back.
- :class:`CrossbarScoreboard`: checks the crossbar's four guarantees.
"""

from collections import defaultdict

import numpy as np


def wrap(values, width):
    """Wrap integers to signed two's complement ``width`` bits (int64 when ``width <= 64``)."""
    half = 1 << (width - 1)
    wrapped = (np.asarray(values, dtype=object) + half) % (2 * half) - half
    wrapped = np.asarray(wrapped, dtype=object)
    return wrapped.astype(np.int64) if width <= 64 else wrapped


def gemm(a, b, acc_width=32):
    """``a @ b`` on signed integers, wrapped modulo ``2**acc_width`` like the accumulators.

    Computed exactly with Python integers, then wrapped, so any K is safe.
    """
    a = np.asarray(a, dtype=object)
    b = np.asarray(b, dtype=object)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0]:
        raise ValueError(f"gemm needs (M x K) @ (K x N) matrices, not {a.shape} @ {b.shape}")
    return wrap(a.dot(b), acc_width)


def _pad(block, shape):
    padded = np.zeros(shape, dtype=np.int64)
    padded[:block.shape[0], :block.shape[1]] = block
    return padded


def os_tiles(a, b, rows, cols):
    """Fold ``A (M x K) @ B (K x N)`` into output-stationary tiles.

    Returns a list of ``(i0, j0, a_tile (rows x K), b_tile (K x cols))``, row-major
    over C; ragged edges are zero-padded.
    """
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    (m, k), n = a.shape, b.shape[1]
    return [(i0, j0, _pad(a[i0:i0 + rows], (rows, k)), _pad(b[:, j0:j0 + cols], (k, cols)))
            for i0 in range(0, m, rows) for j0 in range(0, n, cols)]


def assemble_os(tiles, results, shape):
    """Place the ``rows x cols`` tile results of :func:`os_tiles` into C of ``shape``."""
    c = np.zeros(shape, dtype=np.int64)
    for (i0, j0, _, _), result in zip(tiles, results):
        block = c[i0:i0 + result.shape[0], j0:j0 + result.shape[1]]
        block[...] = result[:block.shape[0], :block.shape[1]]
    return c


def ws_tiles(a, b, rows, cols):
    """Fold ``A (M x K) @ B (K x N)`` into weight-stationary tiles.

    Returns a list of ``(k0, j0, a_tile (M x rows), b_tile (rows x cols))``: the
    weights are a ``rows x cols`` block of B, the activations the matching ``rows``
    columns of A (zero-padded). Partial sums over ``k0`` are added by
    :func:`assemble_ws`.
    """
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    (m, k), n = a.shape, b.shape[1]
    return [(k0, j0, _pad(a[:, k0:k0 + rows], (m, rows)), _pad(b[k0:k0 + rows, j0:j0 + cols], (rows, cols)))
            for j0 in range(0, n, cols) for k0 in range(0, k, rows)]


def assemble_ws(tiles, results, shape, acc_width=32):
    """Sum the ``M x cols`` partial results of :func:`ws_tiles` into C of ``shape``."""
    c = np.zeros(shape, dtype=object)
    for (_, j0, _, _), result in zip(tiles, results):
        width = min(result.shape[1], shape[1] - j0)
        c[:, j0:j0 + width] += np.asarray(result[:, :width], dtype=object)
    return wrap(c, acc_width)


class CrossbarScoreboard:
    """Check a crossbar against its four guarantees.

    Drivers report each packet when its first beat is offered (:meth:`offer`) and
    each beat seen on an output (:meth:`receive`); :meth:`check` returns the list of
    violations (empty when all guarantees hold):

    - no loss: every offered packet arrives, at its destination;
    - no duplication: no packet arrives twice or with extra beats;
    - in order per (source, destination);
    - no interleaving on an output and no starvation: a packet waiting for an
      output is granted within ``ports - 1`` other packets on that output.

    Packets are identified by their payload tuple, which the driver keeps unique.
    """

    def __init__(self, ports):
        self.ports = ports
        self.sent = defaultdict(list)       # (src, dst) -> [payload tuple, ...]
        self.offered_at = {}                 # (src, payload) -> cycle the head was offered
        self.received = defaultdict(list)   # (src, dst) -> [payload tuple, ...]
        self.grants = defaultdict(list)     # dst -> [(cycle, src, payload), ...]
        self._open = {}                      # dst -> (src, [beats]) of the packet in flight
        self.errors = []

    def offer(self, cycle, src, dst, beats):
        """A packet ``beats`` (tuple of ints) from ``src`` to ``dst`` is offered at ``cycle``."""
        beats = tuple(beats)
        self.sent[(src, dst)].append(beats)
        self.offered_at[(src, beats)] = cycle

    def receive(self, cycle, dst, src, beat, last):
        """Output ``dst`` delivered ``beat`` from ``src`` at ``cycle``."""
        if dst in self._open:
            open_src, beats = self._open[dst]
            if open_src != src:
                self.errors.append(f"cycle {cycle}: output {dst} interleaved source {src} "
                                   f"into a packet from source {open_src}")
                return
        else:
            beats = []
            self._open[dst] = (src, beats)
        beats.append(beat)
        if last:
            del self._open[dst]
            self.received[(src, dst)].append(tuple(beats))
            self.grants[dst].append((cycle - len(beats) + 1, src, tuple(beats)))

    def check(self):
        """Return the list of violated guarantees (strings); empty if all hold."""
        errors = list(self.errors)
        for dst, (src, beats) in self._open.items():
            errors.append(f"output {dst}: packet from source {src} never ended ({len(beats)} beats)")
        for key in sorted(set(self.sent) | set(self.received)):
            sent, received = self.sent.get(key, []), self.received.get(key, [])
            if len(received) < len(sent):
                errors.append(f"source {key[0]} -> output {key[1]}: {len(sent) - len(received)} "
                              f"of {len(sent)} packets lost")
            elif len(received) > len(sent):
                errors.append(f"source {key[0]} -> output {key[1]}: {len(received) - len(sent)} "
                              f"packets duplicated")
            elif received != sent:
                errors.append(f"source {key[0]} -> output {key[1]}: packets out of order or corrupted")
        for dst, grants in self.grants.items():
            for index, (_cycle, src, beats) in enumerate(grants):
                offered = self.offered_at.get((src, beats))
                if offered is None:
                    continue
                overtaken = sum(1 for other_cycle, other_src, _ in grants[:index]
                                if other_cycle >= offered and other_src != src)
                if overtaken > self.ports - 1:
                    errors.append(f"output {dst}: source {src} waited {overtaken} packets "
                                  f"(more than ports - 1 = {self.ports - 1})")
        return errors
