"""Read the MACRO sections of a LEF file: each macro's size, the centre and shapes of each pin and its
obstructions."""

from __future__ import annotations

from dataclasses import dataclass, field

from tapeout.pnr.errors import FormatError


@dataclass
class LefMacro:
    """A cell or block footprint: `width` x `height` um, pin name -> (x, y) centre um from the lower-left,
    pin name -> its shapes (layer, (x0, y0, x1, y1) um) and the obstructions (OBS) as such shapes."""

    name: str
    macro_class: str = "CORE"
    width: float = 0.0
    height: float = 0.0
    pins: dict[str, tuple[float, float]] = field(default_factory=dict)
    pin_shapes: dict[str, list[tuple[str, tuple[float, float, float, float]]]] = field(default_factory=dict)
    obstructions: list[tuple[str, tuple[float, float, float, float]]] = field(default_factory=list)


def read_lef_macros(text: str, source: str = "<lef>") -> dict[str, LefMacro]:
    """Macros of a LEF text by name; the first RECT of each pin's first PORT gives its centre."""
    macros: dict[str, LefMacro] = {}
    macro = pin = layer = None
    in_obs = False
    for number, line in enumerate(text.splitlines(), 1):
        words = line.replace(";", " ").split()
        if not words:
            continue
        try:
            if words[0] == "MACRO":
                macro = macros[words[1]] = LefMacro(words[1])
            elif macro is None:
                continue
            elif words[0] == "CLASS" and pin is None:
                macro.macro_class = words[1]
            elif words[0] == "SIZE":
                macro.width, macro.height = float(words[1]), float(words[3])
            elif words[0] == "PIN":
                pin = words[1]
                macro.pin_shapes[pin] = []
            elif words[0] == "OBS":
                in_obs = True
            elif words[0] == "LAYER":
                layer = words[1]
            elif words[0] == "RECT" and (pin is not None or in_obs):
                x0, y0, x1, y1 = (float(v) for v in words[1:5])
                rect = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
                if in_obs:
                    macro.obstructions.append((layer, rect))
                    continue
                if pin not in macro.pins:
                    macro.pins[pin] = ((x0 + x1) / 2, (y0 + y1) / 2)
                macro.pin_shapes[pin].append((layer, rect))
            elif words[0] == "END" and len(words) == 1 and in_obs:
                in_obs = False
            elif words[0] == "END" and len(words) > 1:
                if pin is not None and words[1] == pin:
                    pin = None
                elif words[1] == macro.name:
                    macro = None
        except (IndexError, ValueError):
            raise FormatError(f"{source}:{number}: malformed LEF line: {line.strip()}") from None
    return macros
