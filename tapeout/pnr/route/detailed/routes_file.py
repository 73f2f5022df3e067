"""The detailed routes as a hand-off file: `routes.json`, kind 'detailed_route' version 1:
{"kind", "version", "nets": {net (DEF-escaped): [["wire", layer, x0, y0, x1, y1] | ["via", layer, via, x, y]
| ["rect", layer, x0, y0, x1, y1]]}}, lengths in um."""

from __future__ import annotations

import json
from pathlib import Path

from tapeout.pnr.formats.arrays_file import HandoffError
from tapeout.pnr.formats.layout import RoutedRect, RoutedVia, RoutedWire

KIND, VERSION = "detailed_route", 1


def save_routes(path: Path, routes: dict[str, list]) -> None:
    def row(item):
        if isinstance(item, RoutedVia):
            return ["via", item.layer, item.via, item.x, item.y]
        kind = "rect" if isinstance(item, RoutedRect) else "wire"
        return [kind, item.layer, item.x0, item.y0, item.x1, item.y1]

    nets = {name: [row(i) for i in items] for name, items in routes.items()}
    Path(path).write_text(json.dumps({"kind": KIND, "version": VERSION, "nets": nets}) + "\n", encoding="utf-8")


def load_routes(path: Path) -> dict[str, list]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("kind") != KIND or data.get("version") != VERSION:
            raise HandoffError(f"{path}: not a {KIND} v{VERSION} file")
        kinds = {"wire": RoutedWire, "rect": RoutedRect}
        return {name: [RoutedVia(i[1], i[2], float(i[3]), float(i[4])) if i[0] == "via" else
                       kinds[i[0]](i[1], *map(float, i[2:6])) for i in items] for name, items in data["nets"].items()}
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise HandoffError(f"{path}: damaged detailed route file ({exc})") from None
