"""What each region does in a topic: activity index, kind and perspective mixes, recency.

Definitions (shown in notebook 03):

* activity index AI_r(t) = (items of r in t / items of r) / (items in t / all items): the
  revealed-comparative-advantage indicator of the EU-China S&T literature; 1 is the region's
  average weight, above 1 a relative specialisation, below 1 a relative weakness.
* balance(t) = 1 - |share_EU - share_CN| / (share_EU + share_CN): 1 when both regions give
  the topic the same weight (both AI equal), 0 when only one region is active.
* recency(t) = sqrt(recent_EU * recent_CN), recent_r the share of r's items in t with a known
  start year that started in or after ``recent_since``: high only when both move now.
* complementarity(t) = mean of two total-variation distances between the regions' mixes in
  t: of kinds (policy / programme / standard / initiative) and of ICPerMed perspectives.
  0 = the same mix, 1 = disjoint mixes: what one side could bring the other.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from ..cleaning.template import KINDS, PERSPECTIVES

REGIONS = ("Europe", "China")
COMPONENTS = ("balance", "recency", "complementarity")


def balance(share_a: float, share_b: float) -> float:
    """1 - |a - b| / (a + b): symmetric, 1 at equal shares, 0 when one side is absent."""
    total = share_a + share_b
    return 0.0 if total == 0 else 1.0 - abs(share_a - share_b) / total


def activity_index(frame: pd.DataFrame, by: str = "label") -> pd.DataFrame:
    """Items, share and activity index per topic and region (long table)."""
    tab = pd.crosstab(frame[by], frame["region"]).reindex(columns=list(REGIONS), fill_value=0)
    n_all = max(int(tab.to_numpy().sum()), 1)
    topic_share = tab.sum(axis=1) / n_all
    rows = []
    for region in REGIONS:
        n_r = int(tab[region].sum())
        share = tab[region] / n_r if n_r else tab[region] * 0.0
        ai = (share / topic_share.replace(0, np.nan)).fillna(0.0)
        rows.append(
            pd.DataFrame(
                {by: tab.index, "region": region, "items": tab[region].to_numpy(),
                 "share": share.round(4).to_numpy(), "activity_index": ai.round(4).to_numpy()}
            )
        )  # fmt: skip
    return pd.concat(rows, ignore_index=True).sort_values([by, "region"]).reset_index(drop=True)


def _flag(col: pd.Series) -> np.ndarray:
    return col.astype(str).str.lower().isin(("true", "1")).to_numpy()


def item_features(items: pd.DataFrame, recent_since: int) -> dict[str, np.ndarray]:
    """Per-item indicator arrays that every topic aggregate is a sum of (computed once, so
    the same items can be grouped by many partitions cheaply)."""
    n = len(items)
    kinds = np.zeros((n, len(KINDS)))
    k = pd.Categorical(items["kind"], categories=list(KINDS)).codes
    kinds[np.flatnonzero(k >= 0), k[k >= 0]] = 1.0
    persp = np.zeros((n, len(PERSPECTIVES)))
    col = items["perspectives"] if "perspectives" in items else pd.Series("", index=items.index)
    codes = list(PERSPECTIVES)
    padded = ";" + col.fillna("").astype(str) + ";"
    for j, code in enumerate(codes):
        persp[:, j] = padded.str.contains(f";{code};", regex=False).to_numpy()
    years = pd.to_numeric(items["year_start"], errors="coerce")
    inst = _flag(items["instrument"]) if "instrument" in items else np.zeros(n, dtype=bool)
    return {
        "region": items["region"].to_numpy(),
        "kinds": kinds,
        "persp": persp,
        "known": years.notna().to_numpy(dtype=float),
        "recent": (years >= recent_since).fillna(False).to_numpy(dtype=float),
        "instrument": inst.astype(float),
    }


def group_sums(feat: dict, codes: np.ndarray, n_groups: int, rows: np.ndarray) -> dict:
    """Sums of every feature per group and region; ``rows`` are item positions and
    ``codes`` (aligned with ``rows``) their groups 0..n_groups-1."""
    out: dict = {}
    for region in REGIONS:
        mask = feat["region"][rows] == region
        pick = rows[mask]
        g = sparse.csr_matrix(
            (np.ones(len(pick)), (codes[mask], np.arange(len(pick)))), shape=(n_groups, len(pick))
        )
        out[region] = {
            "n": np.asarray(g.sum(axis=1)).ravel(),
            **{k: g @ feat[k][pick] for k in ("kinds", "persp", "known", "recent", "instrument")},
        }
    return out


def shares(counts: np.ndarray) -> np.ndarray:
    """Counts as shares (0 everywhere when there is nothing)."""
    total = counts.sum()
    return counts / total if total else counts * 0.0


def tvd(a: np.ndarray, b: np.ndarray) -> float:
    """Total-variation distance between two share vectors on the same categories."""
    return float(0.5 * np.abs(np.asarray(a) - np.asarray(b)).sum())


def brings(a: np.ndarray, b: np.ndarray, names: list[str]) -> str:
    """The category where ``a`` leads ``b`` most, with both shares ('' when none leads)."""
    diff = np.asarray(a) - np.asarray(b)
    if not len(diff) or diff.max() <= 0:
        return ""
    top = int(np.argmax(diff))
    return f"{names[top]} ({a[top]:.0%} vs {b[top]:.0%})"


def profile(eu: dict, cn: dict, t: int) -> dict:
    """Recency and complementarity of topic ``t`` from the group sums, and what each side
    brings, in words."""
    k_eu, k_cn = shares(eu["kinds"][t]), shares(cn["kinds"][t])
    p_eu, p_cn = shares(eu["persp"][t]), shares(cn["persp"][t])
    both = eu["n"][t] > 0 and cn["n"][t] > 0
    c_kind = tvd(k_eu, k_cn) if both else 0.0
    has_p = both and p_eu.sum() > 0 and p_cn.sum() > 0
    c_persp = tvd(p_eu, p_cn) if has_p else c_kind  # no coding: kinds alone
    rec_eu = eu["recent"][t] / eu["known"][t] if eu["known"][t] else 0.0
    rec_cn = cn["recent"][t] / cn["known"][t] if cn["known"][t] else 0.0
    kinds, persp = list(KINDS), [PERSPECTIVES[c] for c in PERSPECTIVES]
    return {
        "recent_europe": float(rec_eu),
        "recent_china": float(rec_cn),
        "recency": float(np.sqrt(rec_eu * rec_cn)),
        "complementarity_kinds": c_kind,
        "complementarity_perspectives": c_persp,
        "complementarity": (c_kind + c_persp) / 2,
        "europe_brings": "; ".join(
            x for x in (brings(k_eu, k_cn, kinds), brings(p_eu, p_cn, persp)) if x
        ),
        "china_brings": "; ".join(
            x for x in (brings(k_cn, k_eu, kinds), brings(p_cn, p_eu, persp)) if x
        ),
    }
