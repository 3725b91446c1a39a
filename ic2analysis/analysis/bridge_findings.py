"""'What this notebook found': the closing sentences of notebook 03, written from the results,
and the check of the counterparts table against the known pairs (``check_pairs``)."""

from __future__ import annotations

import pandas as pd

from . import bodies, counterparts, gaps


def check_pairs(table: pd.DataFrame, known: pd.DataFrame | None) -> dict[str, float]:
    """Shares of known pairs found among the top counterparts: each way, over both lookups
    (a desk officer may start from either item), and either way."""
    if known is None or known.empty or table.empty:
        return {}
    known = known[known["id_europe"].isin(table["id"]) & known["id_china"].isin(table["id"])]
    if known.empty:
        return {}
    c = counterparts.check_set(table, known)
    return {
        "pairs": len(c),
        "europe_finds_china": float(c["europe_finds_china"].mean()),
        "china_finds_europe": float(c["china_finds_europe"].mean()),
        "lookups": float((c["europe_finds_china"].mean() + c["china_finds_europe"].mean()) / 2),
        "either": float((c["europe_finds_china"] | c["china_finds_europe"]).mean()),
    }


def _interval(r) -> str:
    return f"rank {int(r['rank'])}, 90 % interval {int(r.rank_lo)}–{int(r.rank_hi)}"


def bridge_findings(tables: dict[str, pd.DataFrame], params: dict, check: dict) -> list[str]:
    """Bullet points (Markdown) on what the bridges step found, every number from the data."""
    o = tables["opportunities"]
    top = int(params["top_opportunities"])
    cand = o[o["candidate"].astype(bool)]
    best = cand.head(top)
    out = [
        f"{len(cand)} of {len(o)} topics are candidate subjects; "
        f"{len(o) - len(cand)} are not ranked (instruments, or a region with fewer than "
        f"{params['min_items_per_region']} items).",
        "The top opportunities: "
        + "; ".join(
            f"**{r.label}** ({_interval(r)}, P(top {top}) {r.p_top_weights:.2f} over weights, "
            f"{r.p_top_topics:.2f} over bootstrap topics{', fragile' if r.fragile else ''})"
            for _i, r in best.iterrows()
        )
        + ".",
        f"{int(best['fragile'].sum())} of the top {len(best)} are fragile (P < "
        f"{params['fragile_below']} under either test). With {len(cand)} candidates, being "
        f"in the top {top} is {'a weak' if len(cand) < 2 * top else 'a real'} claim: the rank "
        f"intervals and the scores say more than membership.",
    ]
    cb = tables["counterparts_by_item"]
    n_items = int(tables["balance_topics"][["n_europe", "n_china"]].to_numpy().sum())
    out.append(
        f"Counterparts: {cb['id'].nunique()} of {n_items} items have their closest items of "
        f"the other region listed (median similarity of the best one "
        f"{cb[cb['rank'] == 1]['similarity'].median():.2f})."
    )
    if check:
        out.append(
            f"Of {check['pairs']} known Europe–China pairs, the partner is among the top "
            f"{params['counterparts_per_item']} counterparts of the European item for "
            f"{check['europe_finds_china']:.0%}, of the Chinese item for "
            f"{check['china_finds_europe']:.0%} ({check['lookups']:.0%} of the "
            f"{2 * check['pairs']} lookups), and of at least one of the two for "
            f"{check['either']:.0%}. One pair moves a share by "
            f"{1 / check['pairs']:.0%}: the check is indicative, not precise."
        )
    if len(tables.get("body_counterparts", [])):
        out.append(bodies.findings(tables["body_counterparts"]))
    g = tables["gaps"]
    t = g[g["dimension"] == "topic"]
    out.append(
        f"Gaps: {len(t)} topic(s) pass the share test (ratio ≥ {params['gap_ratio']}); "
        f"{int((t['status'] == gaps.GAP).sum())} are claimed as gaps after the similarity "
        f"check (threshold {params['gap_similarity']}), "
        f"{int((t['status'] != gaps.GAP).sum())} are present in the other region."
    )
    return out
