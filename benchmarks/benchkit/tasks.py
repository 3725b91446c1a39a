"""The measured work, run inside a child process: the pipeline and the plain baseline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .clock import Clock, timed
from .drawing import Model, figures
from .settings import BRIDGE_PARAMS, LSA, N_INIT, SEED, TOPICS, K


def _bootstraps(items: Any, n: int, share: float) -> Any:
    """Bootstrap partitions as the topics step writes them (id, bootstrap, topic): ``n``
    subsamples of ``share`` of all items, so that robustness test (b) is timed on partitions
    as large as the mapping (the topics step's own are on its sample)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(SEED)
    frames = []
    for b in range(1, n + 1):
        pick = np.sort(rng.choice(len(items), int(share * len(items)), replace=False))
        frames.append(pd.DataFrame({"id": items["id"].to_numpy()[pick], "bootstrap": b,
                                    "topic": items["cluster"].to_numpy()[pick]}))  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def where(exc: BaseException) -> str:
    """The innermost frame of the package in ``exc``'s traceback, as file:line function."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    f = ([f for f in frames if "ic2analysis" in f.filename] or frames)[-1]
    return f"{Path(f.filename).name}:{f.lineno} {f.name}"


def _files(path: str | list[str]) -> list[str]:
    return path if isinstance(path, list) else [path]  # a large mapping comes in parts


def task_pipeline(path: str | list[str]) -> dict[str, Any]:
    """The analysis on one mapping, stage by stage (imports are not timed): clean, embed,
    the bagged consensus fit, bridges (pairs, counterparts, robustness timed inside) and
    five figures. Under a memory cap a MemoryError keeps the earlier stages' figures."""
    import matplotlib.pyplot  # noqa: F401  # imported before the clock, like every module
    from sklearn.decomposition import TruncatedSVD  # noqa: F401

    from ic2analysis.analysis import bridges, consensus, vectorise
    from ic2analysis.cleaning import clean

    clock = Clock()
    inner = [(bridges.pairs, "pairs", "pairs"),
             (bridges._Table, "result", "counterparts"),  # waits for the (forked) search
             (bridges.robustness, "robust_ranking", "robustness")]  # fmt: skip
    for module, name, key in inner:  # measure, not change: time each sub-step
        setattr(module, name, timed(getattr(module, name), clock, key))
    info: dict[str, Any] = {}
    try:
        res = clock.run("clean", lambda: clean.clean(_files(path), dedupe_threshold=92))
        table = res.table
        info.update(items=len(table), merged=res.counts["merged"])
        del res  # the cleaning log: written by notebook 01, never held by 02 or 03
        settings = vectorise.Settings.from_params(TOPICS.values())
        emb = clock.run("embed", lambda t=table: vectorise.embed(vectorise.documents(t), settings))
        info.update(vocabulary=int(emb.tfidf.shape[1]), nnz=int(emb.tfidf.nnz))
        fit = clock.run("fit", lambda: consensus.fit(emb.space, K, SEED, consensus.Bagging()))
        model = Model(table, fit.labels)
        items = table.merge(model.assignments[["id", "cluster", "label", "name_en"]], on="id")
        del table  # items has its rows in the same order: one copy, as notebook 03 holds
        boots = _bootstraps(items, TOPICS.bootstraps, TOPICS.bootstrap_share)
        tables = clock.run("bridges", lambda: bridges.analyse(items, emb, BRIDGE_PARAMS, boots))
        clock.run("figures", lambda: figures(items, model, emb, tables))
    except MemoryError as exc:  # only under mem_cap_mib (see child.child_main)
        stage = next(s for s in ("clean", "embed", "fit", "bridges", "figures")
                     if s not in clock.rss)  # fmt: skip
        info.setdefault("items", 0)
        info["skipped"] = f"MemoryError in {stage} under the memory cap ({exc}; at {where(exc)})"
    return clock.result(**info)


def task_baseline(path: str | list[str], lsa: int = LSA) -> dict[str, Any]:
    """Plain scikit-learn: read the texts, TF-IDF, LSA + Normalizer, k-means. Nothing else."""
    import pandas as pd
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import Normalizer

    from ic2analysis.analysis import vectorise

    clock = Clock()
    frame = clock.run(
        "read",
        lambda: pd.concat(
            [pd.read_csv(f, dtype=str, keep_default_na=False) for f in _files(path)],
            ignore_index=True,
        ),
    )
    texts = list(vectorise.documents(frame))
    vec = vectorise.vectorizer(vectorise.Settings.from_params(TOPICS.values()), len(texts))
    x = clock.run("tfidf", lambda: vec.fit_transform(texts))
    svd = make_pipeline(TruncatedSVD(lsa, random_state=SEED), Normalizer(copy=False))
    x = clock.run("lsa", lambda: svd.fit_transform(x))
    clock.run(
        "kmeans",
        lambda: KMeans(n_clusters=K, n_init=N_INIT, random_state=SEED, algorithm="lloyd").fit(x),
    )
    return clock.result(items=len(frame))
