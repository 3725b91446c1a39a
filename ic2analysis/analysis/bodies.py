"""Key organisations: what each body leads, and its Europe-China counterparts (issue #20).

A body's items are those whose ``lead_body_ids`` name it or one of its predecessors (renames
come from the register: a renamed body's items count for the body carrying it today). Its
profile is the count of its items per topic (``tables/clusters.csv``) and per kind. A
**counterpart pair** is a European and a Chinese body of the same function
(:data:`FUNCTIONS` groups the register's types) acting on at least one common topic, scored

    score = support * (0.6 * topic overlap + 0.2 * kind overlap) + 0.2 * joint

with the overlaps the cosine similarity of the two count vectors, ``support`` = m / (m + 1)
for m the smaller body's number of items (one item each is thin evidence: 0.5; five: 0.83)
and ``joint`` 1 when the two bodies lead an item together (EU-China frameworks), else 0.
The weights are fixed here (not a notebook parameter) so that the check set in
``tests/fixtures/body_counterparts.csv`` tests one method. Each pair states its reason.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import files, paths
from ..cleaning import bodies_register

WEIGHTS = {"topic": 0.6, "kind": 0.2, "joint": 0.2}
FUNCTIONS = {  # register type -> the function a counterpart must share
    "ministry": "government",
    "government": "government",
    "regulator": "regulator",
    "funder": "funder",
    "standards body": "standards body",
    "research infrastructure": "research infrastructure",
    "research institute or university": "research",
    "hospital or hospital network": "care provider",
    "parliament or council": "legislature",
}
KIND_VERBS = {"policy": "policies", "programme": "programmes", "standard": "standards"}
COLUMNS = (
    "europe_id",
    "europe_name",
    "china_id",
    "china_name",
    "function",
    "score",
    "topic_overlap",
    "kind_overlap",
    "joint_items",
    "shared_topics",
    "reason",
    "rank_for_europe",
    "rank_for_china",
)


def item_bodies(items: pd.DataFrame, reg: bodies_register.Register) -> pd.DataFrame:
    """One row per (item, body carrying it today): ``id, body_id, region, kind``."""
    rows = []
    for r in items.itertuples():
        for bid in dict.fromkeys(reg.current(b) for b in r.lead_body_ids.split(";") if b):
            rows.append({"id": r.id, "body_id": bid, "region": r.region, "kind": r.kind})
    return pd.DataFrame(rows, columns=["id", "body_id", "region", "kind"])


def _side(bid: str, desk_regions: pd.Series, reg: bodies_register.Register) -> str:
    """Europe or China for a body; an international body sits with the European desk that
    lists it (ISO, GA4GH); one listed only by the China desk (a foreign partner) has no side."""
    region = reg.frame.at[bid, "region"]
    if region != "International":
        return region
    return "Europe" if (desk_regions == "Europe").any() else ""


def profiles(items: pd.DataFrame, clusters: pd.DataFrame, reg=None) -> pd.DataFrame:
    """Per body: names, type, side, items led, and its topics and kinds with counts."""
    reg = reg or bodies_register.register()
    ib = item_bodies(items, reg).merge(clusters[["id", "name_en"]], on="id", how="left")
    ib["name_en"] = ib["name_en"].fillna("")
    rows = []
    for bid, g in ib.groupby("body_id", sort=True):
        topics = g[g["name_en"] != ""]["name_en"].value_counts()
        kinds = g["kind"].value_counts()
        rows.append(
            {
                "body_id": bid,
                "name_en": reg.label(bid),
                "name_local": reg.local(bid),
                "type": reg.frame.at[bid, "type"],
                "side": _side(bid, g["region"], reg),
                "items": len(g),
                "item_ids": ";".join(sorted(g["id"])),
                "topics": "; ".join(f"{t} ({n})" for t, n in _ordered(topics)),
                "kinds": "; ".join(f"{k} ({n})" for k, n in _ordered(kinds)),
            }
        )
    return pd.DataFrame(rows)


def _ordered(counts: pd.Series) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    return float(a @ b / (na * nb)) if na and nb else 0.0


def _reason(function: str, e_type: str, c_type: str, shared: list[str], kinds: list[str]) -> str:
    """'regulator ↔ regulator on Molecular diagnostics ...; both lead standards'."""
    what = f"{e_type} ↔ {c_type} on {' and '.join(shared[:2])}"
    if kinds:
        what += f"; both lead {' and '.join(KIND_VERBS.get(k, k + 's') for k in kinds)}"
    return what


def counterparts(items: pd.DataFrame, clusters: pd.DataFrame, reg=None) -> pd.DataFrame:
    """Every scored Europe-China pair of bodies of the same function sharing a topic."""
    reg = reg or bodies_register.register()
    ib = item_bodies(items, reg).merge(clusters[["id", "name_en"]], on="id", how="left")
    ib = ib.fillna({"name_en": ""})
    prof = profiles(items, clusters, reg).set_index("body_id")
    topics = sorted(t for t in ib["name_en"].unique() if t)
    kinds = sorted(ib["kind"].unique())
    tv = pd.crosstab(ib["body_id"], ib["name_en"]).reindex(columns=topics, fill_value=0)
    kv = pd.crosstab(ib["body_id"], ib["kind"]).reindex(columns=kinds, fill_value=0)
    led = ib.groupby("body_id")["id"].apply(set)
    func = prof["type"].map(FUNCTIONS)
    rows = []
    for e in prof.index[(prof["side"] == "Europe") & func.notna()]:
        for c in prof.index[(prof["side"] == "China") & (func == func[e])]:
            te, tc = tv.loc[e].to_numpy(), tv.loc[c].to_numpy()
            shared = [t for t, a, b in zip(topics, te, tc, strict=True) if a and b]
            if not shared:
                continue
            shared.sort(key=lambda t: (-min(tv.at[e, t], tv.at[c, t]), t))
            joint = len(led[e] & led[c])
            t_o, k_o = _cos(te, tc), _cos(kv.loc[e].to_numpy(), kv.loc[c].to_numpy())
            m = min(prof.at[e, "items"], prof.at[c, "items"])
            fit = WEIGHTS["topic"] * t_o + WEIGHTS["kind"] * k_o
            score = m / (m + 1) * fit + WEIGHTS["joint"] * (joint > 0)
            both = [k for k in kinds if kv.at[e, k] and kv.at[c, k]]
            rows.append(
                {
                    "europe_id": e,
                    "europe_name": prof.at[e, "name_en"],
                    "china_id": c,
                    "china_name": prof.at[c, "name_en"],
                    "function": func[e],
                    "score": round(score, 4),
                    "topic_overlap": round(t_o, 4),
                    "kind_overlap": round(k_o, 4),
                    "joint_items": joint,
                    "shared_topics": "; ".join(shared),
                    "reason": _reason(func[e], prof.at[e, "type"], prof.at[c, "type"], shared, both)
                    + (f"; lead {joint} item(s) together" if joint else ""),
                }
            )
    return _ranked(pd.DataFrame(rows, columns=COLUMNS[:-2]))


def _ranked(pairs: pd.DataFrame) -> pd.DataFrame:
    """Add each pair's rank among its European body's and its Chinese body's counterparts."""
    pairs = pairs.sort_values(["score", "europe_id", "china_id"], ascending=[False, True, True])
    for side, col in (("europe_id", "rank_for_europe"), ("china_id", "rank_for_china")):
        pairs[col] = pairs.groupby(side).cumcount() + 1
    return pairs.reset_index(drop=True)[list(COLUMNS)]


