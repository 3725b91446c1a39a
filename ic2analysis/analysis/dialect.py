"""Region-marked terms: words whose use differs by region, found with "fightin' words".

Monroe, Colaresi and Quinn (2008), *Fightin' Words*, Political Analysis 16(4): the log-odds
ratio of a term between two groups with an informative Dirichlet prior (the pooled term
frequencies scaled to ``prior_size`` pseudo-counts), divided by its standard error. A large
|z| says the regions use the term very differently. Such a term is *removed* from the topic
vocabulary only when a reviewer has listed it in ``params/region_marked_terms.yaml`` as a
programme name, an administrative word or a region's own name; subject words ("cancer",
"biobank") stay even when one region uses them more, so genuine differences survive.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from sklearn.feature_extraction.text import CountVectorizer

from .. import paths
from .vectorise import Settings, stop_words, tokenize

MARKED_FILE = paths.PARAMS / "region_marked_terms.yaml"


def log_odds(
    texts: list[str], regions: list[str], settings: Settings, prior_size: float = 500.0
) -> pd.DataFrame:
    """z-scored log-odds (Europe over China) of every term, with its counts per region.

    Positive z: Europe uses the term more; negative: China. Terms appear in at least
    ``settings.min_df`` items (before any region-marked term is removed).
    """
    cv = CountVectorizer(
        tokenizer=tokenize,
        token_pattern=None,
        lowercase=False,
        stop_words=stop_words(settings, marked=False),
        ngram_range=settings.ngram_range,
        min_df=max(1, min(int(settings.min_df), len(texts) // 50)),
    )
    x = cv.fit_transform(texts).tocsr()
    reg = np.asarray(regions)
    y_eu = np.asarray(x[reg == "Europe"].sum(axis=0)).ravel().astype(float)
    y_cn = np.asarray(x[reg == "China"].sum(axis=0)).ravel().astype(float)
    alpha = prior_size * (y_eu + y_cn) / max((y_eu + y_cn).sum(), 1.0)
    n_eu, n_cn, a0 = y_eu.sum(), y_cn.sum(), alpha.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.log((y_eu + alpha) / (n_eu + a0 - y_eu - alpha)) - np.log(
            (y_cn + alpha) / (n_cn + a0 - y_cn - alpha)
        )
        z = d / np.sqrt(1.0 / (y_eu + alpha) + 1.0 / (y_cn + alpha))
    out = pd.DataFrame(
        {
            "term": cv.get_feature_names_out(),
            "n_europe": y_eu.astype(int),
            "n_china": y_cn.astype(int),
            "z": np.round(z, 3),
        }
    )
    out["region"] = np.where(out["z"] >= 0, "Europe", "China")
    out["abs_z"] = out["z"].abs()
    return (
        out.sort_values(["abs_z", "term"], ascending=[False, True])
        .drop(columns="abs_z")
        .reset_index(drop=True)
    )


def load_marked(file: Path = MARKED_FILE) -> dict[str, list[str]]:
    """The reviewed region-marked terms, by category (programme, administrative, place)."""
    if not file.exists():
        return {}
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise ValueError(f"{paths.rel_to_root(file)}: expected category: [terms, ...] mappings")
    return {str(k): [str(t).lower() for t in v] for k, v in data.items()}


def marked_terms(reviewed: dict[str, list[str]]) -> tuple[str, ...]:
    """Every reviewed term, sorted, as the vectoriser removes them."""
    return tuple(sorted({t for terms in reviewed.values() for t in terms}))


def review_table(scores: pd.DataFrame, reviewed: dict[str, list[str]], n: int) -> pd.DataFrame:
    """The n most region-marked terms and what the review decided for each."""
    category = {t: c for c, terms in reviewed.items() for t in terms}
    top = scores.head(n).copy()
    top["decision"] = [
        f"removed ({category[t]})" if t in category else "kept (subject)" for t in top["term"]
    ]
    return top
