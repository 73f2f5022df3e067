"""A seeded xorshift64* generator for compiled kernels (Vigna, "An experiment with
Marsaglia's xorshift generators", 2014): fast, and the same stream for the same seed.

The state is a one-element ``uint64`` array the kernels update in place.
"""

import numpy as np
from numba import njit

__all__ = ["new_state", "next_u64", "uniform", "below"]

_MULTIPLIER = np.uint64(0x2545F4914F6CDD1D)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


def new_state(rng):
    """Seed a kernel state from a ``numpy.random.Generator`` (never zero)."""
    return np.array([rng.integers(1, 2**63 - 1)], dtype=np.uint64)


@njit(cache=True)
def next_u64(state):
    """Advance the state and return 64 random bits."""
    s = state[0]
    s ^= s >> np.uint64(12)
    s ^= s << np.uint64(25)
    s ^= s >> np.uint64(27)
    state[0] = s
    return s * _MULTIPLIER


@njit(cache=True)
def uniform(state):
    """A float uniform in [0, 1)."""
    return np.float64(next_u64(state) >> np.uint64(11)) * _TO_UNIT


@njit(cache=True)
def below(state, n):
    """An integer uniform in [0, n) for 0 < n < 2**32 (Lemire's multiply-shift, no
    division; bias below n / 2**32)."""
    return np.int64(((next_u64(state) >> np.uint64(32)) * np.uint64(n)) >> np.uint64(32))
