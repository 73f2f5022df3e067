"""Clock tree synthesis: balanced buffered trees by geometric clustering."""
