"""Instruments that could carry a joint action on a subject topic, and why.

The cross-cutting instruments (co-funding mechanisms, S&T agreements, joint calls,
cooperation dialogues; ``instrument`` in clusters.csv) are no candidate topic. For each
subject topic an instrument earns one structural link per reason, read from its fields:

* live: its ``status`` is in force or ongoing (an ended one is a precedent, said so);
* joins the regions: reported by both desks (``regions_reported``), or an EU-China
  instrument by its title, or a cooperation framework (``subtype`` cooperation);
* priorities: a co-funding mechanism (``subtype`` funding programme or partnership, or
  co-funding in its keywords) whose listed priorities (``keywords``) name a word of the
  topic: of its ``PROFILE_TERMS`` most distinctive terms (profile minus the mean profile
  of all subject items), instrument words (``params/instruments.yaml``) left out.

Carriers are ranked by links, then by the text similarity to the topic's profile (the
normalised mean TF-IDF row of its items); an instrument needs ``min_similarity`` or listed
priorities that name the topic. The reason is said in words per row.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.preprocessing import normalize

from . import instruments
from .counterparts import top_terms

COLUMNS = ["label", "carrier_rank", "instrument_id", "instrument_title", "instrument_region",
           "links", "similarity", "shared_terms", "why"]  # fmt: skip
PROFILE_TERMS = 15
LIVE = ("in force", "ongoing")
ENDED = ("ended", "repealed")
FUNDING = ("funding programme", "partnership")
BOTH_SIDES = re.compile(
    r"\b(?:eu|europe)[-–](?:china|chinese)\b|\b(?:china|sino)[-–](?:eu|europe)", re.I
)


def _flag(items: pd.DataFrame) -> np.ndarray:
    col = items["instrument"] if "instrument" in items else pd.Series(False, index=items.index)
    return col.astype(str).str.lower().isin(("true", "1")).to_numpy()


def _field(row: pd.Series, name: str) -> str:
    value = row.get(name, "")
    return "" if pd.isna(value) else str(value).strip()


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z0-9-]{3,}", text.lower())}


def links(row: pd.Series, topic_words: set[str]) -> tuple[int, list[str]]:
    """The structural links of one instrument to a topic, and each said in words."""
    status, subtype = _field(row, "status").lower(), _field(row, "subtype").lower()
    n, why = 0, []
    if status in LIVE:
        agreement = subtype == "cooperation" and "agreement" in _field(row, "title").lower()
        n, why = n + 1, ["an S&T agreement in force" if agreement else status]
    elif status in ENDED:
        end = _field(row, "year_end")
        why.append(f"{status}{' in ' + end if end else ''}: a precedent, not a live carrier")
    if ";" in _field(row, "regions_reported") or BOTH_SIDES.search(_field(row, "title")):
        n, why = n + 1, [*why, "already joins Europe and China"]
    elif subtype == "cooperation":
        n, why = n + 1, [*why, "a cooperation framework between the regions"]
    keywords = [k.strip() for k in _field(row, "keywords").split(";") if k.strip()]
    if subtype in FUNDING or any(re.search(r"co-?fund", k.lower()) for k in keywords):
        named = [k for k in keywords if _words(k) & topic_words]
        if named:
            n, why = (
                n + 1,
                [*why, f"a co-funding mechanism whose priorities list {'; '.join(named[:2])}"],
            )
        else:
            why.append("a co-funding mechanism (its listed priorities do not name the topic)")
    return n, why


def _topic(x, inst, items, own, terms, per_topic, min_similarity, context) -> list[dict]:
    """The carrier rows of one topic (its items at positions ``own``); ``context`` =
    (mean profile of all subject items, instrument words)."""
    centre = normalize(sparse.csr_matrix(x[own].mean(axis=0)))
    sim = np.asarray((x[inst] @ centre.T).todense()).ravel()
    mean_all, skip = context
    lift = centre.toarray().ravel() - mean_all
    heavy = np.argsort(-lift, kind="stable")[:PROFILE_TERMS]
    topic_words = {w for t in terms[heavy[lift[heavy] > 0]] for w in _words(t)} - skip
    found = [links(items.iloc[i], topic_words) for i in inst]
    n_links = np.array([f[0] for f in found])
    named = np.array([any(w.startswith("a co-funding mechanism whose") for w in f[1])
                      for f in found])  # fmt: skip
    ok = np.flatnonzero((sim >= min_similarity) | named)
    order = ok[np.lexsort((items["id"].to_numpy()[inst[ok]], -np.round(sim[ok], 10),
                           -n_links[ok]))][:per_topic]  # fmt: skip
    if not len(order):
        return []
    prod = x[inst[order]].multiply(sparse.vstack([centre] * len(order))).tocsr()
    rows = []
    for k, (o, words) in enumerate(zip(order, top_terms(prod, terms, 4), strict=True), 1):
        row = items.iloc[inst[o]]
        why = "; ".join([*found[o][1], f"close to the topic ({sim[o]:.2f}) on "
                         f"{words or 'general terms'}"])  # fmt: skip
        rows.append({"carrier_rank": k, "instrument_id": row["id"],
                     "instrument_title": row["title"], "instrument_region": row["region"],
                     "links": int(n_links[o]), "similarity": round(float(sim[o]), 4),
                     "shared_terms": words, "why": why})  # fmt: skip
    return rows


def _row_mean(x: sparse.csr_matrix, rows: np.ndarray) -> np.ndarray:
    """``x[rows].mean(axis=0)`` without copying the rows (at a million items the subject
    rows are the whole TF-IDF): the same products and sums in the same order, as scipy
    scales each value by 1/n and then sums the rows in order."""
    w = np.zeros(x.shape[0])
    w[rows] = 1.0 / len(rows) if len(rows) else 0.0
    return np.asarray(x.T @ w).reshape(1, -1)


def carriers(
    items: pd.DataFrame,
    tfidf: sparse.csr_matrix,
    terms: np.ndarray,
    topics: list[str],
    per_topic: int,
    min_similarity: float,
    by: str = "label",
) -> pd.DataFrame:
    """The instruments that could carry each listed subject topic, with reasons."""
    x = sparse.csr_matrix(tfidf)
    flag = _flag(items)
    inst = np.flatnonzero(flag)
    labels = items[by].to_numpy()
    subject = np.flatnonzero(~flag)
    mean_all = normalize(sparse.csr_matrix(_row_mean(x, subject))).toarray().ravel()
    context = (mean_all, set(instruments.load().words))
    rows = []
    for topic in topics if len(inst) and len(subject) else []:
        own = np.flatnonzero((labels == topic) & ~flag)
        if len(own):
            got = _topic(x, inst, items, own, np.asarray(terms), per_topic, min_similarity,
                         context)  # fmt: skip
            rows += [{"label": topic, **r} for r in got]
    return pd.DataFrame(rows, columns=COLUMNS).rename(columns={"label": by})
