"""explore.html: the space, the front pictures and every trial with links to its flow report and log.
Links are relative, so the exploration folder can be moved or zipped."""

from __future__ import annotations

import html
from pathlib import Path

from tapeout.explore.results import Results
from tapeout.flow.console import format_value


def _cell(value) -> str:
    if value is None:
        return ""
    return html.escape(format_value(value))


def _link(path: str | None, text: str) -> str:
    return f"<a href='{html.escape(path)}'>{text}</a>" if path else ""


def write_page(results: Results, pictures: list[Path], folder: Path) -> Path:
    """Write `folder`/explore.html and return its path."""
    space, counts = results.space, results.counts()
    objectives = ", ".join(f"{m} ({s})" for m, s in space.objectives.items())
    constraints = ", ".join(c.text() for c in space.constraints) or "none"
    body = [
        f"<h1>{html.escape(space.name)}: design-space exploration</h1>",
        f"<p>Space <code>{html.escape(str(space.path))}</code> on <code>{html.escape(str(space.design))}</code>; "
        f"search {space.search}; stages {html.escape(', '.join(space.stages) or 'the whole flow')}.</p>",
        f"<p>Objectives: {html.escape(objectives)}. Constraints: {html.escape(constraints)}.</p>",
        f"<p>{counts['finished']} trials finished: {counts['done']} ran through, {counts['feasible']} feasible, "
        f"{counts['failed']} failed; {counts['pareto']} on the Pareto front (highlighted). "
        "Tables: <a href='explore.csv'>explore.csv</a>, <a href='explore.json'>explore.json</a>.</p>",
    ]
    for picture in pictures:
        body.append(f"<figure><img src='{html.escape(picture.name)}' alt='{html.escape(picture.stem)}'></figure>")
    rows = results.rows()
    metric_columns = list(space.objectives) + [c.metric for c in space.constraints if c.metric not in space.objectives]
    head = ["trial", "status", *space.keys, *metric_columns, "time (s)", "stages ran / reused", "links", "message"]
    body.append("<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr>")
    for row in rows:
        kind = "front" if row["pareto"] else ("ok" if row["feasible"] else
                                              "infeasible" if row["status"] == "done" else "failed")
        links = " ".join(x for x in (_link(row["report"], "report"), _link(row["log"], "log"),
                                     _link(f"trials/t{row['trial']:04d}/design.toml", "design")) if x)
        cells = [f"t{row['trial']}", row["status"] + (" (front)" if row["pareto"] else ""),
                 *(_cell(row[k]) for k in space.keys), *(_cell(row[m]) for m in metric_columns),
                 _cell(row["runtime_s"]), f"{row['stages_ran']} / {row['stages_reused']}", links,
                 html.escape(row["message"] or "")]
        body.append(f"<tr class='{kind}'>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    body.append("</table>")
    style = ("body{font-family:sans-serif;max-width:1300px;margin:2em auto}"
             "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px}"
             "img{max-width:100%}tr.front{background:#fde8e8}"
             "tr.failed{color:#b00}tr.infeasible{color:#a60}")
    page = (f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{html.escape(space.name)} exploration"
            f"</title><style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")
    path = folder / "explore.html"
    path.write_text(page, encoding="utf-8")
    return path
