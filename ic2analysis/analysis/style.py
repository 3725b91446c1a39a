"""Style terms: words one region's desk writes everywhere, whatever the subject.

A mapping whose regions are written in different styles (project abstracts on one side:
"the consortium will develop"; policy summaries on the other: "the notice requires
provinces to strengthen") gives each region its own vocabulary of *style*. Left in the
TF-IDF, those words pull a shared subject into one topic per region, and the comparison
then reports gaps that are artifacts. A term is a style term when all three hold:

* it is region-marked: its fightin'-words z (``dialect.log_odds``) is at least ``z_min``;
* it is common in the region that over-uses it: in at least ``df_min`` of its items;
* it is *not topical*: the items that use it are no more alike than any two items of that
  region (their mean pairwise cosine, with the term itself left out, over the region's
  mean pairwise cosine is at most ``coherence_max``). A subject word gathers similar items
  (ratio 1.5-3 on the repository's data: "cancer" 1.6, "cohort" 2.7); a style word does
  not (0.75-0.9 for "consortium", "deliverables", "requires", "supervision" in a mapping
  of project abstracts beside policy summaries). The default 1.05 reads "no more alike
  than any two items", with a 5 % margin; on the repository's own mapping it sets nothing
  aside (the closest are "patient" 1.08 and "partners" 1.11, Europe), so the repository's
  topics are what the reviewed list alone gives.

Subject words that one region uses more ("cohort", "rare") stay, so genuine differences
survive; only vocabulary that carries no subject is set aside, beside the reviewed
region-marked terms. Every style term found is listed with its evidence (notebook 02).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from .. import config
from .dialect import log_odds
from .vectorise import Settings, tfidf

COLUMNS = ["term", "region", "z", "region_share", "other_share", "coherence"]


_DEFAULTS = config.Topics.model_fields  # the one definition of the thresholds


@dataclass(frozen=True)
class Rule:
    """The thresholds of a style term (see the module docstring); defaults from config.py."""

    z_min: float = _DEFAULTS["style_z_min"].default
    df_min: float = _DEFAULTS["style_share_min"].default
    coherence_max: float = _DEFAULTS["style_coherence_max"].default


def coherence(x: sparse.csr_matrix, cols: np.ndarray) -> np.ndarray:
    """Per term (column in ``cols``), the mean pairwise cosine of the rows that hold it,
    each row re-normalised without the term. From column sums, never n x n: the sum of
    the re-normalised rows is W.T @ x with W[i, j] = 1 / sqrt(1 - x[i, j] ** 2)."""
    x = x.tocsr()
    xc = x[:, cols].tocsc()
    v = xc.data
    with np.errstate(divide="ignore"):
        w = np.where(v < 1 - 1e-9, 1.0 / np.sqrt(np.clip(1.0 - v * v, 1e-18, None)), 0.0)
    weights = sparse.csc_matrix((w, xc.indices, xc.indptr), shape=xc.shape)
    sums = (weights.T @ x).tocsr()  # terms x vocabulary
    own = np.asarray(sums[np.arange(len(cols)), cols]).ravel()
    sq = np.asarray(sums.multiply(sums).sum(axis=1)).ravel() - own**2
    m = np.asarray((weights > 0).sum(axis=0)).ravel().astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(m >= 2, (sq - m) / (m * (m - 1)), np.nan)


def _baseline(x: sparse.csr_matrix) -> float:
    """Mean pairwise cosine of all rows (unit rows)."""
    n = x.shape[0]
    if n < 2:
        return float("nan")
    s = np.asarray(x.sum(axis=0)).ravel()
    return float((s @ s - x.multiply(x).sum()) / (n * (n - 1)))


def find(
    texts: list[str],
    regions: list[str],
    settings: Settings,
    rule: Rule = Rule(),
    scores: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Style terms of a two-region mapping, with the evidence for each (COLUMNS).

    ``scores``: the mapping's ``dialect.log_odds``, when the caller already has them."""
    reg = np.asarray(regions)
    if len(set(reg) & {"Europe", "China"}) < 2:
        return pd.DataFrame(columns=COLUMNS)
    z = log_odds(texts, list(reg), settings) if scores is None else scores
    z = z[z["z"].abs() >= rule.z_min]
    if z.empty:
        return pd.DataFrame(columns=COLUMNS)
    x, terms = tfidf(texts, settings, marked=True)
    col = {t: i for i, t in enumerate(terms)}
    z = z[z["term"].isin(col)]
    rows = []
    for region, sign in (("Europe", 1), ("China", -1)):
        cand = z[np.sign(z["z"]) == sign]
        if cand.empty:
            continue
        mine, other = x[reg == region].tocsr(), x[reg != region].tocsr()
        cols = np.array([col[t] for t in cand["term"]])
        share = np.asarray((mine[:, cols] > 0).mean(axis=0)).ravel()
        other_share = np.asarray((other[:, cols] > 0).mean(axis=0)).ravel()
        keep = share >= rule.df_min
        if not keep.any():
            continue
        cols, cand = cols[keep], cand[keep]
        base = _baseline(mine)
        ratio = coherence(mine, cols) / base
        rows.append(
            pd.DataFrame(
                {
                    "term": cand["term"].to_numpy(),
                    "region": region,
                    "z": cand["z"].to_numpy(),
                    "region_share": np.round(share[keep], 3),
                    "other_share": np.round(other_share[keep], 3),
                    "coherence": np.round(ratio, 3),
                }
            )
        )
    if not rows:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(rows, ignore_index=True)
    out = out[out["coherence"] <= rule.coherence_max]
    return out.sort_values(["region", "coherence", "term"]).reset_index(drop=True)


def from_params(
    texts: list[str],
    regions: list[str],
    p: dict,
    marked: tuple[str, ...],
    scores: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Style terms under a notebook's parameters (none when ``style_terms`` is off)."""
    if not p.get("style_terms", True):
        return pd.DataFrame(columns=COLUMNS)
    rule = Rule(
        float(p["style_z_min"]), float(p["style_share_min"]), float(p["style_coherence_max"])
    )
    return find(texts, regions, Settings.from_params(p, marked), rule, scores)
