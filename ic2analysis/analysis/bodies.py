"""Key organisations: what each body leads, and its Europe-China counterparts (issue #20).

A body's items are those whose ``lead_body_ids`` name it or one of its predecessors (renames
come from the register: a renamed body's items count for the body carrying it today). An
item led by a body together with one of its own agencies (SAMR with SAC, NHC with NATCM)
counts for the agency, the body that itself acts; the parent is the umbrella. A body's
profile is its items per topic (soft consensus memberships, ``body_topics``) and per kind.

A **counterpart pair** is a European and a Chinese body of compatible functions
(:func:`compatibility`: the same register type, or a related one at ``body_related_function``)
whose soft topic overlap reaches ``body_min_topic_overlap``. It is scored

    score = compatibility * (support * (w_topic * topic overlap + w_kind * kind overlap)
            + w_joint * joint)

with the weights ``body_weights`` (config.py, normalised), the topic overlap the soft cosine
of the two profiles under the topic-space kernel, the kind overlap the cosine of the kind
counts, ``support`` = m / (m + 1) for m the smaller body's number of items (one item each is
thin evidence: 0.5; five: 0.83) and ``joint`` 1 when the two bodies lead an item together.
A body and its own parent or agency never compete for the same counterpart: of the two,
the better-scored stays (:func:`uncontested`). Each pair states its reason.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import config
from ..cleaning import bodies_register
from . import body_topics
from .body_rules import FUNCTIONS, compatibility, item_bodies, uncontested

KIND_VERBS = {"policy": "policies", "programme": "programmes", "standard": "standards"}
COLUMNS = (
    "europe_id",
    "europe_name",
    "china_id",
    "china_name",
    "function",
    "compatibility",
    "score",
    "topic_overlap",
    "kind_overlap",
    "joint_items",
    "shared_topics",
    "reason",
    "rank_for_europe",
    "rank_for_china",
)


def _side(bid: str, desk_regions: pd.Series, reg: bodies_register.Register) -> str:
    """Europe or China for a body; an international body sits with the European desk that
    lists it (ISO, GA4GH); one listed only by the China desk (a foreign partner) has no side."""
    region = reg.frame.at[bid, "region"]
    if region != "International":
        return region
    return "Europe" if (desk_regions == "Europe").any() else ""


def profiles(
    items: pd.DataFrame,
    clusters: pd.DataFrame,
    reg: bodies_register.Register | None = None,
    ib: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per body: names, type, side, items led, and its topics and kinds with counts
    (``ib``: :func:`item_bodies` of ``items``, when the caller has it already)."""
    reg = reg or bodies_register.register()
    ib = item_bodies(items, reg) if ib is None else ib
    ib = ib.merge(clusters[["id", "name_en"]], on="id", how="left")
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


def _reason(e_type: str, c_type: str, subjects: str, kinds: list[str], compat: float) -> str:
    """'regulator ↔ regulator on Molecular diagnostics ...; both lead standards'."""
    what = f"{e_type} ↔ {c_type}" + (" (related functions)" if compat < 1 else "")
    what += f" on {subjects}"
    if kinds:
        what += f"; both lead {' and '.join(KIND_VERBS.get(k, k + 's') for k in kinds)}"
    return what


def _subjects(te: pd.Series, tc: pd.Series) -> tuple[list[str], str]:
    """Topics both bodies hold (at least half an item each), and the pair's subject in words:
    the two shared topics they hold most of, or their main topics when none is shared."""
    e, c = te.to_numpy(), tc.to_numpy()
    both = dict(zip(te.index, np.minimum(e, c), strict=True))
    shared = sorted((t for t, x in both.items() if x >= 0.5), key=lambda t: (-round(both[t], 6), t))
    if shared:
        return shared, " and ".join(shared[:2])
    e_main, c_main = te.index[int(np.argmax(e))], tc.index[int(np.argmax(c))]
    return [], f"related topics ({e_main} in Europe, {c_main} in China)"


