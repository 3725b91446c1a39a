"""Secondary child-side tasks: the k: auto evidence and the worst case of duplicate detection."""

from __future__ import annotations

from typing import Any

from .clock import Clock
from .settings import SEED, TOPICS


def task_sweep(path: str, ks: list[int]) -> dict[str, Any]:
    """The cost of the k: auto evidence for ``ks`` and its parts (cleaning first, untimed)."""
    from ic2analysis.analysis import consensus, kchoice, topics, vectorise
    from ic2analysis.analysis import stability as st
    from ic2analysis.cleaning import clean

    table = clean.clean([path]).table
    texts = list(vectorise.documents(table))
    params = TOPICS.values()
    settings = vectorise.Settings.from_params(params)
    size = TOPICS.sample_size
    sample = st.subsamples(len(texts), 1, min(1.0, size / len(texts)), SEED)[0]
    refits = st.Refits([texts[i] for i in sample], settings, topics.bagging(params))
    null = st.null_refits(refits)
    seeds = [SEED + i for i in range(TOPICS.stability_seeds)]
    boots = st.subsamples(len(sample), TOPICS.stability_seeds, 0.8, SEED)
    clock = Clock()
    clock.run(
        "sweep",
        lambda: [kchoice.evidence(refits, null, k, seeds, boots, 5, size) for k in ks],
    )
    k = ks[-1]
    space = vectorise.embed(texts, settings).space
    fit = clock.run("full_fit", lambda: consensus.fit(space, k, SEED, consensus.Bagging()))
    clock.run("silhouette", lambda: kchoice.silhouette(space, fit.labels, SEED, size))
    clock.run("stability", lambda: st.seed_stability(refits, k + 1, seeds))
    params.update(seed=SEED, k=k)  # notebook 02's own entry point with a fixed k
    clock.run("analyse_fixed_k", lambda: topics.analyse(table, params))
    return clock.result(items=len(table), ks=ks)


def task_same_title(m: int) -> dict[str, Any]:
    """Worst case for duplicate detection: ``m`` rows that all carry the same title."""
    from ic2analysis.cleaning import dedupe

    titles = ["national action plan for genomic medicine"] * m
    clock = Clock()
    found = clock.run(
        "find_matches", lambda: dedupe.find_matches(titles, [""] * m, [""] * m, [2018] * m)
    )
    return clock.result(items=m, matches=len(found))
