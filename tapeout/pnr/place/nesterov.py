"""Nesterov's accelerated gradient method with a Lipschitz step estimate and backtracking, as
ePlace uses it (Lu et al., ACM TODAES 2015, Algorithm 2).

With major solutions ``u``, reference solutions ``v`` and ``a_0 = 1``::

    u[k+1] = clip(v[k] - alpha[k] g(v[k]))
    a[k+1] = (1 + sqrt(4 a[k]^2 + 1)) / 2
    v[k+1] = clip(u[k+1] + (a[k] - 1) (u[k+1] - u[k]) / a[k+1])

The step ``alpha`` is the inverse of a local Lipschitz constant of the gradient,
``|v[k] - v[k-1]| / |g(v[k]) - g(v[k-1])|``. After a step the estimate at the new point is taken
again; when it is below 0.95 of the step just used, the step is redone with it (backtracking).
``g`` may be a preconditioned gradient; ``clip`` keeps every variable within its bounds.
"""

import numpy as np

__all__ = ["Nesterov"]

BACKTRACK_RATIO = 0.95


def _norm(a):
    """Euclidean norm without BLAS (whose threads only fight over a shared machine's cores)."""
    return float(np.sqrt(np.sum(a * a)))


class Nesterov:
    """Minimise with Nesterov's method; one `step` per iteration.

    Parameters
    ----------
    start : array of float
        The first solution.
    gradient : callable(array) -> array
        The (preconditioned) gradient at a point, same shape.
    lower, upper : array of float
        Bounds of every variable.
    first_step : float
        The probe distance for the first Lipschitz estimate, in the variables' units.
    max_backtracks : int
        Step retries per iteration at most.
    """

    def __init__(self, start, gradient, lower, upper, first_step, max_backtracks=4):
        if not first_step > 0:
            raise ValueError(f"first_step must be a positive number, not {first_step!r}")
        self.gradient = gradient
        self.lower, self.upper = lower, upper
        self.max_backtracks = max_backtracks
        self.u = np.clip(np.asarray(start, dtype=np.float64), lower, upper)
        self.v = self.u.copy()
        self.a = 1.0
        self.g = gradient(self.v)
        self.evaluations = 1
        scale = np.max(np.abs(self.g))
        probe = np.clip(self.v - first_step * self.g / scale if scale > 0 else self.v + first_step,
                        lower, upper)
        self.alpha = self._lipschitz_step(self.v, self.g, probe, gradient(probe), first_step)
        self.evaluations += 1

    @staticmethod
    def _lipschitz_step(v_new, g_new, v_old, g_old, fallback):
        dg = _norm(g_new - g_old)
        dv = _norm(v_new - v_old)
        return dv / dg if dg > 0 and dv > 0 else fallback

    def step(self):
        """One iteration; afterwards ``v`` is the new reference point and ``g`` its gradient.

        Returns the number of backtracks taken."""
        a_next = 0.5 * (1.0 + np.sqrt(4.0 * self.a * self.a + 1.0))
        momentum = (self.a - 1.0) / a_next
        alpha = self.alpha
        for backtracks in range(self.max_backtracks + 1):
            u_next = np.clip(self.v - alpha * self.g, self.lower, self.upper)
            v_next = np.clip(u_next + momentum * (u_next - self.u), self.lower, self.upper)
            g_next = self.gradient(v_next)
            self.evaluations += 1
            estimate = self._lipschitz_step(v_next, g_next, self.v, self.g, alpha)
            if estimate >= BACKTRACK_RATIO * alpha or backtracks == self.max_backtracks:
                break
            alpha = estimate
        self.u, self.v, self.g, self.a, self.alpha = u_next, v_next, g_next, a_next, estimate
        return backtracks
