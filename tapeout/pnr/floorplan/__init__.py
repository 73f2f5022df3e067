"""Floorplan: die and core from cell area, rows, SRAM macros with halos, I/O pins; the netlist-to-placement bridge."""
