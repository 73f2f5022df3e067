"""Yosys identifiers as users see them."""


def bare_name(name: str) -> str:
    """`name` without the backslash Yosys puts in front of public identifiers (``\\mem`` -> ``mem``)."""
    return name[1:] if name.startswith("\\") else name

