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


def recent_share(items: pd.DataFrame, since: int) -> float:
    """Share of items with a known start year that started in or after ``since`` (0 if none)."""
    years = items["year_start"].dropna()
    return float((years >= since).mean()) if len(years) else 0.0


def mix(values: pd.Series, categories: list[str]) -> pd.Series:
    """Shares of each category (0 everywhere when there is nothing)."""
    c = values.value_counts().reindex(categories, fill_value=0).astype(float)
    return c / c.sum() if c.sum() else c


def tvd(a: pd.Series, b: pd.Series) -> float:
    """Total-variation distance between two share vectors on the same categories."""
    return float(0.5 * np.abs(a.to_numpy() - b.to_numpy()).sum())


def _perspectives(items: pd.DataFrame) -> pd.Series:
    col = items["perspectives"] if "perspectives" in items else pd.Series("", index=items.index)
    long = col.fillna("").str.split(";").explode()
    return long[long != ""]


def brings(a: pd.Series, b: pd.Series) -> str:
    """The category where ``a`` leads ``b`` most, with both shares ('' when none leads)."""
    diff = a - b
    if diff.empty or diff.max() <= 0:
        return ""
    top = str(diff.idxmax())
    return f"{PERSPECTIVES.get(top, top)} ({a[top]:.0%} vs {b[top]:.0%})"


def profile(eu: pd.DataFrame, cn: pd.DataFrame, recent_since: int) -> dict:
    """Recency and complementarity of one topic, and what each side brings, in words."""
    kinds, persp = list(KINDS), list(PERSPECTIVES)
    k_eu, k_cn = mix(eu["kind"], kinds), mix(cn["kind"], kinds)
    p_eu, p_cn = mix(_perspectives(eu), persp), mix(_perspectives(cn), persp)
    both = len(eu) > 0 and len(cn) > 0
    c_kind = tvd(k_eu, k_cn) if both else 0.0
    has_p = both and p_eu.sum() > 0 and p_cn.sum() > 0
    c_persp = tvd(p_eu, p_cn) if has_p else c_kind  # no coding: kinds alone
    rec_eu, rec_cn = recent_share(eu, recent_since), recent_share(cn, recent_since)
    return {
        "recent_europe": rec_eu,
        "recent_china": rec_cn,
        "recency": float(np.sqrt(rec_eu * rec_cn)),
        "complementarity_kinds": c_kind,
        "complementarity_perspectives": c_persp,
        "complementarity": (c_kind + c_persp) / 2,
        "europe_brings": "; ".join(x for x in (brings(k_eu, k_cn), brings(p_eu, p_cn)) if x),
        "china_brings": "; ".join(x for x in (brings(k_cn, k_eu), brings(p_cn, p_eu)) if x),
    }
