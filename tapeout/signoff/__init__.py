"""Signoff: static timing analysis, DRC, connectivity (LVS-style) check and power."""