def top_for(pairs: pd.DataFrame, body_id: str, n: int = 3) -> list[str]:
    """The ids of a body's n best counterparts (either side)."""
    e = pairs[pairs["europe_id"] == body_id].head(n)["china_id"].tolist()
    c = pairs[pairs["china_id"] == body_id].head(n)["europe_id"].tolist()
    return e or c


def check(pairs: pd.DataFrame, known: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """For each known pair (europe_id, china_id, why): is each among the other's top n?"""
    out = known.copy()
    out["china_in_europe_top"] = [
        c in top_for(pairs, e, n)
        for e, c in zip(known["europe_id"], known["china_id"], strict=True)
    ]
    out["europe_in_china_top"] = [
        e in top_for(pairs, c, n)
        for e, c in zip(known["europe_id"], known["china_id"], strict=True)
    ]
    return out


def analyse(items: pd.DataFrame, clusters: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The tables of this step: ``body_profiles`` and ``body_counterparts``."""
    reg = bodies_register.register()
    return {
        "body_profiles": profiles(items, clusters, reg),
        "body_counterparts": counterparts(items, clusters, reg),
    }


def write(tables: dict[str, pd.DataFrame], out: paths.RunPaths) -> list:
    """Write the tables to the run's ``tables/`` folder."""
    return [files.write_csv(out.tables / f"{name}.csv", t) for name, t in tables.items()]
