"""Global routing: GCell grid, Steiner decomposition, pattern and maze routing, negotiated
congestion, layered route trees; the `route` stage."""
