# %% [markdown]
# # 2. Topics: what the initiatives are about
#
# Each item's English title, description and keywords become TF-IDF vectors (Chinese text is segmented with jieba). Two kinds of words are kept out of the topics on purpose: **region-marked terms** (programme names, administrative words and place names that one region uses and the other does not, found with "fightin' words" log-odds and reviewed in `params/region_marked_terms.yaml`), and **instruments**: items that are a funding or cooperation instrument with no subject of their own go to a separate *cross-cutting instruments* group. The other items are projected on a small LSA space and grouped by a **bagged k-means consensus** (many k-means runs on subsamples, pooled). The number of topics is chosen by a written stability rule, and every stability figure is set against a null in which the words no longer co-occur.

# %% tags=["parameters"]
# Generated from ic2analysis/config.py (`make params`); edit the model there.
# Run name ('' = the default, committed run).
run = ""
# Seed of every random step.
seed = 20240101
# Number of subject topics: an integer >= 2, or auto (sweep k_range and apply the stability rule).
k = "auto"
# [lowest, highest] k of the sweep; clipped to n // 2 for small mappings (said in the notebook);
# below 2 x k_range[0] subject items no topics are made.
k_range = [6, 12]
# Seeds of the whole procedure (seed stability).
stability_seeds = 10
# Refits on random subsamples (bootstrap stability).
bootstraps = 10
# Share of the items in each subsample and consensus run.
bootstrap_share = 0.8
# Seeds and subsamples repeated on the permuted-columns null.
null_runs = 5
# Seeds and subsamples per k in the sweep (the chosen k gets all); 10 picks the same k for seeds
# 20240101, 1 and 2, 5 does not.
sweep_replicates = 10
# k rule: minimum seed stability.
seed_min = 0.8
# k rule: bootstrap stability at least this above the null.
null_margin = 0.2
# k rule: smallest topic at least this share of items.
min_topic_share = 0.03
# k rule: k within this of the best bootstrap stability count as tied (the largest is taken).
tie = 0.03
# Per-topic clusterboot Jaccard below which a topic is unstable.
unstable_below = 0.6
# k-means runs pooled into the consensus.
consensus_runs = 100
# At most this many items per consensus run (100k stays cheap).
consensus_sample = 5000
# Initialisations when the pooled centres are clustered.
consensus_n_init = 10
# Each run uses the first d LSA components, d drawn from lsa_dims_min..lsa_components.
lsa_dims_min = 5
# Components of the SVD of the TF-IDF (evidence: benchmarks/results/topic_settings.csv, shown in
# notebook 02).
lsa_components = 12
# Above this many items, the silhouette uses a fixed sample.
sample_size = 4000
# [shortest, longest] word n-grams.
ngram_range = [1, 2]
# Terms in at least this many items (an integer, capped at 2 % of the items for small mappings) or
# this share.
min_df = 5
# Drop terms in more documents (an integer) or a larger share.
max_df = 0.4
# Use 1 + log(tf) instead of raw counts.
sublinear_tf = True
# Words found throughout a PM mapping that would dominate every cluster.
domain_stop_words = [
    "personalised",
    "personalized",
    "precision",
    "medicine",
    "medical",
    "health",
    "healthcare",
    "national",
    "european",
    "europe",
    "china",
    "chinese",
    "eu",
    "programme",
    "program",
    "policy",
    "initiative",
    "project",
    "plan",
    "strategy",
    "also",
    "including",
    "aims",
    "support",
    "supports",
    "new",
    "based",
]
# Instruments rule: share of an item's TF-IDF weight on instrument terms
# (params/instruments.yaml).
instrument_share_min = 0.35
# Instruments rule: no subject term heavier than this.
subject_weight_max = 0.25
# A reviewed name (params/topic_names.yaml) applies while its signature matches the topic's top
# terms this well.
name_min_jaccard = 0.5
# Phrases per topic in cluster_terms.csv.
top_terms = 8
# Set aside style terms (analysis/style.py): words one region writes in most items whatever the
# subject, so a shared subject is not split by writing style.
style_terms = True
# Style terms: at least this fightin'-words |z| between regions (about 5 % two-sided; z grows with
# the mapping's size, so a small mapping needs a low bar).
style_z_min = 2.0
# Style terms: in at least this share of the region's items.
style_share_min = 0.1
# Style terms: the items using the term are at most this much more alike than any two items of the
# region (mean pairwise cosine ratio; subject words 1.5-3; at 1.15 the repository's 'patient' and
# 'partners' would go, and seed 1's partition moves to ARI 0.86 from the default's).
style_coherence_max = 1.05
# Known Europe-China counterpart pairs (id_europe, id_china, why), relative to the project root.
counterpart_pairs = "params/counterpart_pairs.csv"

