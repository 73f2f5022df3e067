"""GDSII stream-out: the placed (and routed) DEF with the cells' layouts, written with KLayout."""
