"""The known-pair check of every counterpart method tried, on the committed mapping.

Each variant is an unweighted mean of cosines in some of the views of
``analysis/counterparts.py`` (words: TF-IDF of the topic vocabulary without the
region-marked terms; topics: the LSA space of notebook 02; characters: 3-5-grams of the
neutralised text). For every known pair of ``params/counterpart_pairs.csv``: is the partner
among the European item's top 3, the Chinese item's top 3, either; and among the top 10.
The method in use (all three views) was fixed before this table was made: no weight is
fitted to the check set. Writes benchmarks/results/counterpart_variants.csv, which
notebook 03 shows.
Run: OMP_NUM_THREADS=1 .venv/bin/python benchmarks/counterpart_variants.py
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ic2analysis import files, paths  # noqa: E402
from ic2analysis.analysis import (  # noqa: E402
    agreement,
    charviews,
    counterparts,
    dialect,
    store,
    vectorise,
)
from ic2analysis.cleaning import clean  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "counterpart_variants.csv"
VARIANTS = {
    "words (the method replaced)": ("words",),
    "topics (LSA)": ("topics",),
    "characters": ("chars",),
    "words + topics": ("words", "topics"),
    "words + characters": ("words", "chars"),
    "words + topics + characters (in use)": ("words", "topics", "chars"),
}


def found(items: pd.DataFrame, views: dict, names: tuple, pairs: pd.DataFrame, k: int):
    """For each known pair: rank of the partner among each side's top k (0 = not there)."""
    region = items["region"].to_numpy()
    ids = items["id"].to_numpy()
    ranks = {}
    for r in ("Europe", "China"):
        a, b = np.flatnonzero(region == r), np.flatnonzero(region != r)
        vs = [(views[n][a], views[n][b]) for n in names]
        got = counterparts._exact(vs, views["words"][a], views["words"][b],
                                  views["terms"], k, 20_000_000)  # fmt: skip
        ranks[r] = {(ids[a[i]], ids[b[j]]): rk for i, j, rk in
                    zip(got["i"], got["j"], got["rank"], strict=True)}  # fmt: skip
    both = list(zip(pairs.id_europe, pairs.id_china, strict=True))
    eu = [ranks["Europe"].get((e, c), 0) for e, c in both]
    cn = [ranks["China"].get((c, e), 0) for e, c in both]
    return np.array(eu), np.array(cn)


def main() -> None:
    out = SimpleNamespace(initiatives=paths.PROCESSED / "initiatives.csv",
                          tables=paths.REPORTS / "tables")  # fmt: skip
    items, emb = store.reload(clean.load(out), out)
    texts = list(vectorise.documents(items))
    marked = dialect.marked_terms(dialect.load_marked())
    views = {"words": emb.tfidf, "topics": emb.space, "terms": emb.terms,
             "chars": charviews.char_tfidf(texts, marked)}  # fmt: skip
    pairs = agreement.load_pairs(paths.PARAMS / "counterpart_pairs.csv")
    rows = []
    for name, names in VARIANTS.items():
        eu, cn = found(items, views, names, pairs, 10)
        top3 = lambda r: (r > 0) & (r <= 3)  # noqa: E731
        rows.append({"variant": name, "pairs": len(pairs),
                     "europe_finds_china_top3": round(top3(eu).mean(), 3),
                     "china_finds_europe_top3": round(top3(cn).mean(), 3),
                     "either_top3": round((top3(eu) | top3(cn)).mean(), 3),
                     "either_top10": round(((eu > 0) | (cn > 0)).mean(), 3)})  # fmt: skip
    table = pd.DataFrame(rows)
    files.write_csv(OUT, table)
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
