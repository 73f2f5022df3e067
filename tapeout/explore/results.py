"""The exploration's results: every finished trial evaluated, the Pareto front of the feasible ones,
and the tables `explore.csv` and `explore.json` (paths in them are relative to the exploration folder).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from tapeout.explore.evaluation import Evaluation, evaluate
from tapeout.explore.pareto import pareto_front
from tapeout.explore.space import Space


@dataclass
class Results:
    space: Space
    records: dict  # trial number -> trial.json record
    evaluations: dict  # trial number -> Evaluation
    front: list  # trial numbers on the Pareto front, in trial order

    def rows(self) -> list[dict]:
        """One flat row per trial: front first (by the first objective), then the rest by trial number."""
        first = next(iter(self.space.objectives))
        sense = -1 if self.space.objectives[first] == "max" else 1
        on_front = sorted(self.front, key=lambda t: sense * self.evaluations[t].objectives[first])
        order = on_front + sorted(t for t in self.records if t not in self.front)
        return [self.row(t) for t in order]

    def row(self, trial: int) -> dict:
        record, evaluation = self.records[trial], self.evaluations[trial]
        metrics = record.get("metrics", {})
        row = {"trial": trial, "status": evaluation.status, "feasible": evaluation.feasible,
               "pareto": trial in self.front}
        row.update({key: record["values"].get(key) for key in self.space.keys})
        row.update({metric: metrics.get(metric) for metric in self.space.objectives})
        row.update({c.metric: metrics.get(c.metric) for c in self.space.constraints if c.metric not in row})
        stages = record.get("stages", {})
        row.update({"runtime_s": record.get("runtime_s"),
                    "stages_ran": sum(s == "ran" for s in stages.values()),
                    "stages_reused": sum(s in ("reused", "up to date") for s in stages.values()),
                    "message": evaluation.message, "log": record.get("log"), "report": record.get("report")})
        return row

    def _varied(self) -> tuple[list[str], list[str]]:
        """Keys given more than one value, and their short names ("rows"; in full when two sections share one)."""
        keys = [p.key for p in self.space.parameters if p.grid() is None or len(p.grid()) > 1]
        names = [k.split(".", 1)[1] for k in keys]
        return keys, (keys if len(set(names)) < len(names) else names)

    def label(self, trial: int, compact: bool = False) -> str:
        """The trial's varied values: "rows=4 cols=8 dataflow=os", or compact "4/8/os" (see label_keys)."""
        keys, names = self._varied()
        values = self.records[trial]["values"]
        if compact:
            return "/".join(_short(values.get(k)) for k in keys)
        return " ".join(f"{n}={_short(values.get(k))}" for n, k in zip(names, keys))

    def label_keys(self) -> str:
        """What the compact labels list: "rows/cols/dataflow"."""
        return "/".join(self._varied()[1])

    def counts(self) -> dict:
        statuses = [e.status for e in self.evaluations.values()]
        return {"finished": len(statuses), "done": statuses.count("done"),
                "feasible": sum(e.feasible for e in self.evaluations.values()),
                "failed": len(statuses) - statuses.count("done"), "pareto": len(self.front)}


def _short(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def collect(space: Space, records: dict) -> Results:
    """Evaluate every finished trial and find the Pareto front of the feasible ones."""
    evaluations: dict[int, Evaluation] = {t: evaluate(r, space) for t, r in sorted(records.items())}
    feasible = [t for t, e in evaluations.items() if e.feasible]
    senses = list(space.objectives.values())
    mask = pareto_front([list(evaluations[t].objectives.values()) for t in feasible], senses) if feasible else []
    return Results(space, dict(sorted(records.items())), evaluations, [t for t, m in zip(feasible, mask) if m])


def write_tables(results: Results, folder: Path) -> tuple[Path, Path]:
    """Write explore.csv and explore.json into `folder`; return their paths."""
    rows = results.rows()
    csv_path, json_path = folder / "explore.csv", folder / "explore.json"
    columns = list(rows[0]) if rows else ["trial", "status"]
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    space = results.space
    summary = {
        "space": str(space.path), "name": space.name, "design": str(space.design), "search": space.search,
        "stages": list(space.stages), "parameters": list(space.keys), "objectives": space.objectives,
        "constraints": [c.text() for c in space.constraints], "counts": results.counts(),
        "pareto": results.front,
        "trials": [{**row, "values": results.records[row["trial"]]["values"],
                    "metrics": results.records[row["trial"]].get("metrics", {}),
                    "stages": results.records[row["trial"]].get("stages", {})} for row in rows],
    }
    json_path.write_text(json.dumps(summary, indent=1, default=str) + "\n", encoding="utf-8")
    return csv_path, json_path