# %%
import pandas as pd
from IPython.display import Markdown

from ic2analysis import config, paths
from ic2analysis.analysis import agreement, findings, measures, store, topics
from ic2analysis.cleaning import clean
from ic2analysis.reporting import figures
from ic2analysis.reporting import topic_figures as tf

p = config.Topics.from_cell(globals())
out = paths.run_paths(p.run)
figures.set_theme()
items = clean.load(out)
p.check_against(len(items))
result = topics.analyse(items, p.values(), cache=store.shared_cache())
pairs = agreement.load_pairs(paths.ROOT / p.counterpart_pairs)
metrics = measures.table(result, items, pairs)
store.write(result, items, metrics, out)
ok = not result.skipped
print(result.why)
for note in result.notes:
    print(note)

# %% [markdown]
# ## Subjects, not dialects
#
# The two desks describe the same subjects in their regions' own words: "Horizon", "member states" and "EUR million" in Europe; "five-year", "key special project", "State Council" and "big data" in China. Left in, such words split one subject into a European and a Chinese topic. The table shows the most region-marked terms by the z-score of their log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008; positive = Europe), and what the review decided: only programme names, administrative words, money and place names are removed; subject words such as "cancer", "rare" or "cohort" stay even when one region uses them more, so that a genuine difference survives.

# %%
result.region_terms.head(25) if ok else None

# %% [markdown]
# **Style terms, found automatically.** A user's mapping may describe one region in project abstracts ("the consortium will develop… work packages") and the other in policy summaries ("the notice requires provinces to strengthen… supervision"). Such words are not in the reviewed list, yet they would split every shared subject by region. A term is set aside as a style term when it is region-marked (|z| ≥ `style_z_min`), common in its region (≥ `style_share_min` of its items), and not topical: the items that use it are no more alike than any two items of that region (`coherence`, the ratio of their mean pairwise cosine, ≤ `style_coherence_max`; subject words score 1.5–3 here). The test `tests/test_styles.py` builds such a two-style mapping and checks that every shared subject stays one topic with both regions, and that it splits when the rule is off.

# %%
result.style_terms if ok else None

# %% [markdown]
# **Cross-cutting instruments.** An item is set aside as an instrument when at least `instrument_share_min` of its TF-IDF weight lies on instrument terms (calls, grants, co-funding, cooperation agreements, dialogues, partnerships…, `params/instruments.yaml`) and none of its subject terms weighs more than `subject_weight_max`; reviewed overrides in the same file add or keep items, each with a reason. These items are compared separately (notebook 3), never as a topic.

# %%
inst = result.instruments
inst[inst["instrument"]].merge(items[["id", "region", "title"]], on="id")[
    ["id", "region", "title", "why"]
] if len(inst) else None

# %% [markdown]
# ## The space: why 12 LSA components and min_df 5
#
# The table below was produced by `benchmarks/topic_settings.py` on this mapping: the whole procedure at k = 8 with 5 seeds and 5 subsamples per setting, and in its first row the method this notebook replaced (k-means in a 60-component LSA, min_df 2, all words). The consensus is what lifts stability; among its settings 12 components with min_df 5 are at or near the top for bootstrap stability and agreement with the experts, and differences under about 0.03 are replicate noise. It is not recomputed here because it takes a few minutes.

# %%
settings_table = paths.ROOT / "benchmarks" / "results" / "topic_settings.csv"
pd.read_csv(
    settings_table
) if settings_table.exists() else "benchmarks/results/topic_settings.csv is missing"

# %% [markdown]
# ## Choosing k
#
# **Seed stability** is the mean pairwise adjusted Rand index (ARI) between runs of the whole procedure under different seeds; **bootstrap stability** the same between refits of the whole procedure (vocabulary, TF-IDF, LSA, consensus) on 80 % subsamples, on the items each pair shares. The **null** is the same procedure on a TF-IDF matrix whose every term column is shuffled across items: what stability the method shows on data without topics.
#
# The rule: keep the k whose seed stability is at least `seed_min`, whose bootstrap stability exceeds the null's by `null_margin` and whose smallest topic holds at least `min_topic_share` of the items; among them take the highest bootstrap stability, and the largest k within `tie` of it. The sweep uses the first `sweep_replicates` seeds and subsamples per k; the chosen k is then measured with all of them.