def _settings(params: dict | None) -> tuple[dict, float, float]:
    """Normalised score weights, the related-function factor and the topic-overlap floor."""
    p = params or config.Bridges().values()
    w = dict(p["body_weights"])
    total = sum(w.values())
    w = {k: float(w.get(k, 0)) / total for k in ("topic", "kind", "joint")}
    return w, float(p["body_related_function"]), float(p["body_min_topic_overlap"])


def _profiles_by_body(ib: pd.DataFrame, member: pd.DataFrame) -> tuple[pd.DataFrame, ...]:
    """Per body: summed topic memberships, kind counts and the set of items it leads."""
    tv = member.reindex(ib["id"]).fillna(0.0).set_axis(ib["body_id"]).groupby(level=0).sum()
    kv = body_topics.counts(ib["body_id"], ib["kind"])
    return tv, kv, ib.groupby("body_id")["id"].apply(set)


def counterparts(
    items: pd.DataFrame,
    clusters: pd.DataFrame,
    reg: bodies_register.Register | None = None,
    params: dict | None = None,
    member: pd.DataFrame | None = None,
    kernel: pd.DataFrame | None = None,
    ib: pd.DataFrame | None = None,
    prof: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every scored Europe-China pair of compatible bodies whose topics overlap enough.

    ``member`` (item x topic memberships) and ``kernel`` (topic x topic closeness) default
    to each item's own topic and the identity: then only identical topics count. ``ib`` and
    ``prof`` (:func:`item_bodies`, :func:`profiles`) are computed when not given.
    """
    reg = reg or bodies_register.register()
    w, related, floor = _settings(params)
    member = body_topics.hard(clusters) if member is None else member
    cols = member.columns
    k = np.eye(len(cols)) if kernel is None else kernel.loc[cols, cols].to_numpy()
    ib = item_bodies(items, reg) if ib is None else ib
    tv, kv, led = _profiles_by_body(ib, member)
    prof = (profiles(items, clusters, reg, ib) if prof is None else prof).set_index("body_id")
    kind_cols, p = list(kv.columns), {c: prof[c].to_dict() for c in ("type", "name_en", "items")}
    t_rows = {b: tv.loc[b] for b in prof.index}  # one Series per body, not one per pair
    t_arr = {b: t.to_numpy() for b, t in t_rows.items()}
    k_arr = {b: kv.loc[b].to_numpy() for b in prof.index}
    rows = []
    for e in prof.index[prof["side"] == "Europe"]:
        for c in prof.index[prof["side"] == "China"]:
            e_type, c_type = p["type"][e], p["type"][c]
            compat = compatibility(e_type, c_type, related)
            if not compat:
                continue
            overlap = body_topics.soft_cosine(t_arr[e], t_arr[c], k)
            if overlap < max(floor, 1e-9):
                continue
            shared, subjects = _subjects(t_rows[e], t_rows[c])
            joint = len(led[e] & led[c])
            k_o = _cos(k_arr[e], k_arr[c])
            m = min(p["items"][e], p["items"][c])
            fit = w["topic"] * overlap + w["kind"] * k_o
            score = compat * (m / (m + 1) * fit + w["joint"] * (joint > 0))
            both = [x for i, x in enumerate(kind_cols) if k_arr[e][i] and k_arr[c][i]]
            reason = _reason(e_type, c_type, subjects, both, compat)
            rows.append(
                {
                    "europe_id": e, "europe_name": p["name_en"][e],
                    "china_id": c, "china_name": p["name_en"][c],
                    "function": FUNCTIONS[e_type], "compatibility": compat,
                    "score": round(score, 4), "topic_overlap": round(overlap, 4),
                    "kind_overlap": round(k_o, 4), "joint_items": joint,
                    "shared_topics": "; ".join(shared),
                    "reason": reason + (f"; lead {joint} item(s) together" if joint else ""),
                }
            )  # fmt: skip
    pairs = pd.DataFrame(rows, columns=COLUMNS[:-2])
    return _ranked(uncontested(pairs, reg))


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


def analyse(
    items: pd.DataFrame,
    clusters: pd.DataFrame,
    params: dict | None = None,
    member: pd.DataFrame | None = None,
    kernel: pd.DataFrame | None = None,
    ib: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """The tables of this step: ``body_profiles`` and ``body_counterparts`` (``ib``: the
    items' :func:`item_bodies`, worked out once and shared by both)."""
    reg = bodies_register.register()
    ib = item_bodies(items, reg) if ib is None else ib
    prof = profiles(items, clusters, reg, ib)
    return {
        "body_profiles": prof,
        "body_counterparts": counterparts(items, clusters, reg, params, member, kernel, ib, prof),
    }


def tables(
    items: pd.DataFrame,
    emb,
    params: dict,
    bootstraps: pd.DataFrame | None = None,
    opps: pd.DataFrame | None = None,
    by: str = "label",
) -> dict[str, pd.DataFrame]:
    """The tables from notebook 03's inputs: items joined with their topics (``id, cluster,
    name_en``), the topics step's embedding and its bootstrap partitions; with
    ``body_topic_shares`` (per body and topic: soft items and their share of the body's).
    Given the opportunities table ``opps``, adds its column ``counterpart_bodies``."""
    clusters = items[["id", "cluster", "name_en"]]
    member = body_topics.memberships(clusters, bootstraps)
    kernel = body_topics.kernel(clusters, emb.space, list(member.columns))
    ib = item_bodies(items, bodies_register.register())
    out = analyse(items, clusters, params, member, kernel, ib)
    tv, _, _ = _profiles_by_body(ib, member)
    long = tv.rename_axis(index="body_id", columns="topic").stack().rename("items")
    long = long[long > 0].reset_index()
    long["share"] = (long["items"] / long.groupby("body_id")["items"].transform("sum")).round(4)
    out["body_topic_shares"] = long.assign(items=long["items"].round(4))
    if opps is not None:
        n = int(params["body_counterparts_per_topic"])
        opps["counterpart_bodies"] = for_topics(out, opps[by], n)
    return out


def for_topics(tables: dict[str, pd.DataFrame], topics: pd.Series, n: int) -> pd.Series:
    """Per topic, its n strongest counterpart pairs as 'EMA ↔ NMPA; ...': pairs sharing the
    topic, by score x m / (m + 1) for m the smaller of the two bodies' (soft) items in the
    topic, each body listed once (so one busy body does not fill the list)."""
    reg = bodies_register.register()
    pairs, shares = tables["body_counterparts"], tables["body_topic_shares"]
    held = shares.set_index(["body_id", "topic"])["items"]

    def short(bid: str) -> str:
        return reg.frame.at[bid, "acronym"] or reg.frame.at[bid, "name_en"]

    def listed(topic: str) -> str:
        if pairs.empty:
            return ""
        on = pairs[pairs["shared_topics"].fillna("").str.split("; ").apply(lambda t: topic in t)]
        m = [
            min(held.get((e, topic), 0.0), held.get((c, topic), 0.0))
            for e, c in zip(on["europe_id"], on["china_id"], strict=True)
        ]
        strength = [score * x / (x + 1) for score, x in zip(on["score"], m, strict=True)]
        on = on.assign(strength=strength).sort_values(
            ["strength", "europe_id", "china_id"], ascending=[False, True, True]
        )
        seen: set[str] = set()
        picked = []
        for e, c in zip(on["europe_id"], on["china_id"], strict=True):
            if e not in seen and c not in seen and len(picked) < n:
                picked.append(f"{short(e)} ↔ {short(c)}")
                seen |= {e, c}
        return "; ".join(picked)

    return topics.map(listed)


def findings(pairs: pd.DataFrame, n: int = 3) -> str:
    """One bullet for the closing note: how many pairs, and the n strongest with reasons."""
    best = "; ".join(
        f"**{r.europe_name} ↔ {r.china_name}** ({r.score:.2f}: {r.reason})"
        for r in pairs.head(n).itertuples()
    )
    return (
        f"Counterpart bodies: {len(pairs)} Europe–China pairs of compatible functions on "
        f"overlapping topics; the strongest: {best}."
    )
