"""Read the DEF subset `def_writer` produces (and common DEF from other tools) back into a Layout."""

from __future__ import annotations

from pathlib import Path

from tapeout.pnr.errors import FormatError
from tapeout.pnr.formats.layout import Component, IoPin, Layout, Row


def _tokens(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        for tok in line.split():
            if tok.startswith("#"):
                break
            out.append(tok)
    return out


def _unescape(name: str) -> str:
    return name[1:] if name.startswith("\\#") else name


class _Cursor:
    def __init__(self, tokens, path):
        self.t, self.i, self.path = tokens, 0, path

    def next(self) -> str:
        if self.i >= len(self.t):
            raise FormatError(f"{self.path}: DEF ends early")
        self.i += 1
        return self.t[self.i - 1]

    def peek(self) -> str | None:
        return self.t[self.i] if self.i < len(self.t) else None

    def until_semicolon(self) -> list[str]:
        items = []
        while (tok := self.next()) != ";":
            items.append(tok)
        return items


def read_def(path: Path) -> Layout:
    """Parse DEF into a Layout (um). Unknown statements are skipped; a malformed file is one-line error."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{path}: not a DEF file (not UTF-8 text at byte {exc.start})") from None
    cur = _Cursor(_tokens(text), path)
    layout = Layout(design="", die=(0.0, 0.0, 0.0, 0.0))
    try:
        while (tok := cur.peek()) is not None:
            cur.next()
            if tok == "DESIGN":
                layout.design = cur.until_semicolon()[0]
            elif tok == "UNITS":
                layout.dbu = int(cur.until_semicolon()[-1])
            elif tok == "DIEAREA":
                v = [int(x) for x in cur.until_semicolon() if x not in "()"]
                layout.die = tuple(c / layout.dbu for c in (v[0], v[1], v[2], v[3]))
            elif tok == "ROW":
                f = cur.until_semicolon()
                u = layout.dbu
                layout.rows.append(Row(f[0], f[1], int(f[2]) / u, int(f[3]) / u, f[4], int(f[6]),
                                       int(f[10]) / u))
            elif tok == "COMPONENTS":
                cur.until_semicolon()
                _components(cur, layout)
            elif tok == "PINS":
                cur.until_semicolon()
                _pins(cur, layout)
            elif tok == "NETS":
                cur.until_semicolon()
                _nets(cur, layout)
            elif tok == "END":
                if cur.next() == "DESIGN":
                    break
            else:
                cur.until_semicolon()  # VERSION, BUSBITCHARS, TRACKS, ...: not needed here
    except (ValueError, IndexError, ZeroDivisionError) as exc:
        raise FormatError(f"{path}: malformed DEF near token {cur.i} ({exc})") from None
    return layout


def _components(cur: _Cursor, layout: Layout) -> None:
    u = layout.dbu
    while cur.peek() == "-":
        cur.next()
        f = cur.until_semicolon()
        name, macro = _unescape(f[0]), f[1]
        x = y = 0.0
        orient, fixed = "N", False
        for k, tok in enumerate(f):
            if tok in ("PLACED", "FIXED"):
                fixed = tok == "FIXED"
                x, y, orient = int(f[k + 2]) / u, int(f[k + 3]) / u, f[k + 5]
        layout.components.append(Component(name, macro, x, y, orient, fixed))
    cur.next(), cur.next()  # END COMPONENTS


def _pins(cur: _Cursor, layout: Layout) -> None:
    u = layout.dbu
    while cur.peek() == "-":
        cur.next()
        f = cur.until_semicolon()
        name, net, direction, layer = _unescape(f[0]), "", "INPUT", ""
        rect = (0, 0, 0, 0)
        x = y = 0.0
        for k, tok in enumerate(f):
            if tok == "NET":
                net = _unescape(f[k + 1])
            elif tok == "DIRECTION":
                direction = f[k + 1]
            elif tok == "LAYER":
                layer = f[k + 1]
                rect = (int(f[k + 3]), int(f[k + 4]), int(f[k + 7]), int(f[k + 8]))
            elif tok in ("PLACED", "FIXED"):
                x, y = int(f[k + 2]) / u, int(f[k + 3]) / u
        layout.pins.append(IoPin(name, net, direction, layer, x, y, (rect[2] - rect[0]) / u,
                                 (rect[3] - rect[1]) / u))
    cur.next(), cur.next()  # END PINS


def _nets(cur: _Cursor, layout: Layout) -> None:
    while cur.peek() == "-":
        cur.next()
        f = cur.until_semicolon()
        name, conns, k = _unescape(f[0]), [], 1
        while k < len(f) and f[k] == "(":
            conns.append((_unescape(f[k + 1]), _unescape(f[k + 2])))
            k += 4
        layout.nets[name] = conns
    cur.next(), cur.next()  # END NETS
