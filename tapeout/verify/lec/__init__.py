"""The `lec` stage: logic equivalence of the synthesised and final netlists with the RTL."""
