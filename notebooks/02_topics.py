# %% [markdown]
# # 2. Topics: what the initiatives are about
#
# Each item's English title, description and keywords are turned into TF-IDF vectors (Chinese text is segmented with jieba first), optionally reduced with LSA, and grouped with k-means. The number of clusters is either a parameter or chosen from a sweep, and the clusters are then checked three ways: separation (silhouette), reproducibility across seeds (adjusted Rand index), and agreement with the experts' own ICPerMed coding.

# %% tags=["parameters"]
# Generated from ic2analysis/config.py (`make params`); edit the model there.
# Run name ('' = the default, committed run).
run = ""
# Seed of every random step.
seed = 20240101
# Number of clusters: an integer >= 2, or auto (sweep k_range, pick by silhouette and stability).
k = "auto"
# [lowest, highest] k tried by auto; the upper bound keeps topics large enough to compare two
# regions.
k_range = [4, 14]
# k-means refits with other seeds for the stability ARI.
stability_seeds = 10
# Lowest mean pairwise ARI for a k to count as stable.
stability_min = 0.4
# Above this many items, silhouette and stability use a sample.
sample_size = 4000
# [shortest, longest] word n-grams.
ngram_range = [1, 2]
# Drop terms in fewer documents (an integer) or a smaller share.
min_df = 2
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
# TruncatedSVD components before k-means (0 = raw TF-IDF).
lsa_components = 60
# k-means initialisations per fit.
n_init = 10
# Terms listed per cluster.
top_terms = 8

# %%
from ic2analysis import config, paths
from ic2analysis.analysis import topics
from ic2analysis.cleaning import clean
from ic2analysis.reporting import figures

p = config.Topics.from_cell(globals())
out = paths.run_paths(p.run)
figures.set_theme()
items = clean.load(out)
p.check_against(len(items))
result = topics.analyse(items, p.values())
topics.write(result, items, out)
print(result.why)

# %% [markdown]
# ## Choosing k
#
# The silhouette (cosine, −1 to 1) measures how much closer items are to their own cluster than to the next; on short policy texts values around 0.1 are usual. Stability is the mean adjusted Rand index between k-means fits with different seeds (1 = the same partition every time). The rule: the best silhouette among the values of k whose stability reaches `stability_min`.

# %%
result.sweep.round(3)

# %%
figures.save(figures.k_sweep(result.sweep, result.k), "02_k_sweep", out.figures)

# %% [markdown]
# ## The clusters
#
# Each cluster is labelled with its heaviest centroid terms. The map below projects the TF-IDF vectors to two SVD components: clusters that overlap there may still separate in the full space.

# %%
figures.save(
    figures.top_terms(result.model.terms, result.model.labels), "02_top_terms", out.figures
)

# %%
figures.save(
    figures.topic_map(
        result.coords, result.model.assignments, items["region"], result.model.labels
    ),
    "02_topic_map",
    out.figures,
)

# %%
figures.save(
    figures.cluster_sizes(result.model.assignments, items["region"]),
    "02_cluster_sizes",
    out.figures,
)

# %% [markdown]
# The most typical members of each cluster (closest to its centroid):

# %%
topics.typical_members(items, result.model, n=2)

# %% [markdown]
# ## Do the clusters agree with the experts?
#
# The desks coded each item's primary ICPerMed Action Plan perspective by hand. The metrics compare that coding with the clusters: ARI and NMI are 0 for chance and 1 for identity; homogeneity is high when each cluster holds one perspective, completeness when each perspective sits in one cluster. Topic clusters and perspectives answer different questions (what an item is about versus what it is for), so partial agreement is expected; the heatmap shows where they meet.

# %%
result.metrics

# %%
if topics.has_expert_coding(items):
    tab = topics.expert_contingency(items, result)
    print("\n".join(topics.describe_agreement(tab)))
    figures.save(
        figures.contingency(tab, "Clusters against expert perspectives"),
        "02_expert_contingency",
        out.figures,
    )
else:
    print("This mapping has no expert perspective coding: the agreement check is skipped.")
