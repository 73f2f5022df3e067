"""Pictures of the exploration: one scatter per pair of objectives with the Pareto front highlighted.

Every feasible trial is a dot, a trial that breaks a constraint a cross, the front red and joined in
order; points are labelled with their varied values (all of them up to `LABEL_ALL` points, else the
front's only, so that the picture stays readable). With one objective the picture is the objective
per trial, the best one marked.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from tapeout.explore.results import Results

LABEL_ALL = 30
"""Up to this many points, every point is labelled; above, only the front's."""


def picture_name(x: str, y: str | None) -> str:
    return f"front_{x}_vs_{y}.png" if y else f"objective_{x}.png"


def _axis(results: Results, metric: str) -> str:
    sense = results.space.objectives[metric]
    return f"{metric} ({'higher' if sense == 'max' else 'lower'} is better)"


def _coordinates(results: Results, x_metric: str, y_metric: str | None):
    """trials -> (xs, ys) on the picture of (x_metric, y_metric); with one objective x is the trial."""
    def coords(trials):
        objectives = [results.evaluations[t].objectives for t in trials]
        xs = [o[x_metric] for o in objectives] if y_metric else list(trials)
        ys = [o[y_metric or x_metric] for o in objectives]
        return xs, ys
    return coords


def draw_fronts(results: Results, folder: Path) -> list[Path]:
    """Write the pictures into `folder`; return their paths (none when no trial succeeded)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    done = [t for t, e in results.evaluations.items() if e.ok]
    if not done:
        return []
    metrics = list(results.space.objectives)
    pairs = list(itertools.combinations(metrics, 2)) or [(metrics[0], None)]
    paths = []
    for x_metric, y_metric in pairs:
        fig, ax = plt.subplots(figsize=(9.0, 6.0))
        coords = _coordinates(results, x_metric, y_metric)
        feasible = [t for t in done if results.evaluations[t].feasible and t not in results.front]
        infeasible = [t for t in done if not results.evaluations[t].feasible]
        if feasible:
            ax.scatter(*coords(feasible), s=22, color="#4a78b5", alpha=0.7, label="feasible trial")
        if infeasible:
            ax.scatter(*coords(infeasible), s=26, marker="x", color="#e08a2c", label="breaks a constraint")
        front = sorted(results.front, key=lambda t: coords([t])[0][0])
        if front:
            xs, ys = coords(front)
            if len(metrics) == 2:  # with more objectives the front seen in one plane is not a curve
                ax.plot(xs, ys, color="#c0262d", lw=1, alpha=0.6, zorder=2)
            ax.scatter(xs, ys, s=46, color="#c0262d", zorder=3,
                       label=f"Pareto front ({len(metrics)} objectives)" if y_metric else "best")
        labelled = done if len(done) <= LABEL_ALL else front
        x_all = coords(done)[0]
        middle = (min(x_all) + max(x_all)) / 2
        for k, trial in enumerate(labelled):
            (x,), (y,) = coords([trial])
            left = x > middle  # labels point inwards, so that they stay inside the axes
            ax.annotate(f"t{trial} {results.label(trial, compact=True)}", (x, y), textcoords="offset points",
                        xytext=(-5 if left else 5, 4 if k % 2 else -9), ha="right" if left else "left",
                        fontsize=6.5, clip_on=True, color="#c0262d" if trial in results.front else "#333333")
        ax.set_xlabel(_axis(results, x_metric) if y_metric else "trial")
        ax.set_ylabel(_axis(results, y_metric or x_metric))
        counts = results.counts()
        ax.set_title(f"{results.space.name}: {counts['finished']} trials, {counts['feasible']} feasible, "
                     f"{len(results.front)} on the front\nlabels: trial {results.label_keys()}", fontsize=9)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8, loc="best")
        fig.tight_layout()
        path = folder / picture_name(x_metric, y_metric)
        fig.savefig(path, dpi=110)
        plt.close(fig)
        paths.append(path)
    return paths
