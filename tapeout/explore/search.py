"""Search strategies: which trials to run, in which order.

grid   -- every combination of the parameters' values, in `[vary]` order (the last key varies fastest)
random -- `trials` independent draws; trial i is drawn from a generator seeded with (seed, i), so the
          same seed gives the same trials whatever the order they finish in
nsga2, tpe -- Optuna's samplers (multi-objective NSGA-II; TPE), told every result; the study lives in
          `optuna.journal` beside the trials, so `--resume` continues it and `optuna-dashboard` opens it

`next_trial()` gives (trial number, {key: value}) or None when there is nothing more to start;
`finished(evaluation)` reports a trial's result back.
"""

from __future__ import annotations

import itertools
import logging
import warnings
from abc import ABC, abstractmethod
from pathlib import Path

import numpy as np

from tapeout.explore.evaluation import Evaluation
from tapeout.explore.space import Space


class Search(ABC):
    """Trials of `space` to run in `explore_dir`, skipping those in `finished` (trial numbers)."""

    def __init__(self, space: Space, budget: int | None, finished: set[int]):
        self.space = space
        self.budget = budget
        self.finished_trials = set(finished)

    @abstractmethod
    def next_trial(self) -> tuple[int, dict] | None:
        """The next trial to start, or None."""

    def finished(self, evaluation: Evaluation) -> None:
        self.finished_trials.add(evaluation.trial)

    def abandoned(self, trial: int) -> None:  # noqa: B027 - most searches have nothing to forget
        """A started trial will not finish in this run (interrupted); it is not counted as done."""

    def total(self) -> int | None:
        """How many trials this search runs in all (finished ones included), when known."""
        return self.budget


class _Listed(Search):
    """A search whose trials are known up front: trial i is `self.values(i)` for i below `self.total()`."""

    def __init__(self, space, budget, finished):
        super().__init__(space, budget, finished)
        self.position = 0

    @abstractmethod
    def values(self, trial: int) -> dict:
        """The values of trial `trial`."""

    def next_trial(self):
        while self.position < self.total():
            trial, self.position = self.position, self.position + 1
            if trial not in self.finished_trials:
                return trial, self.values(trial)
        return None


class GridSearch(_Listed):
    def __init__(self, space, budget, finished):
        super().__init__(space, budget, finished)
        self.points = list(itertools.product(*(p.grid() for p in space.parameters)))

    def total(self):
        return min(len(self.points), self.budget or len(self.points))

    def values(self, trial):
        return dict(zip(self.space.keys, self.points[trial]))


class RandomSearch(_Listed):
    def values(self, trial):
        rng = np.random.default_rng([self.space.seed, trial])
        return {p.key: _plain(p.sample(rng)) for p in self.space.parameters}


def _plain(value):
    """numpy scalars as Python numbers (they go into TOML and JSON)."""
    return value.item() if isinstance(value, np.generic) else value


class OptunaSearch(Search):
    """NSGA-II (`nsga2`) or TPE (`tpe`) over the space's parameters, with the objectives' directions and
    the constraints as Optuna constraint values (how far outside the bound; 0 is feasible). NSGA-II's
    population is a fifth of the budget (4 to 50), TPE's random start the same (4 to 10)."""

    def __init__(self, space, budget, finished, explore_dir: Path, records: dict):
        super().__init__(space, budget, finished)
        import optuna

        optuna.logging.set_verbosity(logging.WARNING)
        warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
        self.optuna = optuna
        self.distributions = {p.key: p.distribution() for p in space.parameters}
        self.parameters = {p.key: p for p in space.parameters}
        storage = optuna.storages.JournalStorage(
            optuna.storages.journal.JournalFileBackend(str(explore_dir / "optuna.journal")))
        if space.search == "nsga2":
            sampler = optuna.samplers.NSGAIISampler(population_size=max(4, min(50, budget // 5)), seed=space.seed)
        else:
            sampler = optuna.samplers.TPESampler(seed=space.seed, n_startup_trials=max(4, min(10, budget // 5)))
        directions = ["maximize" if sense == "max" else "minimize" for sense in space.objectives.values()]
        self.study = optuna.create_study(study_name=space.name, storage=storage, sampler=sampler,
                                         directions=directions, load_if_exists=True)
        self.running: dict[int, object] = {}
        self._recover(records)

    def _recover(self, records: dict) -> None:
        """Trials asked for but never told (a killed run): tell those that finished after all; give the
        others up and queue their values again, so they run once more."""
        from optuna.trial import Trial, TrialState

        for frozen in self.study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
            record = records.get(frozen.number)
            if record is not None:
                self.running[frozen.number] = Trial(self.study, frozen._trial_id)
                self.finished(record)
            else:
                self.study.tell(frozen.number, state=TrialState.FAIL)
                self.study.enqueue_trial(frozen.params, skip_if_exists=False)

    def next_trial(self):
        if len(self.finished_trials) + len(self.running) >= self.budget:
            return None
        trial = self.study.ask(self.distributions)
        self.running[trial.number] = trial
        return trial.number, {k: self.parameters[k].from_optuna(v) for k, v in trial.params.items()}

    def finished(self, evaluation: Evaluation) -> None:
        super().finished(evaluation)
        trial = self.running.pop(evaluation.trial, None)
        if trial is None:
            return
        state = self.optuna.trial.TrialState
        if evaluation.ok:
            for constraint, violation in zip(self.space.constraints, evaluation.violations):
                trial.set_constraint(constraint.text(), violation)
            self.study.tell(trial, values=list(evaluation.objectives.values()), skip_if_finished=True)
        else:
            self.study.tell(trial, state=state.FAIL, skip_if_finished=True)

    def abandoned(self, trial: int) -> None:
        frozen = self.running.pop(trial, None)
        if frozen is not None:
            self.study.tell(frozen, state=self.optuna.trial.TrialState.FAIL, skip_if_finished=True)
            self.study.enqueue_trial(frozen.params, skip_if_exists=False)


def make_search(space: Space, budget: int | None, finished: set[int], explore_dir: Path, records: dict) -> Search:
    """The space's search strategy; `records` maps finished trial numbers to their evaluations."""
    if space.search == "grid":
        return GridSearch(space, budget, finished)
    if space.search == "random":
        return RandomSearch(space, budget, finished)
    return OptunaSearch(space, budget, finished, explore_dir, records)
