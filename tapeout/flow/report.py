"""The flow report: build/<design>/report.html and report.md, one page for the whole run.

For each stage: status, key metrics, the gates it passed or failed, its pictures and links to its
detailed reports. Paths are relative to build/<design>/, so the folder can be moved or zipped.
"""

from __future__ import annotations

import html
from pathlib import Path

from tapeout.flow.console import format_value
from tapeout.flow.engine import Engine

PICTURES = {
    "arch": [("roofline.png", "roofline")],
    "place": [("placement.png", "placement, macros and clock tree")],
    "route": [("congestion.png", "global routing congestion")],
    "signoff": [("slack_histogram.png", "setup slack histogram"), ("layout_drc.png", "violations on the layout")],
    "package": [("package.png", "package floorplan")],
}
DETAILS = {
    "arch": ["arch.json"],
    "rtl": ["{top}.v", "inventory.json"],
    "verify": ["junit.xml", "coverage.txt"],
    "synth": ["area.rpt", "{top}.v", "memories.json", "fanout_buffers.json"],
    "place": ["{top}.def", "{top}.v", "cts.json", "resized.json"],
    "route": ["{top}.guide"],
    "signoff": ["timing.rpt", "{top}.sdc", "{top}.spef", "drc.rpt", "lvs.rpt", "power.rpt"],
    "package": ["package_report.md", "package.json"],
}
GATES = {  # metric, test, description
    "verify": [("verify__failures__count", lambda v: v == 0, "no failing test"),
               ("verify__coverage__ratio", lambda v: v >= 1.0, "all coverage bins hit")],
    "place": [("place__overlaps__count", lambda v: v == 0, "no overlapping cells")],
    "route": [("route__overflow__count", lambda v: v == 0, "no routing overflow")],
    "signoff": [("timing__setup_ws__ns", lambda v: v is not None and v >= 0, "setup met"),
                ("timing__hold_ws__ns", lambda v: v is not None and v >= 0, "hold met"),
                ("drc__violations__count", lambda v: v == 0, "no DRC violation"),
                ("lvs__mismatches__count", lambda v: v == 0, "layout matches netlist")],
    "package": [("package__reticle_fit__bool", bool, "die fits the reticle")],
}


def gate_results(stage: str, metrics: dict) -> list[tuple[str, bool]]:
    """(description, passed) of each gate of `stage` whose metric exists."""
    return [(text, bool(test(metrics[name]))) for name, test, text in GATES.get(stage, []) if name in metrics]


def write_report(engine: Engine) -> tuple[Path, Path]:
    """Write report.html and report.md for the engine's design; return their paths."""
    top = engine.config.design.top
    rows = engine.status()
    md = [f"# {engine.config.name}: tapeout flow report", "",
          f"Design file `{engine.config.path}`; top `{top}`; clock {engine.config.design.clock_period_ns:g} ns.", "",
          "| stage | status | gates | key metrics |", "|---|---|---|---|"]
    body = [f"<h1>{html.escape(engine.config.name)}: tapeout flow report</h1>",
            f"<p>Design file <code>{html.escape(str(engine.config.path))}</code>, top <code>{html.escape(top)}</code>, "
            f"clock {engine.config.design.clock_period_ns:g} ns.</p>",
            "<table><tr><th>stage</th><th>status</th><th>gates</th><th>key metrics</th></tr>"]
    sections = []
    for row in rows:
        stage = engine.stages[row.name]
        if row.status == "n/a" or (not stage.default and row.status == "never run"):
            continue
        gates = gate_results(row.name, row.metrics)
        gate_text = ", ".join(f"{'PASS' if ok else 'FAIL'} {text}" for text, ok in gates)
        shown = {n: row.metrics[n] for n in stage.key_metrics if n in row.metrics}
        metric_text = ", ".join(f"{n} = {format_value(v)}" for n, v in shown.items())
        md.append(f"| {row.name} | {row.status} | {gate_text} | {metric_text} |")
        body.append(f"<tr><td><a href='#{row.name}'>{row.name}</a></td><td class='{row.status.replace(' ', '-')}'>"
                    f"{row.status}</td><td>{html.escape(gate_text)}</td><td>{html.escape(metric_text)}</td></tr>")
        folder = engine.stage_dir(row.name)
        pictures = [(f"{row.name}/{f}", c) for f, c in PICTURES.get(row.name, []) if (folder / f).exists()]
        details = [f"{row.name}/{f.format(top=top)}" for f in DETAILS.get(row.name, [])
                   if (folder / f.format(top=top)).exists()]
        if row.log is not None:
            details.append(str(row.log.relative_to(engine.dir)))
        section = [f"<h2 id='{row.name}'>{row.name}: {html.escape(stage.title)}</h2>"]
        for path, caption in pictures:
            section.append(f"<figure><img src='{html.escape(path)}' alt='{html.escape(caption)}'>"
                           f"<figcaption>{html.escape(caption)}</figcaption></figure>")
        if details:
            section.append("<p>" + " · ".join(f"<a href='{html.escape(d)}'>{html.escape(d)}</a>" for d in details) + "</p>")
        sections.append((row.name, pictures, details, section))
    body.append("</table>")
    md.append("")
    for name, pictures, details, section in sections:
        body.extend(section)
        md.append(f"## {name}")
        md.extend(f"![{caption}]({path})" for path, caption in pictures)
        md.extend(f"- [{d}]({d})" for d in details)
        md.append("")
    style = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse}"
             "td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}img{max-width:100%}"
             ".failed{color:#b00}.stale{color:#a60}.up-to-date,.ran{color:#070}")
    page = (f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{html.escape(engine.config.name)} report"
            f"</title><style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")
    html_path, md_path = engine.dir / "report.html", engine.dir / "report.md"
    engine.dir.mkdir(parents=True, exist_ok=True)
    html_path.write_text(page, encoding="utf-8")
    md_path.write_text("\n".join(md) + "\n", encoding="utf-8")
    return html_path, md_path
