"""File formats of the physical flow: DEF (read/write), LEF macros, Bookshelf, the placed netlist as a DEF layout."""
