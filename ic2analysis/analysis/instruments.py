"""Cross-cutting instruments: funding and cooperation instruments that have no subject.

A co-funding mechanism, a science-and-technology agreement or a cooperation dialogue is
about *how* work is funded or organised, not *what* it is about, so it must not form a topic
of its own nor pull a topic towards the regions' instrument vocabulary. The rule
(``params/instruments.yaml`` for the words and the reviewed overrides, thresholds in
``params/02_topics.yaml``): an item is an instrument when at least ``share_min`` of its
TF-IDF weight (sum of squared weights over the full vocabulary) is on terms containing an
instrument word, and no subject term (a topic-vocabulary term with no instrument or
region-marked word) weighs more than ``subject_max``. Overrides then include or exclude ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .. import paths
from .vectorise import Settings, tfidf

INSTRUMENTS_FILE = paths.PARAMS / "instruments.yaml"
GROUP = -1  # the cluster number of the cross-cutting instruments group
NAME_EN, NAME_ZH = "Cross-cutting instruments", "跨领域合作与资助工具"


@dataclass(frozen=True)
class Lexicon:
    """Instrument words and the reviewed overrides (id -> reason)."""

    words: frozenset[str]
    include: dict[str, str]
    exclude: dict[str, str]


def load(file: Path = INSTRUMENTS_FILE) -> Lexicon:
    """The reviewed instrument lexicon; an absent file means no instruments group."""
    if not file.exists():
        return Lexicon(frozenset(), {}, {})
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    where = paths.rel_to_root(file)
    if not isinstance(data.get("terms", []), list):
        raise ValueError(f"{where}: 'terms' must be a list of words")
    for key in ("include", "exclude"):
        if not isinstance(data.get(key) or {}, dict):
            raise ValueError(f"{where}: '{key}' must map item ids to reasons")
    return Lexicon(
        frozenset(str(w).lower() for w in data.get("terms") or []),
        {str(k): str(v) for k, v in (data.get("include") or {}).items()},
        {str(k): str(v) for k, v in (data.get("exclude") or {}).items()},
    )


def scores(texts: list[str], settings: Settings, lex: Lexicon) -> pd.DataFrame:
    """Each item's instrument share and its heaviest subject term with that term's weight."""
    full = Settings(**{**settings.__dict__, "min_df": 1, "max_df": 1.0})
    x, terms = tfidf(texts, full, marked=False)
    marked = set(settings.region_marked_terms)
    words = [set(t.split()) for t in terms]
    inst = np.array([bool(w & lex.words) for w in words])
    df = np.asarray((x > 0).sum(axis=0)).ravel()
    min_df = max(1, min(int(settings.min_df), len(texts) // 50))
    subj = (
        ~inst
        & (df >= min_df)
        & np.array(
            [not (w & marked) and t not in marked for w, t in zip(words, terms, strict=True)]
        )
    )
    share = np.asarray(x.multiply(x)[:, inst].sum(axis=1)).ravel() if inst.any() else 0.0
    xs = x[:, subj].tocsr()
    top = np.asarray(xs.argmax(axis=1)).ravel() if subj.any() else np.zeros(len(texts), int)
    weight = xs.max(axis=1).toarray().ravel() if subj.any() else np.zeros(len(texts))
    return pd.DataFrame(
        {
            "instrument_share": np.round(share * np.ones(len(texts)), 4),
            "subject_term": terms[subj][top] if subj.any() else "",
            "subject_weight": np.round(weight, 4),
        }
    )


def classify(
    ids: pd.Series, table: pd.DataFrame, lex: Lexicon, share_min: float, subject_max: float
) -> pd.DataFrame:
    """Whether each item is an instrument, and why (the rule, or a reviewed override)."""
    by_rule = (table["instrument_share"] >= share_min) & (table["subject_weight"] <= subject_max)
    why = np.where(
        by_rule,
        "rule: instrument share "
        + table["instrument_share"].map("{:.2f}".format)
        + f" ≥ {share_min}, heaviest subject term '"
        + table["subject_term"].astype(str)
        + "' "
        + table["subject_weight"].map("{:.2f}".format)
        + f" ≤ {subject_max}",
        "",
    )
    out = table.assign(id=ids.to_numpy(), instrument=by_rule.to_numpy(), why=why)
    for i, reason in lex.include.items():
        out.loc[out["id"] == i, ["instrument", "why"]] = [True, f"reviewed: {reason}"]
    for i, reason in lex.exclude.items():
        out.loc[out["id"] == i, ["instrument", "why"]] = [False, f"reviewed, kept: {reason}"]
    return out[["id", "instrument", "instrument_share", "subject_term", "subject_weight", "why"]]
