"""Evidence for the topic space: stability and agreement of the whole procedure per setting.

For each LSA size and min_df, on the committed mapping (data/processed/initiatives.csv) and
with every other parameter as in params/02_topics.yaml, the whole procedure of notebook 02
is run at a fixed k (default 8) with 5 seeds and 5 subsamples (and, for comparison, the
method it replaced: k-means in LSA-60 with min_df 2 and no region-marked terms removed):
seed and bootstrap stability (mean pairwise ARI), the null's bootstrap stability, NMI with the
region and NMI with the experts' ICPerMed perspectives. Writes
benchmarks/results/topic_settings.csv, which notebook 02 shows.
Run: OMP_NUM_THREADS=1 .venv/bin/python benchmarks/topic_settings.py [--k 8]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from sklearn.metrics import normalized_mutual_info_score as nmi
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ic2analysis import files, paths  # noqa: E402
from ic2analysis.analysis import dialect, instruments, kchoice, topics, vectorise  # noqa: E402
from ic2analysis.analysis import stability as st  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "topic_settings.csv"
GRID = [(c, d) for d in (2, 5, 10) for c in (8, 12, 20, 60)]


def row(items: pd.DataFrame, p: dict, k: int, components: int, min_df: int) -> dict:
    """The evidence of one setting at k."""
    p = {**p, "lsa_components": components, "min_df": min_df}
    settings = vectorise.Settings.from_params(p, dialect.marked_terms(dialect.load_marked()))
    texts = list(vectorise.documents(items))
    lex = instruments.load()
    inst = instruments.classify(
        items["id"], instruments.scores(texts, settings, lex), lex,
        float(p["instrument_share_min"]), float(p["subject_weight_max"]),
    )  # fmt: skip
    keep = ~inst["instrument"].to_numpy()
    sub = [t for t, s in zip(texts, keep, strict=True) if s]
    refits = st.Refits(sub, settings, topics.bagging(p))
    seed = int(p["seed"])
    seeds = [seed + i for i in range(5)]
    samples = st.subsamples(len(sub), 5, float(p["bootstrap_share"]), seed)
    ev, _ = kchoice.evidence(refits, st.null_refits(refits), k, seeds, samples, 3, 4000)
    labels = refits.labels(np.arange(len(sub)), seed, k)
    kept = items[keep]
    return {
        "method": "bagged consensus",
        "lsa_components": components,
        "min_df": min_df,
        "k": k,
        "seed_ari": round(ev["seed_ari"], 3),
        "bootstrap_ari": round(ev["bootstrap_ari"], 3),
        "null_bootstrap_ari": round(ev["null_bootstrap_ari"], 3),
        "nmi_region": round(nmi(kept["region"], labels), 3),
        "nmi_experts": round(nmi(kept["perspective_primary"], labels), 3),
    }


def previous(items: pd.DataFrame, p: dict, k: int) -> dict:
    """The method this replaced: k-means (n_init 10) in randomised LSA-60, min_df 2, all words."""
    import itertools

    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.metrics import adjusted_rand_score as ari
    from sklearn.preprocessing import normalize

    s = vectorise.Settings.from_params({**p, "min_df": 2, "lsa_components": 60})
    texts = list(vectorise.documents(items))

    def labels(idx: np.ndarray, seed: int) -> np.ndarray:
        x, _ = vectorise.tfidf([texts[i] for i in idx], s)
        z = normalize(TruncatedSVD(60, random_state=seed).fit_transform(x))
        return KMeans(k, n_init=10, random_state=seed, algorithm="lloyd").fit_predict(z)

    seed, all_idx = int(p["seed"]), np.arange(len(texts))
    runs = [labels(all_idx, seed + i) for i in range(5)]
    samples = st.subsamples(len(texts), 5, 0.8, seed)
    boots = [labels(idx, seed + 1 + b) for b, idx in enumerate(samples)]
    pairs = list(itertools.combinations(range(5), 2))
    shared = [np.intersect1d(samples[a], samples[b], return_indices=True) for a, b in pairs]
    return {
        "method": "previous: k-means in LSA-60",
        "lsa_components": 60,
        "min_df": 2,
        "k": k,
        "seed_ari": round(float(np.mean([ari(runs[a], runs[b]) for a, b in pairs])), 3),
        "bootstrap_ari": round(
            float(
                np.mean(
                    [
                        ari(boots[a][ia], boots[b][ib])
                        for (a, b), (_, ia, ib) in zip(pairs, shared, strict=True)
                    ]
                )
            ),
            3,
        ),  # fmt: skip
        "null_bootstrap_ari": np.nan,
        "nmi_region": round(nmi(items["region"], runs[0]), 3),
        "nmi_experts": round(nmi(items["perspective_primary"], runs[0]), 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--k", type=int, default=8)
    args = ap.parse_args()
    items = pd.read_csv(paths.PROCESSED / "initiatives.csv", dtype=str, keep_default_na=False)
    p = yaml.safe_load((paths.PARAMS / "02_topics.yaml").read_text(encoding="utf-8"))
    with threadpool_limits(1):
        rows = [previous(items, p, args.k)] + [row(items, p, args.k, c, d) for c, d in GRID]
    files.write_csv(OUT, pd.DataFrame(rows))
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
