"""VPR's adaptive annealing schedule (Betz & Rose, "VPR: A new packing, placement and
routing tool for FPGA research", FPL 1997; VPR 8 ``update_t``/``update_rlim``).

- Start temperature: ``factor`` times the standard deviation of the cost deltas of
  random moves, all accepted (factor 20 in VPR).
- Moves per temperature: ``inner_num * N ** (4/3)`` for N movable cells.
- After each temperature, the temperature is multiplied by alpha from the acceptance
  rate (VPR's table), and the window by ``1 - 0.44 + acceptance`` so that the
  acceptance is steered toward 0.44, clamped to [window_min, window_max].
- Exit when ``T < epsilon * cost / n_nets``, or when the window is at its minimum and
  almost nothing is accepted any more.
"""

from dataclasses import dataclass

__all__ = ["AnnealSchedule", "moves_per_temperature", "alpha"]

TARGET_ACCEPTANCE = 0.44


def moves_per_temperature(n_movable, inner_num=1.0):
    """VPR's move budget per temperature: ``inner_num * n_movable ** (4/3)``."""
    if inner_num <= 0:
        raise ValueError(f"inner_num must be positive, not {inner_num!r}")
    return max(1, int(round(inner_num * max(n_movable, 1) ** (4.0 / 3.0))))


def alpha(acceptance, window, window_min):
    """VPR's temperature factor for an acceptance rate in [0, 1]."""
    if acceptance > 0.96:
        return 0.5
    if acceptance > 0.8:
        return 0.9
    if acceptance > 0.15 or window > window_min:
        return 0.95
    return 0.8


@dataclass
class AnnealSchedule:
    """Temperature and move window (um) of an anneal, updated once per temperature.

    Parameters
    ----------
    temperature : float
        Current temperature, in cost units (um of weighted wirelength).
    window : float
        Current move window half-size, um.
    window_min, window_max : float
        Window bounds, um (one slot pitch and the core size, typically).
    epsilon : float
        Exit when ``temperature < epsilon * cost / n_nets`` (VPR: 0.005).
    frozen_acceptance : float
        Exit when the window is at its minimum and the acceptance is below this.
    """

    temperature: float
    window: float
    window_min: float
    window_max: float
    epsilon: float = 0.005
    frozen_acceptance: float = 0.005

    def __post_init__(self):
        if not self.temperature >= 0:
            raise ValueError(f"temperature must be non-negative, not {self.temperature!r}")
        if not 0 < self.window_min <= self.window_max:
            raise ValueError(f"window_min must be positive and at most window_max, "
                             f"not {self.window_min!r}")
        self.window = min(max(self.window, self.window_min), self.window_max)

    @staticmethod
    def starting_temperature(delta_std, factor=20.0):
        """VPR's start temperature from the std of random-move cost deltas."""
        return factor * delta_std

    def update(self, acceptance):
        """Cool by VPR's alpha and steer the window toward 44 % acceptance."""
        self.temperature *= alpha(acceptance, self.window, self.window_min)
        self.window *= 1.0 - TARGET_ACCEPTANCE + acceptance
        self.window = min(max(self.window, self.window_min), self.window_max)

    def frozen(self, cost, n_nets, acceptance):
        """True when annealing further would not change the placement."""
        if self.temperature < self.epsilon * cost / max(n_nets, 1):
            return True
        return self.window <= self.window_min and acceptance < self.frozen_acceptance
