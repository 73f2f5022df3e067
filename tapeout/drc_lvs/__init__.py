"""Physical verification on the layout: DRC and LVS of the GDS with KLayout."""
