"""topic_metrics.csv: every figure of notebook 02 with what it means."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import normalized_mutual_info_score

from . import agreement as ag

MEANING = {
    "k": "number of subject topics (the instruments group is not counted)",
    "n_items": "items in the mapping",
    "n_instruments": "items in the cross-cutting instruments group",
    "n_subject_items": "items clustered into subject topics",
    "n_terms": "vocabulary after stop words, region-marked terms and df limits",
    "seed_ari": "seed stability: mean pairwise ARI of the whole procedure under different "
    "seeds (1 = identical partitions)",
    "seed_ari_sd": "standard deviation of those pairwise ARIs",
    "null_seed_ari": "seed stability of the null (every term column permuted across items)",
    "seed_ari_excess": "seed stability minus the null's",
    "bootstrap_ari": "bootstrap stability: mean pairwise ARI, on the items they share, of the "
    "whole procedure refitted on 80 % subsamples",
    "bootstrap_ari_sd": "standard deviation of those pairwise ARIs",
    "null_bootstrap_ari": "bootstrap stability of the null",
    "null_bootstrap_ari_sd": "standard deviation of the null's pairwise ARIs",
    "bootstrap_ari_excess": "bootstrap stability minus the null's",
    "stability_ari": "seed stability again (the name the index page reads)",
    "silhouette": "cosine silhouette in the LSA space: -1..1, higher = better separated",
    "min_topic_jaccard": "lowest per-topic stability (clusterboot: mean best-match Jaccard "
    "across bootstraps)",
    "unstable_topics": "topics whose clusterboot Jaccard is under unstable_below",
    "nmi_topic_region": "NMI between subject topic and region: 0 = a topic says nothing "
    "about the region",
    "topics_under_10pct_region": "subject topics in which either region holds under 10 % "
    "of the items",
    "counterpart_pairs": "known Europe-China counterpart pairs checked",
    "counterpart_same_topic": "share of those pairs whose two items share a topic",
    "stale_names": "reviewed topic names whose signature no longer matches a topic",
}
STABILITY = (
    "seed_ari", "seed_ari_sd", "null_seed_ari", "bootstrap_ari", "bootstrap_ari_sd",
    "null_bootstrap_ari", "null_bootstrap_ari_sd", "silhouette",
)  # fmt: skip


def _values(result, items: pd.DataFrame, pairs: pd.DataFrame) -> dict[str, float]:
    """The figures of a fitted result, keyed as in MEANING."""
    f = result.final
    v = {m: f[m] for m in STABILITY}
    v["seed_ari_excess"] = f["seed_ari"] - f["null_seed_ari"]
    v["bootstrap_ari_excess"] = f["bootstrap_ari"] - f["null_bootstrap_ari"]
    v["stability_ari"] = f["seed_ari"]
    v["n_terms"] = result.n_terms
    v["min_topic_jaccard"] = float(result.topic_stability["jaccard"].min())
    v["unstable_topics"] = int((~result.topic_stability["stable"]).sum())
    a = result.assignments.merge(items[["id", "region"]], on="id")
    s = a[a["cluster"] >= 0]
    v["nmi_topic_region"] = normalized_mutual_info_score(s["region"], s["cluster"])
    prof = ag.region_profile(s["cluster"].to_numpy(), s["region"])
    v["topics_under_10pct_region"] = len(ag.one_region_topics(prof))
    check = ag.counterpart_check(pairs, result.assignments)
    v["counterpart_pairs"] = len(check)
    v["counterpart_same_topic"] = float(check["same_topic"].mean()) if len(check) else np.nan
    v["stale_names"] = len(result.stale_names)
    return v


def table(result, items: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """The metrics of a topic result (sizes only when topics were skipped), with meanings."""
    inst = result.instruments
    n_inst = int(inst["instrument"].sum()) if len(inst) else 0
    v = {"k": result.k, "n_items": len(items), "n_instruments": n_inst}
    v["n_subject_items"] = len(items) - n_inst
    if not result.skipped:
        v |= _values(result, items, pairs)
    rows = [(m, round(float(x), 4), MEANING[m]) for m, x in v.items()]
    out = pd.DataFrame(rows, columns=["metric", "value", "meaning"])
    if not result.skipped and ag.has_expert_coding(items):
        clusters = result.assignments["cluster"].to_numpy()
        out = pd.concat([out, ag.agreement(clusters, items["perspective_primary"])])
    return out.reset_index(drop=True)
