"""An 8-configuration GridSearchCV of the classic KerasClassifier, with n_jobs=1 and n_jobs=2 (issue 7).

Prints both wall times and their ratio (target <= 0.6 on 2 cores). Workers pin BLAS to one thread. More
rows put the ratio in context, measured in the same run:
- "warm pool": the same search again, once the two worker processes exist;
- "pool start-up": cold minus warm, what starting the two workers cost the first search (each new worker
  imports scikit-learn's search machinery, about 1.1 s of its own here, before its first fit);
- "best possible": the ratio if the fits and scores shared the two cores perfectly, given GridSearchCV's final
  refit, which runs alone in the main process: for the warm pool, and for the cold one with its start-up;
- "machine ceiling": 24 equal tasks of pure Python arithmetic, which share nothing: the best ratio this
  machine's two cores give any process-parallel job.

    python benchmarks/grid_search.py [--samples 3000]

``--samples`` scales the data (and so the time of every fit), which shows how the fixed costs weigh less as
the fits grow.
"""
from __future__ import annotations

import os
import sys
import time

import numpy as np
from sklearn.model_selection import GridSearchCV

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tensorlet.keras.wrappers.scikit_learn import KerasClassifier  # noqa: E402
from tests.helpers.sklearn_models import build_classifier  # noqa: E402


def spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i
    return total


def ceiling(tasks: int = 24, n: int = 1_500_000) -> tuple[float, float]:
    from joblib import Parallel, delayed

    out = []
    for n_jobs in (1, 2):
        Parallel(n_jobs=n_jobs)(delayed(spin)(10) for _ in range(2))  # start the pool outside the timing
        t0 = time.perf_counter()
        Parallel(n_jobs=n_jobs)(delayed(spin)(n) for _ in range(tasks))
        out.append(time.perf_counter() - t0)
    return out[0], out[1]


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=3000)
    n = parser.parse_args().samples
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, 20)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype(int) + (x[:, 2] > 1).astype(int)
    grid = {"n_hidden": [1, 2], "width": [32, 64], "optimizer": ["rmsprop", "sgd"]}
    times, refit = {}, 0.0
    for n_jobs in (1, 2, "2 warm"):
        search = GridSearchCV(KerasClassifier(build_fn=build_classifier, epochs=20, batch_size=32, verbose=0,
                                              random_state=0), grid, cv=3, n_jobs=2 if n_jobs == "2 warm" else n_jobs)
        t0 = time.perf_counter()
        search.fit(x, y)
        times[n_jobs] = time.perf_counter() - t0
        if n_jobs == 1:
            refit = search.refit_time_
        print(f"n_jobs={n_jobs}: {times[n_jobs]:.1f} s, best {search.best_params_} ({search.best_score_:.3f})")
    c1, c2 = ceiling()
    ratio = times[2] / times[1]
    startup = times[2] - times["2 warm"]
    best = (times[1] - refit) / 2 + refit
    print(f"\n| job | n_jobs=1 s | n_jobs=2 s | ratio | target |\n|---|---|---|---|---|\n"
          f"| 8 configs x 3 folds, {n} samples | {times[1]:.1f} | {times[2]:.1f} | {ratio:.2f} | <= 0.6 "
          f"{'ok' if ratio <= 0.6 else 'MISSED'} |\n"
          f"| the same, warm pool | {times[1]:.1f} | {times['2 warm']:.1f} | {times['2 warm'] / times[1]:.2f} | |\n"
          f"| pool start-up (cold minus warm) | | {startup:.1f} | | |\n"
          f"| best possible, warm: fits shared perfectly + serial refit {refit:.1f} s | {times[1]:.1f} | "
          f"{best:.1f} | {best / times[1]:.2f} | |\n"
          f"| best possible, cold: the same + pool start-up | {times[1]:.1f} | {best + startup:.1f} | "
          f"{(best + startup) / times[1]:.2f} | |\n"
          f"| machine ceiling (24 pure-Python tasks) | {c1:.1f} | {c2:.1f} | {c2 / c1:.2f} | |")


if __name__ == "__main__":
    main()
