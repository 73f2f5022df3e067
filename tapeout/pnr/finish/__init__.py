"""Finishing the placed layout for manufacture: routing tracks, the power grid, filler and decap cells."""
