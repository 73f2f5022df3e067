"""Design-space exploration: many flow runs over a space of config values, and their Pareto front.

`tapeout explore SPACE.toml` reads a space file (`space.py`, with its parameters in `parameters.py`),
proposes trials with a search strategy (`search.py`: grid, random, Optuna's NSGA-II or TPE), runs
each as an ordinary flow run of the base design with the trial's values (`trial_design.py`) in its
own build directory (`trial.py`), isolated in a child process (`isolation.py`) on an executor
(`executors.py`: a local process pool or Dask), sharing finished stages between trials
(`stage_index.py`). Each finished trial is evaluated against the objectives and constraints
(`evaluation.py`); the results (`results.py`), the Pareto front (`pareto.py`), its pictures
(`pictures.py`) and an HTML page (`html_page.py`) are written at the end, and `live.py` shows
progress meanwhile. `runner.py` is the loop that ties them together.
"""
