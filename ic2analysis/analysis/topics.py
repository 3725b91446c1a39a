"""Topics: TF-IDF without region-marked terms -> small LSA -> bagged k-means consensus.

This module runs the steps in order and gathers what notebook 02 shows; each step lives in
its own module: ``vectorise`` (tokens, TF-IDF, LSA), ``dialect`` (region-marked terms),
``instruments`` (the cross-cutting instruments group), ``consensus`` (bagged k-means),
``stability`` (seed, bootstrap, null, per topic), ``kchoice`` (the k rule), ``naming``
(labels and reviewed names), ``agreement`` (regions, experts, counterparts) and ``store``
(the tables written and read back).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from ..progress import progress
from . import consensus, dialect, instruments, kchoice, naming, partition_store, style, vectorise
from . import stability as st
from .notes import Note
from .vectorise import documents, tokenize  # noqa: F401  (used by notebooks and bridges)


@dataclass
class TopicResult:
    """Everything notebook 02 shows and writes."""

    k: int
    why: str
    skipped: str = ""  # why no topics were made (too few items), else empty
    notes: list[str] = field(default_factory=list)  # clipping of k_range and similar
    sweep: pd.DataFrame = field(default_factory=pd.DataFrame)
    assignments: pd.DataFrame = field(default_factory=pd.DataFrame)
    names: pd.DataFrame = field(default_factory=pd.DataFrame)
    stale_names: list[str] = field(default_factory=list)
    terms: pd.DataFrame = field(default_factory=pd.DataFrame)
    topic_stability: pd.DataFrame = field(default_factory=pd.DataFrame)
    bootstraps: pd.DataFrame = field(default_factory=pd.DataFrame)
    instruments: pd.DataFrame = field(default_factory=pd.DataFrame)
    region_terms: pd.DataFrame = field(default_factory=pd.DataFrame)
    style_terms: pd.DataFrame = field(default_factory=pd.DataFrame)  # set aside automatically
    n_terms: int = 0
    final: dict = field(default_factory=dict)  # the evidence at k with every replicate
    settings: vectorise.Settings | None = None
    space: np.ndarray | None = None
    coords: np.ndarray | None = None  # 2-D map of every item
    embedding: vectorise.Embedding | None = None  # every item's TF-IDF and LSA (notebook 03)


def minimum_items(k_range: list[int]) -> int:
    """Fewest subject items worth clustering: two per topic at the smallest k."""
    return 2 * max(2, int(k_range[0]))


def k_values(n: int, k_range: list[int]) -> tuple[list[int], list[str]]:
    """k_range clipped to what n items support (at most n // 2 topics), and what was clipped."""
    lo, hi = int(k_range[0]), int(k_range[1])
    top = min(hi, n // 2)
    notes = []
    if top < hi:
        text = (
            f"k_range [{lo}, {hi}] clipped to [{lo}, {top}]: {n} items support at most "
            f"{top} topics of two items"
        )
        notes.append(Note("k_clipped", text, lo=lo, hi=hi, top=top, n=n))
    return list(range(lo, top + 1)), notes


def bagging(p: dict) -> consensus.Bagging:
    return consensus.Bagging(
        n_runs=int(p["consensus_runs"]),
        subsample=float(p["bootstrap_share"]),
        dims=(int(p["lsa_dims_min"]), int(p["lsa_components"])),
        max_items=int(p["consensus_sample"]),
        n_init=int(p["consensus_n_init"]),
    )


def _rule(p: dict) -> kchoice.Rule:
    return kchoice.Rule(
        float(p["seed_min"]), float(p["null_margin"]), float(p["min_topic_share"]), float(p["tie"])
    )


def _sweep(refits, null, ks, p, seed, n) -> tuple[pd.DataFrame, dict, list[np.ndarray]]:
    """The evidence for every k with the sweep's replicates (a subset of the final ones)."""
    seeds = [seed + i for i in range(int(p["stability_seeds"]))]
    samples = st.subsamples(n, int(p["bootstraps"]), float(p["bootstrap_share"]), seed)
    m = int(p["sweep_replicates"])
    rows, parts = [], {}
    st.prefetch(kchoice.plan(refits, null, seeds[:m], samples[:m], int(p["null_runs"])), ks)
    for k in progress(ks, "k sweep"):
        row, parts[k] = kchoice.evidence(
            refits, null, k, seeds[:m], samples[:m], int(p["null_runs"]), int(p["sample_size"])
        )
        rows.append(row)
    return pd.DataFrame(rows), parts, samples


def _final(refits, null, k, p, seed, samples) -> tuple[dict, list[np.ndarray]]:
    """The evidence at the chosen k with every replicate (the sweep's runs are reused)."""
    seeds = [seed + i for i in range(int(p["stability_seeds"]))]
    return kchoice.evidence(
        refits, null, k, seeds, samples, int(p["null_runs"]), int(p["sample_size"])
    )


def _vocabulary(texts: list[str], regions: list[str], p: dict):
    """Settings without the reviewed region-marked terms and the style terms found here;
    the style terms; the log-odds (independent of the marked terms: computed once)."""
    marked = dialect.marked_terms(dialect.load_marked())
    scores = dialect.log_odds(texts, regions, vectorise.Settings.from_params(p, marked))
    styled = style.from_params(texts, regions, p, marked, scores)
    marked = tuple(sorted({*marked, *styled["term"]}))
    return vectorise.Settings.from_params(p, marked), styled, scores


def analyse(items: pd.DataFrame, params: dict, cache: Path | None = None) -> TopicResult:
    """Set instruments aside, choose k by stability, fit the consensus, name the topics.
    With ``cache`` (a folder), the partitions are kept there by content (``partition_store``)."""
    p = params
    texts, regions = list(documents(items)), list(items["region"])
    n_min = minimum_items(p["k_range"])
    if len(items) < n_min:
        why = Note(
            "too_few_items",
            f"{len(items)} item(s): topics need at least {n_min} (two per topic at the "
            f"smallest k of k_range {list(p['k_range'])}), so none were made",
            n=len(items),
            n_min=n_min,
        )
        return TopicResult(0, why, skipped=why)
    settings, styled, scores = _vocabulary(texts, regions, p)
    lex = instruments.load()
    inst = instruments.classify(
        items["id"],
        instruments.scores(texts, settings, lex),
        lex,
        float(p["instrument_share_min"]),
        float(p["subject_weight_max"]),
    )
    subj = ~inst["instrument"].to_numpy()
    sub_texts = [t for t, s in zip(texts, subj, strict=True) if s]
    n = len(sub_texts)
    if n < n_min:
        why = Note(
            "too_few_subjects",
            f"{n} subject item(s) once the {int((~subj).sum())} instrument(s) are set "
            f"aside: topics need at least {n_min}, so none were made",
            n=n,
            instruments=int((~subj).sum()),
            n_min=n_min,
        )
        return TopicResult(0, why, skipped=why, instruments=inst)
    fit = _fit(sub_texts, settings, p, cache)
    used = vectorise.effective_min_df(settings, n)
    if used != settings.min_df:
        text = f"min_df {settings.min_df} lowered to {used}: at most 2 % of the {n} subject items"
        fit.notes.append(Note("min_df_lowered", text, asked=settings.min_df, used=used, n=n))
    result = TopicResult(fit.k, fit.why, notes=fit.notes, sweep=fit.table, instruments=inst)
    result.settings, result.final, result.space = settings, fit.final, fit.space
    result.n_terms = fit.n_terms
    result.embedding = vectorise.embed(texts, settings)
    result.coords = vectorise.map_2d(result.embedding.tfidf, settings)
    _name(result, items, texts, subj, fit, p)
    ref = fit.labels[fit.sample]
    ids = items.loc[subj, "id"].to_numpy()[fit.sample]
    _stability(result, ids, ref, fit.parts, fit.samples, float(p["unstable_below"]))
    result.style_terms = styled
    result.region_terms = dialect.review_table(
        scores,
        {**dialect.load_marked(), "style, found automatically": list(styled["term"])},
        40,
    )
    return result


@dataclass
class _Fit:
    k: int
    why: str
    notes: list[str]
    table: pd.DataFrame
    final: dict
    labels: np.ndarray
    distance: np.ndarray
    space: np.ndarray
    sample: np.ndarray  # the items the stability estimates run on (all, or a fixed sample)
    samples: list[np.ndarray]  # bootstrap subsamples (positions within ``sample``)
    parts: list[np.ndarray]  # their partitions at k
    n_terms: int  # vocabulary of the subject items


def _fit(texts: list[str], settings: vectorise.Settings, p: dict, cache: Path | None) -> _Fit:
    """Choose k on the stability evidence, then the consensus partition of every item.

    Above ``sample_size`` items, the stability estimates (which refit everything many
    times) run on a fixed random sample; the published partition always covers every item.
    """
    n, seed = len(texts), int(p["seed"])
    sample = st.subsamples(n, 1, min(1.0, int(p["sample_size"]) / n), seed - 1)[0]
    ks, notes = k_values(n, p["k_range"])
    if len(sample) < n:
        text = f"stability measured on a fixed sample of {len(sample)} of {n} items"
        notes.append(Note("stability_sample", text, sample=len(sample), n=n))
    with threadpool_limits(1):  # k-means and BLAS: one thread is fastest and reproducible
        refits = st.Refits([texts[i] for i in sample], settings, bagging(p))
        full = refits if len(sample) == n else st.Refits(texts, settings, bagging(p))
        null = st.null_refits(refits)
        procedures = [refits, null] if full is refits else [refits, null, full]
        kept = partition_store.file_for(cache, procedures) if cache else None
        found = partition_store.load(kept, procedures) if kept else 0
        auto = p["k"] == "auto"
        table, _, samples = _sweep(
            refits, null, ks if auto else [int(p["k"])], p, seed, len(sample)
        )
        k, why = kchoice.choose_k(table, _rule(p)) if auto else (int(p["k"]), "")
        why = why or f"k = {k} was set as a parameter"
        final, parts = _final(refits, null, k, p, seed, samples)
        labels = full.labels(np.arange(n), seed, k)
        space = full.space(np.arange(n), seed)
        n_terms = len(full.tfidf(np.arange(n))[1])
    if kept and sum(len(r.partitions()) for r in procedures) > found:
        partition_store.save(kept, procedures)
    if labels.max() + 1 < k:
        empty = int(k - labels.max() - 1)
        text = f"{empty} of the k = {k} consensus topics received no item"
        notes.append(Note("empty_topics", text, empty=empty, k=k))
    dist = np.round(np.clip(1.0 - np.einsum("ij,ij->i", space, _centres(space, labels)), 0, 2), 6)
    return _Fit(int(labels.max() + 1), why, notes, table, final, labels, dist, space, sample,
                samples, parts, n_terms)  # fmt: skip


def _centres(space: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Each row's topic centre (the unit mean of its topic's rows)."""
    c = np.vstack([space[labels == t].mean(axis=0) for t in range(labels.max() + 1)])
    c /= np.linalg.norm(c, axis=1, keepdims=True).clip(1e-12)
    return c[labels]


def _name(result, items, texts, subj, fit, p) -> None:
    """Labels, reviewed names and the per-item table (instruments as group -1)."""
    cluster = np.full(len(items), instruments.GROUP)
    cluster[subj] = fit.labels
    ctf = naming.class_tfidf(texts, cluster, result.settings)
    auto = naming.auto_labels(ctf)
    sigs = naming.signatures(ctf)
    sigs.pop(instruments.GROUP, None)
    names, stale = naming.apply_names(sigs, auto, naming.load_names(), float(p["name_min_jaccard"]))
    group = pd.DataFrame(
        [{"cluster": instruments.GROUP, "name_en": instruments.NAME_EN,
          "name_zh": instruments.NAME_ZH, "name_source": "fixed (instruments rule)",
          "auto_label": auto.get(instruments.GROUP, ""), "signature": ""}]
    )  # fmt: skip
    if (~subj).any():
        names = pd.concat([names, group], ignore_index=True)
    result.names, result.stale_names = names, stale
    dist = np.full(len(items), np.nan)
    dist[subj] = fit.distance
    out = pd.DataFrame({"id": items["id"].to_numpy(), "cluster": cluster, "distance": dist})
    out = out.merge(names[["cluster", "name_en", "name_zh"]], on="cluster", how="left")
    out["label"] = out["name_en"]
    out["rank_in_cluster"] = (
        out.groupby("cluster")["distance"].rank(method="first", na_option="bottom").astype(int)
    )
    result.assignments = out
    terms = ctf[ctf["rank"] <= int(p["top_terms"])].copy()
    result.terms = terms.merge(names[["cluster", "name_en", "name_zh"]], on="cluster")
    result.terms["weight"] = result.terms["weight"].round(6)


def _stability(result, ids, labels, parts, samples, below: float) -> None:
    """Per-topic clusterboot Jaccard and the long table of bootstrap partitions."""
    jac = st.topic_jaccard(labels, samples, parts)
    result.topic_stability = pd.DataFrame(
        {
            "cluster": np.arange(len(jac)),
            "n_items": np.bincount(labels, minlength=len(jac)),
            "jaccard": np.round(jac, 4),
            "stable": jac >= below,
        }
    ).merge(result.names[["cluster", "name_en"]], on="cluster")
    result.bootstraps = pd.concat(
        [
            pd.DataFrame({"id": ids[idx], "bootstrap": b + 1, "topic": lab})
            for b, (idx, lab) in enumerate(zip(samples, parts, strict=True))
        ],
        ignore_index=True,
    )
