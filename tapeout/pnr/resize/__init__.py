"""Driver sizing to routed loads (the gate-sizing half of OpenROAD repair_design)."""
