"""The `gls` stage: gate-level simulation of the synthesised and final netlists."""
