# %% [markdown]
# # 3. Europe and China side by side
#
# This is what the mapping is for: finding where European and Chinese work on personalised medicine could meet. Each topic from notebook 2 is compared across the two regions, scored as a collaboration opportunity, and backed by concrete pairs of similar initiatives.

# %% tags=["parameters"]
# Generated from ic2analysis/config.py (`make params`); edit the model there.
# Run name ('' = the default, committed run).
run = ""
# Items from this year on count as recent activity.
recent_since = 2018
# Items a topic needs in each region to be an opportunity.
min_items_per_region = 2
# Weights of the score's components {balance, recency, complementarity, cooperation}; normalised
# to sum to 1; a component left out counts as 0.
weights = {"balance": 0.35, "recency": 0.25, "complementarity": 0.2, "cooperation": 0.2}
# Opportunities shown in full.
top_opportunities = 5
# Europe-China pairs listed per top opportunity.
pairs_per_topic = 5
# Cosine similarity floor of a listed pair.
min_similarity = 0.05
# A gap: one region holds at least this many times the other's share.
gap_ratio = 3.0
# Item ids marked on the timeline (year and title come from the data).
milestones = ["EUPM-001", "EUPM-007", "EUPM-003", "CNPM-001", "CNPM-027", "CNPM-042"]

# %%
from IPython.display import display

from ic2analysis import config, paths
from ic2analysis.analysis import bridges, store
from ic2analysis.cleaning import clean
from ic2analysis.reporting import figures

p = config.Bridges.from_cell(globals())
out = paths.run_paths(p.run)
figures.set_theme()
items, emb = store.reload(clean.load(out), out)
why_not = bridges.nothing_to_compare(items, store.model(out)["skipped"])
tables = {} if why_not else bridges.analyse(items, emb.tfidf, emb.terms, p.values())
bridges.write(tables, out)
ok = not why_not
print(why_not or "Both regions are present and the topics are ready to compare.")
bridges.region_profile(items) if why_not else None

# %% [markdown]
# ## Where each region puts its weight
#
# Shares are taken within each region (a topic's items over all the region's items), so the larger desk does not dominate. **Balance** = 1 − |share_EU − share_CN| / (share_EU + share_CN): 1 when both regions give the topic the same weight, 0 when only one is active.

# %%
if ok:
    figures.save(
        figures.region_topic_heatmap(tables["balance_topics"], "label"),
        "03_region_topic_heatmap",
        out.figures,
    )

# %%
if ok:
    figures.save(figures.balance_bars(tables["balance_topics"], "label"), "03_balance", out.figures)

# %% [markdown]
# The same view by ICPerMed perspective (an item can serve several), then by kind: which instruments each region uses for each perspective.

# %%
display(tables["balance_perspectives"]) if ok else None

# %%
display(bridges.kinds_table(tables["kinds_by_perspective"], "perspective_name")) if ok else None

# %% [markdown]
# ## When each side moved
#
# Items per year in the largest topics, with policy milestones from the mapping itself as dotted lines (blue: Europe, orange: China).

# %%
if ok:
    figures.save(
        figures.topic_timeline(
            tables["timeline"],
            tables["milestones"],
            bridges.largest_topics(tables["balance_topics"], 6),
        ),
        "03_timeline",
        out.figures,
    )

# %% [markdown]
# ## Who acts
#
# The lead bodies with most items in each region are the likely counterparts of any joint action. Renamed bodies are counted under their current name (e.g. MoH and NHFPC under NHC); the table lists the counterparts in the top opportunities.

# %%
if ok:
    figures.save(figures.actors_bars(tables["actors"]), "03_actors", out.figures)

# %%
display(tables["counterparts"]) if ok else None

# %% [markdown]
# ## Opportunities
#
# The score of a topic is a weighted sum of four components, each between 0 and 1: **balance** (both regions active in proportion), **recency** (geometric mean of the shares of recent items in each region, so both must be moving now), **complementarity** (how different the mix of policies, programmes, standards and initiatives is, i.e. what one side could bring the other), and **cooperation** (EU–China frameworks already in the topic). Topics where a region has fewer than `min_items_per_region` items score 0. Each row spells out its reasons.

# %%
display(tables["opportunities"]) if ok else None

# %%
if ok:
    figures.save(
        figures.opportunity_ranking(tables["opportunities"], "label", bridges.COMPONENTS, weights),
        "03_opportunities",
        out.figures,
    )

# %% [markdown]
# ## The pairs behind the top opportunities
#
# For each top topic, the Europe–China pairs with the highest cosine similarity of their TF-IDF vectors, computed sparsely block by block, with the terms that make them similar.

# %%
display(
    tables["pairs"][
        ["opportunity_rank", "label", "similarity", "europe_title", "china_title", "shared_terms"]
    ]
) if ok else None

# %%
if ok:
    figures.save(figures.pair_network(tables["pairs"], "label"), "03_pairs", out.figures)

# %% [markdown]
# ## Gaps
#
# Topics and perspectives where one region's share is at least `gap_ratio` times the other's: places where one side could learn from the other, or where a joint call would have no counterpart yet.

# %%
display(
    tables["gaps"][["dimension", "value", "n_europe", "n_china", "leading_region", "share_ratio"]]
) if ok else None

# %% [markdown]
# ## Counterpart bodies
#
# Every lead body is an entry of the bodies register `data/bodies.csv` (names in both scripts, type, parent, renames with years, own site); cleaning resolved each `lead_body` name to a register id (`lead_body_ids`), and an item of a renamed body counts for the body that carries it today (MoH and NHFPC items for the NHC). A **counterpart pair** is a European and a Chinese body of the same function acting on at least one common topic, scored `support × (0.6 × topic overlap + 0.2 × kind overlap) + 0.2 × joint`: the overlaps are cosine similarities of the two bodies' items per topic and per kind, `support` = m/(m+1) for m the smaller body's number of items (one item each is thin evidence), `joint` = 1 when they lead an item together. Each pair states its reason; the check set in `tests/fixtures/body_counterparts.csv` lists known functional pairs and whether the map finds them among the European body's top 3.

# %%
import pandas as pd

from ic2analysis.analysis import bodies as body_map

clusters = (
    pd.read_csv(out.tables / "clusters.csv", dtype=str, keep_default_na=False) if ok else None
)
body_tables = body_map.analyse(items, clusters) if ok else {}
body_map.write(body_tables, out) if ok else None
if ok:
    named = items[items["lead_body"] != ""]
    print(
        f"{len(named)} of {len(items)} items name a lead body; "
        f"{(named['lead_body_ids'] != '').mean():.0%} of them resolve to register entries "
        f"({len(items) - len(named)} items have no lead body recorded). "
        f"{len(body_tables['body_profiles'])} bodies lead items; "
        f"{len(body_tables['body_counterparts'])} Europe-China counterpart pairs."
    )

# %%
display(
    body_tables["body_counterparts"][
        ["europe_name", "china_name", "function", "score", "joint_items", "reason"]
    ].head(15)
) if ok else None

# %%
display(
    body_map.check(
        body_tables["body_counterparts"],
        pd.read_csv(paths.ROOT / "tests" / "fixtures" / "body_counterparts.csv"),
    )
) if ok else None

# %%
if ok:
    figures.save(
        figures.counterpart_map(body_tables["body_counterparts"], body_tables["body_profiles"]),
        "03_body_counterparts",
        out.figures,
    )
