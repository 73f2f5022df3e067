"""The flow report: build/<design>/report.html and report.md, one page for the whole run.

For each stage: status, key metrics, the gates it passed or failed, its pictures and links to its
detailed reports. Paths are relative to build/<design>/, so the folder can be moved or zipped.
"""

from __future__ import annotations

import html
from pathlib import Path

from tapeout.errors import TapeoutError
from tapeout.flow.console import format_value
from tapeout.flow.engine import Engine
from tapeout.flow.stage import IMAGE_FORMATS, NO_PICTURES, Stage


def gate_results(stage: Stage, metrics: dict) -> list[tuple[str, bool]]:
    """(description, passed) of each gate of `stage` whose metric exists."""
    return [(g.text, g.passes(metrics[g.metric])) for g in stage.gates if g.metric in metrics]


NOT_DRAWN = "pictures not drawn (the stage ran with --no-pictures; `tapeout run {stage}` draws them)"


def drawn_without_pictures(engine: Engine, name: str) -> bool:
    """True when the stage's last successful run was asked for no pictures."""
    try:
        stamp = engine.read_stamp(name)
    except TapeoutError:
        return False
    return bool(stamp and stamp.get("options", {}).get(NO_PICTURES.key))


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
        generic_skip = row.status == "n/a" and type(stage).skip_reason is Stage.skip_reason
        if generic_skip or (not stage.default and row.status in ("n/a", "never run")):
            continue
        gates = gate_results(stage, row.metrics)
        gate_text = ", ".join(f"{'PASS' if ok else 'FAIL'} {text}" for text, ok in gates)
        shown = {n: row.metrics[n] for n in stage.key_metrics if n in row.metrics}
        metric_text = row.message if row.status == "n/a" else ", ".join(f"{n} = {format_value(v)}"
                                                                       for n, v in shown.items())
        md.append(f"| {row.name} | {row.status} | {gate_text} | {metric_text} |")
        body.append(f"<tr><td><a href='#{row.name}'>{row.name}</a></td><td class='{row.status.replace(' ', '-')}'>"
                    f"{row.status}</td><td>{html.escape(gate_text)}</td><td>{html.escape(metric_text)}</td></tr>")
        folder = engine.stage_dir(row.name)
        pictures = [(f"{row.name}/{p.artifact.file_name(top)}", p.caption) for p in stage.pictures
                    if (folder / p.artifact.file_name(top)).exists()]
        details = [f"{row.name}/{a.file_name(top)}" for a in stage.outputs
                   if a.format not in IMAGE_FORMATS and (folder / a.file_name(top)).exists()]
        if row.log is not None:
            details.append(str(row.log.relative_to(engine.dir)))
        section = [f"<h2 id='{row.name}'>{row.name}: {html.escape(stage.title)}</h2>"]
        for path, caption in pictures:
            section.append(f"<figure><img src='{html.escape(path)}' alt='{html.escape(caption)}'>"
                           f"<figcaption>{html.escape(caption)}</figcaption></figure>")
        notes = [NOT_DRAWN.format(stage=row.name)] if stage.pictures and not pictures and \
            drawn_without_pictures(engine, row.name) else []
        section.extend(f"<p>{html.escape(note)}</p>" for note in notes)
        if details:
            links = " · ".join(f"<a href='{html.escape(d)}'>{html.escape(d)}</a>" for d in details)
            section.append(f"<p>{links}</p>")
        sections.append((row.name, pictures + [(None, note) for note in notes], details, section))
    body.append("</table>")
    md.append("")
    for name, pictures, details, section in sections:
        body.extend(section)
        md.append(f"## {name}")
        md.extend(f"![{caption}]({path})" if path else caption for path, caption in pictures)
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
