"""Placement: the problem arrays, the HPWL cost, analytic start, simulated annealing (moves,
schedule), legalisation, detailed placement, legality check; the `place` stage."""
