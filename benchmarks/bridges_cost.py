"""Issue 14's cost target on its own: counterparts + robustness at 100k rows against plain
TF-IDF + LSA + KMeans on the same texts, one fresh child process each (``run_child``,
the same tasks and settings as ``bench.py``; ``bench.py`` runs the full grid).

Writes benchmarks/results/bridges_cost.csv (one row per run: the stages' seconds and the
ratio). Run niced: nice OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bridges_cost.py
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from benchkit.child import run_child  # noqa: E402
from benchkit.settings import LSA, SEED  # noqa: E402

from ic2analysis import files  # noqa: E402

OUT = HERE / "results" / "bridges_cost.csv"
BRIDGES_TARGET = 0.5  # issue 14: counterparts + robustness vs plain TF-IDF + LSA + KMeans


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=100_000)
    n = ap.parse_args().size
    path = str(generate.ensure(n, SEED))
    pipe = run_child("pipeline", path=path).result["times"]
    base = run_child("baseline", path=path, lsa=LSA).result["times"]
    mine = pipe["counterparts"] + pipe["robustness"]
    plain = base["tfidf"] + base["lsa"] + base["kmeans"]
    import pandas as pd

    row = {"rows": n, "counterparts_s": round(pipe["counterparts"], 3),
           "robustness_s": round(pipe["robustness"], 3), "bridges_s": round(pipe["bridges"], 3),
           "plain_tfidf_lsa_kmeans_s": round(plain, 3), "ratio": round(mine / plain, 3),
           "target": BRIDGES_TARGET, "met": mine / plain <= BRIDGES_TARGET}  # fmt: skip
    files.write_csv(OUT, pd.DataFrame([row]))
    print(row)


if __name__ == "__main__":
    main()