# %%
result.sweep.round(3) if ok else None

# %%
if ok:
    figures.save(tf.stability_sweep(result.sweep, result.k), "02_k_sweep", out.figures)
    print(result.why)

# %% [markdown]
# ## How stable the topics are
#
# Every figure is set against its null; the excess is what the data's structure adds. Per-topic stability is Hennig's clusterboot: the mean, over the bootstraps, of the best Jaccard overlap between the topic and any bootstrap cluster. Topics under `unstable_below` are marked unstable.

# %%
metrics[metrics["metric"].str.contains("ari|jaccard|unstable|silhouette")] if ok else None

# %%
if ok:
    labels = tf.topic_label(result.names)
    figures.save(
        tf.topic_stability(result.topic_stability, labels, unstable_below),
        "02_topic_stability",
        out.figures,
    )

# %% [markdown]
# ## The topics and their names
#
# Each topic's automatic label is made of its most distinctive phrases (class-based TF-IDF over 1–3-word phrases, region-marked terms removed). A reviewed English and Chinese name from `params/topic_names.yaml` replaces it while the topic's signature (its top terms) still matches the reviewed one with a Jaccard of at least `name_min_jaccard`; a name whose topic has changed goes stale and the automatic label is used instead.

# %%
result.names.copy() if ok else None

# %%
if ok:
    print("Stale reviewed names:", "; ".join(result.stale_names) if result.stale_names else "none")
    subj_terms = result.terms[result.terms["cluster"] >= 0]
    subj_labels = {c: v for c, v in labels.items() if c >= 0}
    figures.save(tf.top_terms(subj_terms, subj_labels), "02_top_terms", out.figures)

# %%
if ok:
    clusters = result.assignments["cluster"].to_numpy()
    figures.save(
        tf.topic_map(result.coords, clusters, items["region"], labels), "02_topic_map", out.figures
    )

# %% [markdown]
# ## Topics and regions
#
# NMI(topic, region) near 0 means knowing an item's topic says little about its region: topics are shared subjects. A topic where either region has under 10 % of the items is listed below with its top phrases, as a candidate subject absent in that region.

# %%
if ok:
    subj = result.assignments.merge(items[["id", "region"]], on="id")
    profile = agreement.region_profile(subj["cluster"].to_numpy(), subj["region"])
    one_region = agreement.one_region_topics(profile[profile["cluster"] >= 0])
    figures.save(tf.sizes_by_region(profile, labels), "02_cluster_sizes", out.figures)
else:
    one_region = pd.DataFrame()

# %%
if not ok:
    one_region_view = None
elif len(one_region):
    one_region_view = one_region.merge(result.names[["cluster", "name_en", "signature"]])
else:
    one_region_view = "No subject topic has under 10 % of either region."
one_region_view

# %% [markdown]
# **Known counterparts.** `params/counterpart_pairs.csv` lists pairs of items that are known to be each other's counterpart (an ISO standard and its GB/T adoption, GDPR and PIPL, two national genome projects…), picked by reading the mapping. A topic model that groups by subject should put both in the same topic.

# %%
agreement.counterpart_check(pairs, result.assignments) if ok else None

# %% [markdown]
# ## Do the topics agree with the experts?
#
# The desks coded each item's primary ICPerMed Action Plan perspective by hand. ARI and NMI are 0 for chance and 1 for identity; homogeneity is high when each topic holds one perspective, completeness when each perspective sits in one topic. Topics and perspectives answer different questions (what an item is about versus what it is for), so partial agreement is expected.

# %%
if ok and agreement.has_expert_coding(items):
    a = result.assignments
    tab = pd.crosstab(a["cluster"].map(labels).to_numpy(), items["perspective_primary"].to_numpy())
    tab = tab[[c for c in tab.columns if c]]
    tab.index.name, tab.columns.name = "topic", "ICPerMed perspective (expert, primary)"
    print("\n".join(agreement.describe_agreement(tab)))
    figures.save(
        figures.contingency(tab, "Topics against expert perspectives"),
        "02_expert_contingency",
        out.figures,
    )
elif ok:
    print("This mapping has no expert perspective coding: the agreement check is skipped.")

# %% [markdown]
# ## What this notebook found

# %%
Markdown("\n".join(findings.topic_findings(result, metrics, one_region)))
