"""The table of stages (README, `tapeout stages`), generated from the stage declarations."""

from __future__ import annotations

from tapeout.flow.stage import Stage


def stage_rows(stages: list[Stage]) -> list[tuple[str, str, str, str]]:
    """(stage, the stages it needs, what it does, its outputs) per stage, flow order."""
    rows = []
    for stage in stages:
        outputs = ", ".join(f"`{a.pattern.replace('{top}', '<top>')}`" for a in stage.outputs)
        needs = ", ".join(stage.needs) or "-"
        name = f"`{stage.name}`" + ("" if stage.default else " (on request)")
        rows.append((name, needs, stage.summary, outputs))
    return rows


def stages_markdown(stages: list[Stage]) -> str:
    """The Markdown table the README shows between its stage-table markers."""
    lines = ["| stage | after | what it does | outputs (in `build/<design>/<stage>/`) |", "|---|---|---|---|"]
    lines += [f"| {' | '.join(row)} |" for row in stage_rows(stages)]
    return "\n".join(lines)
