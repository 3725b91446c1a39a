"""Europe and China side by side: balance per topic, opportunities, pairs and gaps.

Definitions (also shown in notebook 03):

* share_r(t) = items of region r in topic t / all items of region r, so that the larger
  region does not dominate.
* balance(t) = 1 - |share_EU - share_CN| / (share_EU + share_CN), symmetric in the regions,
  1 when both give the topic the same weight, 0 when only one region is active.
* recency(t) = sqrt(recent_EU * recent_CN), where recent_r is the fraction of region r's
  items in t that started in or after ``recent_since``: high only when both sides move now.
* complementarity(t) = total-variation distance between the regions' kind distributions in
  t (0 = same mix of policies, programmes, standards and initiatives; 1 = disjoint mixes).
* cooperation(t) = min(1, cooperation items in t / 2), where a cooperation item is one of
  subtype ``cooperation`` or one reported by both desks.
* score(t) = sum of weight * component, set to 0 when either region has fewer than
  ``min_items_per_region`` items in t.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from .. import files
from ..cleaning.parse import bodies
from ..cleaning.template import KINDS, PERSPECTIVES

REGIONS = ("Europe", "China")
COMPONENTS = ("balance", "recency", "complementarity", "cooperation")


def balance(share_a: float, share_b: float) -> float:
    """1 - |a - b| / (a + b): symmetric, 1 at equal shares, 0 when one side is absent."""
    total = share_a + share_b
    return 0.0 if total == 0 else 1.0 - abs(share_a - share_b) / total


def counts(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Items per ``by`` value and region, with each region's share and the balance."""
    tab = pd.crosstab(frame[by], frame["region"]).reindex(columns=list(REGIONS), fill_value=0)
    totals = tab.sum(axis=0).replace(0, 1)
    out = tab.rename(columns={"Europe": "n_europe", "China": "n_china"})
    out["share_europe"] = (tab["Europe"] / totals["Europe"]).round(4)
    out["share_china"] = (tab["China"] / totals["China"]).round(4)
    out["balance"] = [
        round(balance(a, b), 4)
        for a, b in zip(out["share_europe"], out["share_china"], strict=True)
    ]
    return out.reset_index().rename_axis(columns=None)


