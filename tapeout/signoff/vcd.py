"""A small VCD (IEEE 1364 value change dump) reader that counts toggles per signal bit."""

from dataclasses import dataclass

import numpy as np

from tapeout.errors import TapeoutError

__all__ = ["VcdError", "VcdToggles", "read_vcd", "parse_vcd"]


class VcdError(TapeoutError):
    """A VCD file this reader cannot understand."""


@dataclass
class VcdToggles:
    """Toggle counts of every bit of every dumped signal.

    Attributes
    ----------
    names : list of str
        ``scope.sub.signal`` for 1-bit signals, ``scope.signal[i]`` for vector bits.
    toggles : ndarray of int64
        0<->1 transitions of each bit (x/z changes are not counted).
    end_time : int
        Last timestamp, in ``timescale`` units.
    timescale_ns : float
        One VCD time unit in ns.
    """

    names: list
    toggles: np.ndarray
    end_time: int
    timescale_ns: float

    def by_name(self):
        return dict(zip(self.names, self.toggles.tolist()))


_UNITS_NS = {"s": 1e9, "ms": 1e6, "us": 1e3, "ns": 1.0, "ps": 1e-3, "fs": 1e-6}


def parse_vcd(text, source="<vcd>"):
    """Toggle counts of the VCD ``text`` (``source`` names it in errors)."""
    tokens = text.split()
    scope, bits_of, names = [], {}, []
    timescale, i, n = 1.0, 0, len(tokens)
    while i < n:
        tok = tokens[i]
        if tok == "$enddefinitions":
            i = tokens.index("$end", i) + 1
            break
        if tok in ("$scope", "$var", "$timescale"):
            end = tokens.index("$end", i)
            body = tokens[i + 1:end]
            if tok == "$scope":
                scope.append(body[1] if len(body) > 1 else body[0])
            elif tok == "$timescale":
                spec = "".join(body)
                digits = "".join(c for c in spec if c.isdigit()) or "1"
                unit = spec[len(digits):]
                if unit not in _UNITS_NS:
                    raise VcdError(f"{source}: unknown timescale {spec!r}")
                timescale = int(digits) * _UNITS_NS[unit]
            else:
                if len(body) < 4:
                    raise VcdError(f"{source}: malformed $var {' '.join(body)!r}")
                width, code, name = int(body[1]), body[2], body[3]
                full = ".".join(scope + [name])
                rng = body[4] if len(body) > 4 and body[4].startswith("[") else None
                if width == 1:
                    labels = [full + (rng or "")]
                else:
                    lo = 0
                    if rng and ":" in rng:
                        a, b = (int(v) for v in rng.strip("[]").split(":"))
                        lo = min(a, b)
                    labels = [f"{full}[{lo + k}]" for k in range(width)]  # bit 0 = lsb
                first = len(names)
                names.extend(labels)
                bits_of.setdefault(code, []).append((first, width))
            i = end + 1
            continue
        if tok == "$upscope":
            scope.pop()
        i += 1
    if not names:
        raise VcdError(f"{source}: no $var declarations before $enddefinitions")
    toggles = np.zeros(len(names), dtype=np.int64)
    value = np.full(len(names), -1, dtype=np.int64)
    end_time = 0

    def apply(code, bits):
        for first, width in bits_of.get(code, ()):
            padded = bits.rjust(width, "0" if bits[0] in "01" else bits[0])[-width:]
            for k in range(width):
                c = padded[width - 1 - k]
                v = 1 if c == "1" else 0 if c == "0" else -1
                slot = first + k
                if v >= 0 and value[slot] >= 0 and v != value[slot]:
                    toggles[slot] += 1
                value[slot] = v

    while i < n:
        tok = tokens[i]
        if tok[0] == "#":
            try:
                end_time = int(tok[1:])
            except ValueError:
                raise VcdError(f"{source}: bad timestamp {tok!r}") from None
        elif tok[0] in "bB":
            apply(tokens[i + 1], tok[1:].lower())
            i += 1
        elif tok[0] in "rR":
            i += 1
        elif tok[0] in "01xXzZ":
            apply(tok[1:], tok[0].lower())
        i += 1
    return VcdToggles(names, toggles, end_time, timescale)


def read_vcd(path):
    """Toggle counts of the VCD file at ``path``."""
    try:
        with open(path) as handle:
            text = handle.read()
    except OSError as error:
        raise VcdError(f"{path}: cannot read VCD file: {error.strerror}") from None
    return parse_vcd(text, str(path))
