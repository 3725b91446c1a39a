# %% [markdown]
# # 2. Topics: what the initiatives are about
#
# Each item's English title, description and keywords are turned into TF-IDF vectors (Chinese text is segmented with jieba first), optionally reduced with LSA, and grouped with k-means. The number of clusters is either a parameter or chosen from a sweep, and the clusters are then checked three ways: separation (silhouette), reproducibility across seeds (adjusted Rand index), and agreement with the experts' own ICPerMed coding.

# %% tags=["parameters"]
seed = 20240101
# An integer, or "auto" to sweep k_range and choose by silhouette and stability.
k = "auto"
k_range = [4, 14]
stability_seeds = 10
stability_min = 0.4
sample_size = 4000
ngram_range = [1, 2]
min_df = 2
max_df = 0.4
sublinear_tf = True
domain_stop_words = []
lsa_components = 60
n_init = 10
top_terms = 8
run = ""

# %%
from ic2analysis import paths
from ic2analysis.analysis import topics
from ic2analysis.cleaning import clean
from ic2analysis.reporting import figures

out = paths.run_paths(run)
figures.set_theme()
items = clean.load(out)
params = dict(
    seed=seed,
    k=k,
    k_range=k_range,
    stability_seeds=stability_seeds,
    stability_min=stability_min,
    sample_size=sample_size,
    ngram_range=ngram_range,
    min_df=min_df,
    max_df=max_df,
    sublinear_tf=sublinear_tf,
    domain_stop_words=domain_stop_words,
    lsa_components=lsa_components,
    n_init=n_init,
    top_terms=top_terms,
)
result = topics.analyse(items, params)
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
