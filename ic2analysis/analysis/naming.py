"""Topic names: automatic labels from class-based TF-IDF, and reviewed bilingual names.

Class-based TF-IDF (c-TF-IDF, as in BERTopic, Grootendorst 2022) treats all items of a topic
as one document: weight(t, c) = tf(t, c) / words(c) * log(1 + A / f(t)), with A the mean
number of words per topic and f(t) the frequency of t over all topics. Its top 1-3-word
phrases, region-marked terms removed, make the automatic label. A reviewed name from
``params/topic_names.yaml`` replaces it only while the topic's signature (its top terms)
still matches the reviewed one (Jaccard >= ``min_jaccard``); otherwise the name is stale.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from sklearn.feature_extraction.text import CountVectorizer

from .. import paths
from .vectorise import Settings, stop_words, tokenize

NAMES_FILE = paths.PARAMS / "topic_names.yaml"


def class_tfidf(
    texts: list[str], labels: np.ndarray, settings: Settings, ngram_max: int = 3
) -> pd.DataFrame:
    """c-TF-IDF weight of every 1..ngram_max-word phrase in every topic (long format)."""
    cv = CountVectorizer(
        tokenizer=tokenize,
        token_pattern=None,
        lowercase=False,
        stop_words=stop_words(settings),
        ngram_range=(1, ngram_max),
        min_df=max(1, min(2, len(texts) // 50)),
    )
    x = cv.fit_transform(texts).tocsr()
    terms = cv.get_feature_names_out()
    phrases = {t for t in settings.region_marked_terms if " " in t}
    topics = np.unique(labels)
    tf = np.vstack([np.asarray(x[labels == c].sum(axis=0)).ravel() for c in topics])
    words = tf.sum(axis=1, keepdims=True)
    idf = np.log(1.0 + tf.sum(axis=1).mean() / np.maximum(tf.sum(axis=0), 1))
    w = tf / np.maximum(words, 1) * idf
    rows = []
    for pos, c in enumerate(topics):
        order = np.lexsort((terms, -np.round(w[pos], 12)))
        for i in order[:60]:
            if w[pos, i] <= 0 or terms[i] in phrases:
                continue
            rows.append({"cluster": int(c), "term": terms[i], "weight": float(w[pos, i])})
    out = pd.DataFrame(rows, columns=["cluster", "term", "weight"])
    out["rank"] = out.groupby("cluster").cumcount() + 1
    return out


def auto_labels(ctfidf: pd.DataFrame, n: int = 3) -> dict[int, str]:
    """Each topic's n most distinctive phrases, no word repeated, joined by ' · '."""
    labels = {}
    for c, grp in ctfidf.groupby("cluster", sort=True):
        picked: list[str] = []
        seen: set[str] = set()
        for term in grp.sort_values("rank")["term"]:
            parts = {w[:5] for w in term.split()}
            if parts & seen:
                continue
            picked.append(term)
            seen |= parts
            if len(picked) == n:
                break
        labels[int(c)] = " · ".join(picked)
    return labels


def signatures(ctfidf: pd.DataFrame, n: int = 8) -> dict[int, list[str]]:
    """A topic's signature: its n heaviest unigrams and bigrams."""
    short = ctfidf[ctfidf["term"].str.count(" ") < 2]
    return {
        int(c): g.sort_values("rank")["term"].head(n).tolist()
        for c, g in short.groupby("cluster", sort=True)
    }


def load_names(file: Path = NAMES_FILE) -> list[dict]:
    """Reviewed names: a list of {signature: [terms], en: ..., zh: ...}."""
    if not file.exists():
        return []
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    entries = data.get("topics", []) if isinstance(data, dict) else None
    where = paths.rel_to_root(file)
    if not isinstance(entries, list):
        raise ValueError(f"{where}: expected 'topics:' with a list of entries")
    for i, e in enumerate(entries):
        if not isinstance(e, dict) or not {"signature", "en", "zh"} <= set(e):
            raise ValueError(f"{where}: topic entry {i + 1} needs signature, en and zh")
    return entries


def jaccard(a: list[str], b: list[str]) -> float:
    """|A ∩ B| / |A ∪ B| of two term lists (0 when both are empty)."""
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


def apply_names(
    sigs: dict[int, list[str]], auto: dict[int, str], reviewed: list[dict], min_jaccard: float
) -> tuple[pd.DataFrame, list[str]]:
    """Name every topic; return the names table and the reviewed names that went stale.

    Pairs (topic, reviewed entry) are matched greedily by decreasing Jaccard, each used once.
    """
    cand = sorted(
        (
            (jaccard(sig, e["signature"]), c, i)
            for c, sig in sigs.items()
            for i, e in enumerate(reviewed)
        ),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    match: dict[int, tuple[int, float]] = {}
    used: set[int] = set()
    for j, c, i in cand:
        if j >= min_jaccard and c not in match and i not in used:
            match[c], _ = (i, j), used.add(i)
    rows = []
    for c in sorted(sigs):
        i, j = match.get(c, (None, 0.0))
        e = reviewed[i] if i is not None else None
        rows.append(
            {
                "cluster": c,
                "name_en": e["en"] if e else auto[c],
                "name_zh": e["zh"] if e else "",
                "name_source": f"reviewed (Jaccard {j:.2f})" if e else "automatic",
                "auto_label": auto[c],
                "signature": ", ".join(sigs[c]),
            }
        )
    stale = [e["en"] for i, e in enumerate(reviewed) if i not in used]
    return pd.DataFrame(rows), stale
