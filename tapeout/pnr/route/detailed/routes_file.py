"""The detailed routes as a hand-off file: `routes.json`, kind 'detailed_route' version 1:
{"kind", "version", "nets": {net (DEF-escaped): [["wire", layer, x0, y0, x1, y1] | ["via", layer, via, x, y]]}},
lengths in um."""

from __future__ import annotations

import json
from pathlib import Path

from tapeout.pnr.formats.arrays_file import HandoffError
from tapeout.pnr.formats.layout import RoutedVia, RoutedWire

KIND, VERSION = "detailed_route", 1


def save_routes(path: Path, routes: dict[str, list]) -> None:
    nets = {name: [["via", i.layer, i.via, i.x, i.y] if isinstance(i, RoutedVia) else
                   ["wire", i.layer, i.x0, i.y0, i.x1, i.y1] for i in items] for name, items in routes.items()}
    Path(path).write_text(json.dumps({"kind": KIND, "version": VERSION, "nets": nets}) + "\n", encoding="utf-8")


def load_routes(path: Path) -> dict[str, list]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("kind") != KIND or data.get("version") != VERSION:
            raise HandoffError(f"{path}: not a {KIND} v{VERSION} file")
        return {name: [RoutedVia(i[1], i[2], float(i[3]), float(i[4])) if i[0] == "via" else
                       RoutedWire(i[1], *map(float, i[2:6])) for i in items] for name, items in data["nets"].items()}
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise HandoffError(f"{path}: damaged detailed route file ({exc})") from None
