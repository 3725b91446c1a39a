"""Europe and China side by side: the tables of notebook 03, and the step that makes them.

The parts live in their own modules: ``advantage`` (activity index, recency,
complementarity), ``opportunities`` (candidate subject topics and their score),
``robustness`` (Dirichlet weights and bootstrap partitions), ``carriers`` (instruments per
topic), ``counterparts`` (every item's closest items of the other region), ``pairs`` (pairs
inside the top topics), ``gaps`` (checked gaps). This module holds the descriptive tables
(balance, kinds, perspectives, timeline, actors, key organisations) and ``analyse``.
"""

from __future__ import annotations

import functools

import pandas as pd

from .. import files, forked, gcpause
from ..cleaning.parse import bodies
from ..cleaning.template import KINDS, PERSPECTIVES
from ..forked import Forked
from . import (
    advantage,
    carriers,
    counterparts,
    dialect,
    gaps,
    opportunities,
    pairs,
    robustness,
    vectorise,
)
from . import bodies as body_map
from .advantage import COMPONENTS, REGIONS, balance
from .gaps import counts

__all__ = ["COMPONENTS", "REGIONS", "analyse", "balance", "counts", "write"]


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


def key_bodies(
    frame: pd.DataFrame, actors_table: pd.DataFrame, topics: list, by: str = "label"
) -> pd.DataFrame:
    """For each top opportunity: the leading bodies on each side, side by side, and the
    bodies that lead items of both regions (anywhere in the mapping) and act in the topic."""
    lead = frame[frame["lead_body_canonical"].fillna("") != ""]
    regions = lead.groupby("lead_body_canonical")["region"].nunique()
    both = set(regions[regions >= 2].index)
    rows = []
    for topic in topics:
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
        here = sorted(both & set(lead[lead[by] == topic]["lead_body_canonical"]))
        rows.append({by: topic, "europe_bodies": side["Europe"], "china_bodies": side["China"],
                     "bodies_in_both_regions": "; ".join(here)})  # fmt: skip
    return pd.DataFrame(
        rows, columns=[by, "europe_bodies", "china_bodies", "bodies_in_both_regions"]
    )


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


def item_counterparts(items: pd.DataFrame, emb, params: dict, by: str = "label") -> Forked:
    """Every item's closest items of the other region (words, topics and characters),
    started in a forked process beside the other tables (up to ``forked.MAX_ITEMS`` items);
    ``.result()`` is the table.

    The texts of the character view are built only for an exact search, which uses them
    (at a million items they would hold about 1 GB through the whole search)."""
    region = items["region"].to_numpy()
    exact = counterparts.exact(int((region == "Europe").sum()), int((region == "China").sum()))
    texts = list(vectorise.documents(items)) if exact else None
    search = Forked(
        functools.partial(
            counterparts.search, region, emb.tfidf, emb.space, emb.terms,
            int(params["counterparts_per_item"]), int(params["counterpart_probes"]),
            texts, dialect.marked_terms(dialect.load_marked()),
        ),
        fork=len(items) <= forked.MAX_ITEMS,
    )  # fmt: skip
    return _Table(search, lambda found: counterparts.table(items, found, by))


class _Table:
    """A search under way and how its rows become the table."""

    def __init__(self, search: Forked, make) -> None:
        self.search, self.make = search, make

    def result(self) -> pd.DataFrame:
        return self.make(self.search.result())


@gcpause.paused()  # per-item tables at scale: 10 % of its CPU at 100k
def analyse(
    items: pd.DataFrame,
    emb,
    params: dict,
    bootstraps: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """Every table of notebook 03, keyed by the name it is written under. ``emb`` is the
    topics step's embedding (``tfidf``, ``terms``, ``space``); ``bootstraps`` its bootstrap
    partitions (``topic_bootstraps.csv``), for robustness test (b)."""
    by, top = "label", int(params["top_opportunities"])
    search = item_counterparts(items, emb, params, by)  # under way while the rest is made
    ranked = opportunities.opportunities(
        items, params["weights"], int(params["recent_since"]),
        int(params["min_items_per_region"]), by,
    )  # fmt: skip
    opps = robustness.robust_ranking(ranked, items, bootstraps, params, by)
    subjects = opps[opps["candidate"]][by].tolist()
    carry = carriers.carriers(items, emb.tfidf, emb.terms, subjects,
                              int(params["carriers_per_topic"]),
                              float(params["min_similarity"]), by)  # fmt: skip
    joined = carry.groupby(by)["instrument_id"].agg("; ".join) if len(carry) else None
    opps["carriers"] = opps[by].map(joined).fillna("") if joined is not None else ""
    body = body_map.tables(items, emb, params, bootstraps, opps, by)  # + counterpart_bodies
    persp = perspectives_long(items)
    act = actors(items, by)
    return {
        "balance_topics": counts(items, by),
        "balance_perspectives": counts(persp, "perspective_name"),
        "activity_index": advantage.activity_index(items, by),
        "kinds_by_topic": by_kind(items, by),
        "kinds_by_perspective": by_kind(persp, "perspective_name"),
        "timeline": timeline(items, by),
        "actors": act,
        "counterparts": key_bodies(items, act, subjects[:top], by),
        "milestones": milestones(items, list(params.get("milestones", []))),
        "opportunities": opps,
        "carriers": carry,
        "pairs": pairs.pairs(
            items,
            emb.tfidf,
            emb.terms,
            subjects[:top],
            int(params["pairs_per_topic"]),
            float(params["min_similarity"]),
            by,
            emb.space,
        ),  # fmt: skip
        "counterparts_by_item": search.result(),
        "gaps": gaps.table(items, emb.tfidf, persp, params, by),
        **body,
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
