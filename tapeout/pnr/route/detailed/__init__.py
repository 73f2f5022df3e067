"""Detailed routing: wires and vias on the routing tracks, guided by the global routes."""
