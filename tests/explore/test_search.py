"""Search strategies: grid order, seeded random draws, and Optuna studies that resume."""

import optuna

from tapeout.explore.evaluation import Evaluation
from tapeout.explore.search import GridSearch, RandomSearch, make_search
from tapeout.explore.space import load_space

VARY = "tensor_core.rows = [1, 2, 4]\ntensor_core.cols = { range = [1, 2] }\ndesign.clock_period_ns = { range = [5.0, 20.0] }"


def proposals(search):
    out = []
    while (proposal := search.next_trial()) is not None:
        out.append(proposal)
        search.finished(Evaluation(proposal[0], "done", "", {}, ()))
    return out


def test_grid_runs_every_point_last_key_fastest_and_skips_finished(make_space):
    space = load_space(make_space("tensor_core.rows = [1, 2]\ntensor_core.cols = [1, 2, 4]"))
    points = proposals(GridSearch(space, None, set()))
    assert [t for t, _ in points] == list(range(6))
    assert [(v["tensor_core.rows"], v["tensor_core.cols"]) for _, v in points] == [
        (1, 1), (1, 2), (1, 4), (2, 1), (2, 2), (2, 4)]
    assert [t for t, _ in proposals(GridSearch(space, None, {0, 2, 5}))] == [1, 3, 4]
    assert [t for t, _ in proposals(GridSearch(space, 4, set()))] == [0, 1, 2, 3]


def test_random_draws_depend_on_seed_and_trial_only(make_space):
    space = load_space(make_space(VARY, search="random", extra="trials = 20\nseed = 3"))
    first = proposals(RandomSearch(space, 20, set()))
    assert len(first) == 20 and first == proposals(RandomSearch(space, 20, set()))
    assert dict(proposals(RandomSearch(space, 20, {0, 1, 2}))) == {t: v for t, v in first if t > 2}
    for _, values in first:
        assert values["tensor_core.rows"] in (1, 2, 4) and values["tensor_core.cols"] in (1, 2)
        assert 5.0 <= values["design.clock_period_ns"] <= 20.0
    other = load_space(make_space(VARY, search="random", extra="trials = 20\nseed = 4", name="other.toml"))
    assert proposals(RandomSearch(other, 20, set())) != first


def test_optuna_study_is_told_every_result_and_resumes(make_space, tmp_path):
    space = load_space(make_space(VARY, search="nsga2", extra="trials = 6"))
    folder = tmp_path / "study"
    folder.mkdir()
    search = make_search(space, 6, set(), folder, {})
    asked = []
    for k in range(4):
        trial, values = search.next_trial()
        asked.append(trial)
        area = values["tensor_core.rows"] * values["tensor_core.cols"]
        if k == 3:
            continue  # the run is killed while trial 3 runs: it was asked and never told
        ok = k != 1
        search.finished(Evaluation(trial, "done" if ok else "failed", "", {"fake__area__um2": area * 10.0,
                        "fake__cycles__count": 1000.0 / area} if ok else {}, (0.0,) if ok else ()))
    assert asked == [0, 1, 2, 3]
    resumed = make_search(space, 6, {0, 1, 2}, folder, {})
    states = [t.state for t in resumed.study.get_trials()]
    assert states[:4] == [optuna.trial.TrialState.COMPLETE, optuna.trial.TrialState.FAIL,
                          optuna.trial.TrialState.COMPLETE, optuna.trial.TrialState.FAIL]
    # the unfinished trial's values are queued again and asked first; then the budget of 6 is used up
    again = resumed.next_trial()
    assert again[0] == 4 and again[1] == resumed.study.trials[3].params
    assert resumed.next_trial()[0] == 5 and resumed.next_trial()[0] == 6 and resumed.next_trial() is None
