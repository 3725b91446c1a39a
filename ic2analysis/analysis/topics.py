"""Topics: TF-IDF (jieba for Chinese) -> optional LSA -> k-means, and the evidence for them.

The evidence is of three kinds: how well separated the clusters are (silhouette), how
reproducible they are across seeds (mean pairwise adjusted Rand index), and how they relate
to the experts' coding of ICPerMed perspectives (ARI, NMI, homogeneity, completeness,
V-measure). Silhouette and stability are computed on a fixed sample above ``sample_size``.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn import metrics
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import Normalizer

from .. import files

_CJK = re.compile(r"[\u3400-\u9fff]+")
_LATIN = re.compile(r"[a-z][a-z0-9]+(?:[-'][a-z0-9]+)*")
# Chinese function words that carry no topic
ZH_STOP = frozenset("的 和 与 及 等 在 对 为 了 是 将 以 于 其 中 有 并 或 由 各 个 之 年".split())


@functools.lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def tokenize(text: str) -> list[str]:
    """Lower-cased Latin words and jieba-segmented Chinese words (single characters dropped)."""
    text = text.lower()
    out = _LATIN.findall(_CJK.sub(" ", text))
    runs = _CJK.findall(text)
    if runs:
        jb = _jieba()
        for run in runs:
            out.extend(w for w in jb.lcut(run) if len(w) > 1 and w not in ZH_STOP)
    return out


def documents(frame: pd.DataFrame) -> pd.Series:
    """The text each item is clustered on: title, description and keywords where present."""
    parts = [frame[c].fillna("") for c in ("title", "description", "keywords") if c in frame]
    out = parts[0]
    for p in parts[1:]:
        out = out + " . " + p
    return out


@dataclass(frozen=True)
class Settings:
    """The parameters of the topic model (see params/02_topics.yaml)."""

    seed: int = 0
    ngram_range: tuple[int, int] = (1, 2)
    min_df: float = 2
    max_df: float = 0.4
    sublinear_tf: bool = True
    domain_stop_words: tuple[str, ...] = ()
    lsa_components: int = 60
    n_init: int = 10

    @classmethod
    def from_params(cls, p: dict) -> Settings:
        return cls(
            seed=int(p["seed"]),
            ngram_range=tuple(p["ngram_range"]),
            min_df=p["min_df"],
            max_df=p["max_df"],
            sublinear_tf=bool(p["sublinear_tf"]),
            domain_stop_words=tuple(p["domain_stop_words"]),
            lsa_components=int(p["lsa_components"]),
            n_init=int(p["n_init"]),
        )


def stop_words(settings: Settings) -> list[str]:
    """English stop words plus the documented domain list, as the tokenizer sees them."""
    words = set(ENGLISH_STOP_WORDS) | {w.lower() for w in settings.domain_stop_words}
    return sorted({t for w in words for t in tokenize(w)})


def vectorizer(settings: Settings, n_docs: int) -> TfidfVectorizer:
    """The TF-IDF vectoriser; min_df is capped so that tiny mappings still get a vocabulary."""
    min_df = settings.min_df
    if isinstance(min_df, int) and n_docs < 20:
        min_df = 1
    return TfidfVectorizer(
        tokenizer=tokenize,
        token_pattern=None,
        lowercase=False,
        stop_words=stop_words(settings),
        ngram_range=settings.ngram_range,
        min_df=min_df,
        max_df=settings.max_df if n_docs >= 20 else 1.0,
        sublinear_tf=settings.sublinear_tf,
        dtype=np.float64,
    )


@dataclass
class Embedding:
    """TF-IDF matrix, the space k-means runs in, and the objects that made them."""

    tfidf: sparse.csr_matrix
    space: np.ndarray | sparse.csr_matrix
    vectorizer: TfidfVectorizer
    lsa: object | None

    @property
    def terms(self) -> np.ndarray:
        return self.vectorizer.get_feature_names_out()


def embed(texts: pd.Series | list[str], settings: Settings) -> Embedding:
    """Vectorise texts; with lsa_components > 0, project to an L2-normalised LSA space."""
    vec = vectorizer(settings, len(texts))
    tfidf = vec.fit_transform(list(texts)).tocsr()
    n_comp = min(settings.lsa_components, tfidf.shape[1] - 1, tfidf.shape[0] - 1)
    if settings.lsa_components > 0 and n_comp >= 2:
        lsa = make_pipeline(
            TruncatedSVD(n_comp, random_state=settings.seed), Normalizer(copy=False)
        )
        return Embedding(tfidf, lsa.fit_transform(tfidf), vec, lsa)
    return Embedding(tfidf, tfidf, vec, None)


def fit_kmeans(space, k: int, seed: int, n_init: int) -> KMeans:
    """k-means with a fixed seed (Lloyd, so results do not depend on thread scheduling)."""
    return KMeans(n_clusters=k, n_init=n_init, random_state=seed, algorithm="lloyd").fit(space)


def _sample(n: int, size: int, seed: int) -> np.ndarray:
    if n <= size:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size, replace=False))


def stability(space, k: int, seed: int, n_seeds: int, sample_size: int, n_init: int = 1) -> float:
    """Mean pairwise adjusted Rand index between k-means fits with ``n_seeds`` seeds.

    Each fit is the same procedure as the final model (``n_init`` initialisations), so the
    number says how reproducible the reported partition is, not a single initialisation.
    """
    idx = _sample(space.shape[0], sample_size, seed)
    sub = space[idx]
    labels = [
        KMeans(n_clusters=k, n_init=n_init, random_state=seed + i, algorithm="lloyd").fit_predict(
            sub
        )
        for i in range(n_seeds)
    ]
    return float(
        np.mean([metrics.adjusted_rand_score(a, b) for a, b in itertools.combinations(labels, 2)])
    )


def silhouette(space, labels: np.ndarray, seed: int, sample_size: int) -> float:
    """Cosine silhouette, on a fixed sample above ``sample_size`` items."""
    if len(set(labels)) < 2:
        return float("nan")
    size = min(sample_size, space.shape[0])
    return float(
        metrics.silhouette_score(
            space, labels, metric="cosine", sample_size=size, random_state=seed
        )
    )


def sweep(
    space, k_values: list[int], seed: int, n_init: int, n_seeds: int, sample_size: int
) -> pd.DataFrame:
    """Silhouette and stability for each k."""
    rows = []
    for k in k_values:
        if k >= space.shape[0]:
            continue
        km = fit_kmeans(space, k, seed, n_init)
        rows.append(
            {
                "k": k,
                "silhouette": silhouette(space, km.labels_, seed, sample_size),
                "stability_ari": stability(space, k, seed, n_seeds, sample_size, n_init),
                "inertia": float(km.inertia_),
            }
        )
    return pd.DataFrame(rows)


def choose_k(table: pd.DataFrame, stability_min: float) -> tuple[int, str]:
    """The k with the best silhouette among those at least ``stability_min`` stable.

    If no k is stable enough, the most stable k. Returns k and a sentence saying why.
    """
    if table.empty:
        raise ValueError("no k in the sweep is smaller than the number of items")
    stable = table[table["stability_ari"] >= stability_min]
    if not stable.empty:
        row = stable.sort_values(["silhouette", "k"], ascending=[False, True]).iloc[0]
        why = (
            f"k = {int(row.k)} has the highest silhouette ({row.silhouette:.3f}) among the "
            f"{len(stable)} values of k whose stability ARI is at least {stability_min} "
            f"(its own: {row.stability_ari:.3f})"
        )
        if len(table) > 2 and int(row.k) == int(table["k"].max()):
            why += (
                ". It is the top of k_range: the silhouette still rises with k, so the "
                "range's upper bound (a parameter, set for topics large enough to compare "
                "two regions) is what limits k"
            )
    else:
        row = table.sort_values(["stability_ari", "k"], ascending=[False, True]).iloc[0]
        why = (
            f"no k reached a stability ARI of {stability_min}; k = {int(row.k)} is the most "
            f"stable ({row.stability_ari:.3f}, silhouette {row.silhouette:.3f})"
        )
    return int(row.k), why


@dataclass
class TopicModel:
    """Cluster of every item, top terms and labels of every cluster."""

    assignments: pd.DataFrame  # id, cluster, label, distance, rank_in_cluster
    terms: pd.DataFrame  # cluster, rank, term, weight
    labels: dict[int, str]
    k: int
    embedding: Embedding
    inertia: float = float("nan")


def top_terms(emb: Embedding, km: KMeans, n: int) -> pd.DataFrame:
    """The n heaviest TF-IDF terms of each centroid (LSA centroids projected back)."""
    centres = km.cluster_centers_
    if emb.lsa is not None:
        centres = emb.lsa.steps[0][1].inverse_transform(centres)
    terms = emb.terms
    rows = []
    for c, centre in enumerate(centres):
        order = np.lexsort((terms, -np.round(centre, 12)))[:n]
        rows += [
            {"cluster": c, "rank": r + 1, "term": terms[i], "weight": round(float(centre[i]), 6)}
            for r, i in enumerate(order)
        ]
    return pd.DataFrame(rows)


def label_clusters(terms: pd.DataFrame, n: int = 3) -> dict[int, str]:
    """A short label per cluster: its top unigrams/bigrams without repeated words."""
    labels = {}
    for c, grp in terms.groupby("cluster", sort=True):
        picked: list[str] = []
        words: set[str] = set()
        for term in grp.sort_values("rank")["term"]:
            parts = {w[:5] for w in term.split()}
            if parts & words:
                continue
            picked.append(term)
            words |= parts
            if len(picked) == n:
                break
        labels[int(c)] = " / ".join(picked)
    return labels


def fit(
    frame: pd.DataFrame, emb: Embedding, k: int, settings: Settings, n_terms: int = 8
) -> TopicModel:
    """Cluster the items into k topics; every item gets its distance to its centroid."""
    km = fit_kmeans(emb.space, k, settings.seed, settings.n_init)
    # renumber clusters by size (largest first, ties by first member) so labels are stable
    sizes = pd.Series(km.labels_).value_counts()
    first = {c: int(np.argmax(km.labels_ == c)) for c in sizes.index}
    order = sorted(sizes.index, key=lambda c: (-sizes[c], first[c]))
    remap = {old: new for new, old in enumerate(order)}
    km.labels_ = np.array([remap[c] for c in km.labels_])
    km.cluster_centers_ = km.cluster_centers_[order]
    terms = top_terms(emb, km, n_terms)
    labels = label_clusters(terms)
    # distances to all k centres (n x k), computed sparsely: never an n x vocabulary array
    dist = km.transform(emb.space)[np.arange(emb.space.shape[0]), km.labels_]
    out = pd.DataFrame(
        {
            "id": frame["id"].to_numpy(),
            "cluster": km.labels_,
            "label": [labels[c] for c in km.labels_],
            "distance": np.round(dist, 6),
        }
    )
    out["rank_in_cluster"] = out.groupby("cluster")["distance"].rank(method="first").astype(int)
    return TopicModel(out, terms, labels, k, emb, float(km.inertia_))


def agreement(clusters: np.ndarray, expert: pd.Series) -> pd.DataFrame:
    """Agreement between clusters and expert codes (items without a code are left out)."""
    mask = expert.fillna("").astype(str).str.len().to_numpy() > 0
    if mask.sum() < 2:
        return pd.DataFrame(columns=["metric", "value", "meaning"])
    a, b = expert.to_numpy()[mask], clusters[mask]
    h, c, v = metrics.homogeneity_completeness_v_measure(a, b)
    rows = [
        (
            "adjusted_rand",
            metrics.adjusted_rand_score(a, b),
            "pair-counting agreement corrected for chance: 0 = chance, 1 = identical",
        ),
        (
            "normalised_mutual_info",
            metrics.normalized_mutual_info_score(a, b),
            "shared information, 0 = independent, 1 = identical",
        ),
        ("homogeneity", h, "1 when each cluster holds items of a single perspective"),
        ("completeness", c, "1 when each perspective falls in a single cluster"),
        ("v_measure", v, "harmonic mean of homogeneity and completeness"),
    ]
    return pd.DataFrame(
        [{"metric": m, "value": round(float(x), 4), "meaning": t} for m, x, t in rows]
    )


def typical_members(frame: pd.DataFrame, model: TopicModel, n: int = 3) -> pd.DataFrame:
    """The n items closest to each centroid."""
    merged = model.assignments.merge(frame[["id", "region", "title"]], on="id")
    top = merged[merged["rank_in_cluster"] <= n].sort_values(["cluster", "rank_in_cluster"])
    return top[["cluster", "label", "rank_in_cluster", "region", "title", "distance"]]


@dataclass
class TopicResult:
    """Everything notebook 02 shows and writes."""

    settings: Settings
    k: int
    why: str
    sweep: pd.DataFrame
    model: TopicModel
    metrics: pd.DataFrame
    coords: np.ndarray


def analyse(items: pd.DataFrame, params: dict) -> TopicResult:
    """Embed, choose k (or take it), cluster, and measure the result."""
    settings = Settings.from_params(params)
    emb = embed(documents(items), settings)
    k_lo, k_hi = params["k_range"]
    ks = list(range(int(k_lo), int(k_hi) + 1))
    n_seeds, sample = int(params["stability_seeds"]), int(params["sample_size"])
    if params["k"] == "auto":
        table = sweep(emb.space, ks, settings.seed, settings.n_init, n_seeds, sample)
        k, why = choose_k(table, float(params["stability_min"]))
        model = fit(items, emb, k, settings, int(params["top_terms"]))
    else:  # one fit serves both the model and its metrics
        k = int(params["k"])
        why = f"k = {k} was set as a parameter"
        model = fit(items, emb, k, settings, int(params["top_terms"]))
        table = pd.DataFrame(
            [
                {
                    "k": k,
                    "silhouette": silhouette(
                        emb.space, model.assignments["cluster"].to_numpy(), settings.seed, sample
                    ),
                    "stability_ari": stability(
                        emb.space, k, settings.seed, n_seeds, sample, settings.n_init
                    ),
                    "inertia": model.inertia,
                }
            ]
        )
    chosen = table[table["k"] == k].iloc[0]
    rows = [
        ("k", k, "number of clusters"),
        (
            "silhouette",
            round(float(chosen.silhouette), 4),
            "cosine silhouette: -1..1, higher = better separated clusters",
        ),
        (
            "stability_ari",
            round(float(chosen.stability_ari), 4),
            f"mean pairwise ARI over {params['stability_seeds']} seeds: 1 = identical partitions",
        ),
        ("n_items", len(items), "items clustered"),
        ("n_terms", len(emb.terms), "vocabulary size after stop words and df limits"),
    ]
    m = pd.DataFrame(rows, columns=["metric", "value", "meaning"])
    agree = agreement(model.assignments["cluster"].to_numpy(), items["perspective_primary"])
    metrics_table = pd.concat([m, agree], ignore_index=True)
    coords = TruncatedSVD(2, random_state=settings.seed).fit_transform(emb.tfidf)
    return TopicResult(settings, k, why, table, model, metrics_table, coords)


def has_expert_coding(items: pd.DataFrame) -> bool:
    """Whether the mapping carries ICPerMed perspective codes to compare against."""
    return bool((items["perspective_primary"].fillna("") != "").sum() >= 2)


def expert_contingency(items: pd.DataFrame, result: TopicResult) -> pd.DataFrame:
    """Items per cluster (rows) and expert primary perspective (columns)."""
    t = pd.crosstab(
        result.model.assignments["cluster"].astype(str) + ": " + result.model.assignments["label"],
        items["perspective_primary"].to_numpy(),
    )
    t = t.loc[sorted(t.index, key=lambda s: int(s.split(":")[0]))]
    t.index.name, t.columns.name = "cluster", "ICPerMed perspective (expert, primary)"
    return t[[c for c in t.columns if c]]


def write(result: TopicResult, items: pd.DataFrame, out) -> None:
    """Write clusters.csv, cluster_terms.csv, topic_metrics.csv, k_sweep.csv, topic_model.json."""
    import json

    a = result.model.assignments.merge(items[["id", "region", "title"]], on="id")
    files.write_csv(
        out.tables / "clusters.csv",
        a[["id", "region", "title", "cluster", "label", "distance", "rank_in_cluster"]],
    )
    files.write_csv(out.tables / "cluster_terms.csv", result.model.terms)
    files.write_csv(out.tables / "topic_metrics.csv", result.metrics)
    files.write_csv(out.tables / "k_sweep.csv", result.sweep.round(4))
    model = {
        "k": result.k,
        "why": result.why,
        "settings": {
            **result.settings.__dict__,
            "ngram_range": list(result.settings.ngram_range),
            "domain_stop_words": list(result.settings.domain_stop_words),
        },
    }
    files.write_text(
        out.tables / "topic_model.json", json.dumps(model, indent=2, sort_keys=True) + "\n"
    )


def reload(items: pd.DataFrame, out) -> tuple[pd.DataFrame, Embedding]:
    """Items joined with their clusters, and the TF-IDF embedding notebook 02 used."""
    import json

    model = json.loads((out.tables / "topic_model.json").read_text(encoding="utf-8"))
    s = model["settings"]
    settings = Settings(
        **{
            **s,
            "ngram_range": tuple(s["ngram_range"]),
            "domain_stop_words": tuple(s["domain_stop_words"]),
        }
    )
    clusters = pd.read_csv(out.tables / "clusters.csv", dtype={"id": str}, keep_default_na=False)
    joined = items.merge(clusters[["id", "cluster", "label"]], on="id", how="left", validate="1:1")
    if joined["cluster"].isna().any():
        raise ValueError("clusters.csv does not cover every item: re-run notebook 02")
    return joined, embed(documents(joined), settings)


def describe_agreement(tab: pd.DataFrame, min_share: float = 0.5) -> list[str]:
    """Plain sentences on where clusters and expert perspectives agree and where they do not.

    ``tab`` is the cluster x perspective contingency table. A perspective *agrees* with the
    clustering when at least ``min_share`` of its items fall in one cluster; a cluster is
    *pure* when at least ``min_share`` of its items share one perspective.
    """
    lines = []
    col_tot, row_tot = tab.sum(axis=0), tab.sum(axis=1)
    for p in tab.columns:
        if col_tot[p] == 0:
            continue
        best = tab[p].idxmax()
        share = tab.loc[best, p] / col_tot[p]
        verdict = (
            "concentrates in" if share >= min_share else "is spread out; its largest share is in"
        )
        lines.append(f"{p} ({col_tot[p]} items) {verdict} cluster {best} ({share:.0%}).")
    pure = [
        (c, tab.loc[c].idxmax(), tab.loc[c].max() / row_tot[c])
        for c in tab.index
        if row_tot[c] and tab.loc[c].max() / row_tot[c] >= min_share
    ]
    mixed = [c for c in tab.index if row_tot[c] and tab.loc[c].max() / row_tot[c] < min_share]
    lines.append(
        f"{len(pure)} of {len(tab)} clusters are dominated by one perspective"
        + (": " + "; ".join(f"{c} → {p} ({s:.0%})" for c, p, s in pure) if pure else "")
        + "."
    )
    if mixed:
        lines.append(
            f"Mixed clusters (no perspective reaches {min_share:.0%}): " + "; ".join(mixed) + "."
        )
    return lines