def by_kind(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Items per ``by`` value, region and kind (a long table)."""
    return (
        frame.groupby([by, "region", "kind"])
        .size()
        .rename("items")
        .reset_index()
        .sort_values([by, "region", "kind"])
        .reset_index(drop=True)
    )


def kinds_table(long: pd.DataFrame, by: str) -> pd.DataFrame:
    """A by_kind() table as a grid: one row per ``by`` value, columns region/kind."""
    grid = long.pivot_table(
        index=by, columns=["region", "kind"], values="items", aggfunc="sum", fill_value=0
    )
    return grid.reindex(columns=[(r, k) for r in REGIONS for k in KINDS], fill_value=0)


def perspectives_long(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per item and perspective it serves (an item may serve several)."""
    rows = frame[["id", "region", "kind", "perspectives"]].copy()
    rows["perspective"] = rows["perspectives"].str.split(";")
    rows = rows.explode("perspective")
    rows = rows[rows["perspective"].fillna("") != ""]
    rows["perspective_name"] = rows["perspective"].map(PERSPECTIVES)
    return rows.drop(columns="perspectives").reset_index(drop=True)


def timeline(frame: pd.DataFrame, by: str = "label") -> pd.DataFrame:
    """Items per start year, region and topic."""
    return (
        frame.groupby(["year_start", "region", by])
        .size()
        .rename("items")
        .reset_index()
        .sort_values(["year_start", "region", by])
        .reset_index(drop=True)
    )


def largest_topics(balance_table: pd.DataFrame, n: int, by: str = "label") -> list[str]:
    """The n topics with most items over both regions."""
    total = balance_table["n_europe"] + balance_table["n_china"]
    return (
        balance_table.assign(_n=total)
        .sort_values(["_n", by], ascending=[False, True])[by]
        .head(n)
        .tolist()
    )


def milestones(frame: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """The listed items with a known year, as milestones: id, region, year and a short name."""
    m = frame[frame["id"].isin(ids) & frame["year_start"].notna()]
    short = m["title"].map(lambda t: t if len(t) <= 30 else t[:30].rsplit(" ", 1)[0] + "…")
    name = m["acronym"].where(m["acronym"] != "", short)
    return (
        pd.DataFrame(
            {
                "id": m["id"],
                "region": m["region"],
                "year": m["year_start"].astype(int),
                "name": name,
            }
        )
        .sort_values(["year", "id"])
        .reset_index(drop=True)
    )


def counterparts(
    actors_table: pd.DataFrame, opps: pd.DataFrame, n: int, by: str = "label"
) -> pd.DataFrame:
    """For the n best opportunities, the leading bodies on each side, side by side."""
    rows = []
    for topic in opps[opps["score"] > 0][by].head(n):
        a = actors_table[actors_table[by] == topic]
        side = {
            r: "; ".join(
                f"{b} ({k})"
                for b, k in zip(
                    a[a["region"] == r]["lead_body_canonical"],
                    a[a["region"] == r]["items"],
                    strict=True,
                )
            )
            for r in REGIONS
        }
        rows.append({by: topic, "europe_bodies": side["Europe"], "china_bodies": side["China"]})
    return pd.DataFrame(rows, columns=[by, "europe_bodies", "china_bodies"])


def actors(frame: pd.DataFrame, by: str = "label", top: int = 3) -> pd.DataFrame:
    """The most frequent lead bodies per region and topic: the likely counterparts."""
    f = frame[frame["lead_body_canonical"] != ""]
    g = (
        f.groupby([by, "region", "lead_body_canonical"])
        .size()
        .rename("items")
        .reset_index()
        .sort_values(
            [by, "region", "items", "lead_body_canonical"], ascending=[True, True, False, True]
        )
    )
    g["lead_body_local"] = g["lead_body_canonical"].map(bodies.body_local_name)
    return g.groupby([by, "region"]).head(top).reset_index(drop=True)


def _recent_share(items: pd.DataFrame, since: int) -> float:
    """Share of items with a known start year that started in or after ``since`` (0 if none)."""
    years = items["year_start"].dropna()
    return float((years >= since).mean()) if len(years) else 0.0


def _tvd(a: pd.Series, b: pd.Series) -> float:
    pa_, pb = a / max(a.sum(), 1), b / max(b.sum(), 1)
    return float(0.5 * np.abs(pa_ - pb).sum())


def opportunities(
    frame: pd.DataFrame,
    weights: dict[str, float],
    recent_since: int,
    min_items: int,
    by: str = "label",
) -> pd.DataFrame:
    """The collaboration score of every topic, its components and its reasons in words."""
    w = {c: float(weights.get(c, 0.0)) for c in COMPONENTS}
    total_w = sum(w.values()) or 1.0
    w = {c: v / total_w for c, v in w.items()}
    base = counts(frame, by).set_index(by)
    coop_mask = (frame["subtype"] == "cooperation") | frame["regions_reported"].str.contains(";")
    rows = []
    for topic, grp in frame.groupby(by, sort=True):
        eu, cn = grp[grp.region == "Europe"], grp[grp.region == "China"]
        kinds_eu = eu["kind"].value_counts().reindex(KINDS, fill_value=0)
        kinds_cn = cn["kind"].value_counts().reindex(KINDS, fill_value=0)
        rec_eu, rec_cn = _recent_share(eu, recent_since), _recent_share(cn, recent_since)
        n_coop = int(coop_mask[grp.index].sum())
        comp = {
            "balance": float(base.loc[topic, "balance"]),
            "recency": float(np.sqrt(rec_eu * rec_cn)),
            "complementarity": _tvd(kinds_eu, kinds_cn) if len(eu) and len(cn) else 0.0,
            "cooperation": min(1.0, n_coop / 2),
        }
        instruments_group = "cluster" in grp and bool((grp["cluster"] == -1).all())
        active = len(eu) >= min_items and len(cn) >= min_items and not instruments_group
        score = sum(w[c] * comp[c] for c in COMPONENTS) if active else 0.0
        lead_eu = kinds_eu.idxmax() if len(eu) else "-"
        lead_cn = kinds_cn.idxmax() if len(cn) else "-"
        reasons = [
            f"Europe {len(eu)} items, China {len(cn)} (balance {comp['balance']:.2f})",
            f"recent since {recent_since}: Europe {rec_eu:.0%}, China {rec_cn:.0%}",
            f"kinds differ by {comp['complementarity']:.2f} (Europe mostly {lead_eu}, "
            f"China mostly {lead_cn})",
            f"{n_coop} cooperation framework(s) already in the topic",
        ]
        if instruments_group:
            reasons.insert(0, "not ranked: the cross-cutting instruments group is no subject")
        elif not active:
            reasons.insert(0, f"not ranked: a region has fewer than {min_items} items")
        rows.append(
            {
                by: topic,
                "n_europe": len(eu),
                "n_china": len(cn),
                **{c: round(v, 4) for c, v in comp.items()},
                "score": round(score, 4),
                "reasons": "; ".join(reasons),
            }
        )
    out = pd.DataFrame(rows).sort_values(["score", by], ascending=[False, True])
    out.insert(0, "rank", range(1, len(out) + 1))
    return out.reset_index(drop=True)


def top_pairs(
    a: sparse.csr_matrix,
    b: sparse.csr_matrix,
    per_row: int,
    min_sim: float,
    block_cells: int = 20_000_000,
) -> pd.DataFrame:
    """For each row of ``a``, its ``per_row`` most cosine-similar rows of ``b``.

    Rows must be L2-normalised (TF-IDF rows are). The product is computed in blocks of
    rows of ``a`` so that memory stays at about ``block_cells`` similarities, never the
    full len(a) x len(b) matrix.
    """
    a, b = sparse.csr_matrix(a), sparse.csr_matrix(b)
    bt = b.T.tocsc()
    step = max(1, block_cells // max(b.shape[0], 1))
    out_i, out_j, out_s = [], [], []
    for start in range(0, a.shape[0], step):
        block = (a[start : start + step] @ bt).tocsr()
        for r in range(block.shape[0]):
            lo, hi = block.indptr[r], block.indptr[r + 1]
            if lo == hi:
                continue
            vals, cols = block.data[lo:hi], block.indices[lo:hi]
            keep = vals >= min_sim
            vals, cols = vals[keep], cols[keep]
            if not len(vals):
                continue
            if len(vals) > per_row:
                part = np.argpartition(-vals, per_row - 1)[:per_row]
                vals, cols = vals[part], cols[part]
            order = np.lexsort((cols, -vals))
            out_i.extend([start + r] * len(order))
            out_j.extend(cols[order].tolist())
            out_s.extend(vals[order].tolist())
    return pd.DataFrame(
        {
            "i": np.array(out_i, dtype=np.int64),
            "j": np.array(out_j, dtype=np.int64),
            "similarity": np.round(np.array(out_s, dtype=float), 4),
        }
    )


def shared_terms(x: sparse.csr_matrix, i: int, j: int, terms: np.ndarray, n: int = 5) -> str:
    """The terms that contribute most to the similarity of rows i and j."""
    prod = x[i].multiply(x[j]).tocoo()
    if prod.nnz == 0:
        return ""
    order = np.lexsort((terms[prod.col], -prod.data))[:n]
    return ", ".join(terms[prod.col[order]])


def pair_columns(by: str) -> list[str]:
    """The columns of the pairs table (also when it is empty)."""
    return [
        "opportunity_rank",
        by,
        "similarity",
        "europe_id",
        "europe_title",
        "europe_year",
        "europe_body",
        "china_id",
        "china_title",
        "china_year",
        "china_body",
        "shared_terms",
    ]


def pairs(
    frame: pd.DataFrame,
    tfidf: sparse.csr_matrix,
    terms: np.ndarray,
    topics: list,
    per_topic: int,
    min_sim: float,
    by: str = "label",
) -> pd.DataFrame:
    """The most similar Europe-China pairs of initiatives inside each listed topic."""
    rows = []
    pos = np.arange(len(frame))
    for rank, topic in enumerate(topics, start=1):
        in_t = (frame[by] == topic).to_numpy()
        eu = pos[in_t & (frame["region"] == "Europe").to_numpy()]
        cn = pos[in_t & (frame["region"] == "China").to_numpy()]
        if not len(eu) or not len(cn):
            continue
        cand = top_pairs(tfidf[eu], tfidf[cn], per_topic, min_sim)
        cand = cand.sort_values(["similarity", "i", "j"], ascending=[False, True, True])
        for r in cand.head(per_topic).itertuples():
            ei, ci = eu[r.i], cn[r.j]
            e, c = frame.iloc[ei], frame.iloc[ci]
            rows.append(
                {
                    "opportunity_rank": rank,
                    by: topic,
                    "similarity": r.similarity,
                    "europe_id": e["id"],
                    "europe_title": e["title"],
                    "europe_year": e["year_start"],
                    "europe_body": e["lead_body_canonical"],
                    "china_id": c["id"],
                    "china_title": c["title"],
                    "china_year": c["year_start"],
                    "china_body": c["lead_body_canonical"],
                    "shared_terms": shared_terms(tfidf, ei, ci, terms),
                }
            )
    return pd.DataFrame(rows, columns=pair_columns(by))


def gaps(frame: pd.DataFrame, ratio: float, by: str = "label") -> pd.DataFrame:
    """Topics where one region's share is at least ``ratio`` times the other's."""
    c = counts(frame, by)
    hi = np.maximum(c["share_europe"], c["share_china"])
    lo = np.minimum(c["share_europe"], c["share_china"])
    mask = hi >= ratio * lo
    out = c[mask].copy()
    out["leading_region"] = np.where(out["share_europe"] >= out["share_china"], "Europe", "China")
    lo_m = lo[mask].replace(0, np.nan)
    out["share_ratio"] = (hi[mask] / lo_m).round(2)
    out.insert(0, "dimension", by)
    return (
        out.rename(columns={by: "value"})
        .sort_values(["share_ratio", "value"], ascending=[False, True], na_position="first")
        .reset_index(drop=True)
    )


def analyse(
    items: pd.DataFrame, tfidf: sparse.csr_matrix, terms: np.ndarray, params: dict
) -> dict[str, pd.DataFrame]:
    """Every table of notebook 03, keyed by the name it is written under."""
    by = "label"
    opps = opportunities(
        items,
        params["weights"],
        int(params["recent_since"]),
        int(params["min_items_per_region"]),
        by,
    )
    ranked = opps[opps["score"] > 0]
    top = ranked[by].head(int(params["top_opportunities"])).tolist()
    persp = perspectives_long(items)
    topic_gaps = gaps(items, float(params["gap_ratio"]), by)
    persp_gaps = gaps(
        persp.rename(columns={"perspective_name": "perspective_label"}),
        float(params["gap_ratio"]),
        "perspective_label",
    )
    act = actors(items, by)
    return {
        "balance_topics": counts(items, by),
        "balance_perspectives": counts(persp, "perspective_name"),
        "kinds_by_topic": by_kind(items, by),
        "kinds_by_perspective": by_kind(persp, "perspective_name"),
        "timeline": timeline(items, by),
        "actors": act,
        "counterparts": counterparts(act, opps, int(params["top_opportunities"]), by),
        "milestones": milestones(items, list(params.get("milestones", []))),
        "opportunities": opps,
        "pairs": pairs(
            items,
            tfidf,
            terms,
            top,
            int(params["pairs_per_topic"]),
            float(params["min_similarity"]),
            by,
        ),
        "gaps": pd.concat(
            [topic_gaps.assign(dimension="topic"), persp_gaps.assign(dimension="perspective")],
            ignore_index=True,
        ),
    }


def write(tables: dict[str, pd.DataFrame], out) -> None:
    """Write every table of notebook 03 to the run's tables folder."""

    for name, frame in tables.items():
        files.write_csv(out.tables / f"{name}.csv", frame)


def nothing_to_compare(items: pd.DataFrame, topics_skipped: str = "") -> str:
    """Why the two regions cannot be compared (one region only, or no topics), else ''."""
    present = [r for r in REGIONS if (items["region"] == r).any()]
    if len(present) < 2:
        only = present[0] if present else "no region"
        return f"The mapping holds items of {only} only: there is nothing to compare."
    if topics_skipped:
        return f"No topics to compare the regions on: {topics_skipped}."
    return ""


def region_profile(items: pd.DataFrame) -> pd.DataFrame:
    """Items per region, kind and topic: what a single region's mapping holds."""
    return items.groupby(["region", "kind", "label"]).size().rename("items").reset_index()
