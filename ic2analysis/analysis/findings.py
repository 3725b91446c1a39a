"""'What this notebook found': the closing sentences of notebook 02, written from the results."""

from __future__ import annotations

import pandas as pd


def _m(metrics: pd.DataFrame) -> dict[str, float]:
    return dict(zip(metrics["metric"], metrics["value"], strict=True))


def topic_findings(result, metrics: pd.DataFrame, one_region: pd.DataFrame) -> list[str]:
    """Bullet points (Markdown) on what the topics step found, every number from the data."""
    if result.skipped:
        return [f"No topics were made: {result.skipped}."]
    m = _m(metrics)
    out = [
        f"The mapping's {int(m['n_items'])} items hold {int(m['n_instruments'])} cross-cutting "
        f"instruments (funding and cooperation instruments without a subject of their own) and "
        f"{int(m['n_subject_items'])} subject items, grouped into **{result.k} topics**. "
        f"Why this k: {result.why}.",
        f"Seed stability is {m['seed_ari']:.2f} ± {m['seed_ari_sd']:.2f}, but the null "
        f"reaches {m['null_seed_ari']:.2f}: on fixed data the procedure is nearly "
        f"deterministic, so seed stability alone proves little. Bootstrap stability is "
        f"{m['bootstrap_ari']:.2f} ± "
        f"{m['bootstrap_ari_sd']:.2f} against {m['null_bootstrap_ari']:.2f} for the null, an "
        f"excess of {m['bootstrap_ari_excess']:.2f}. {int(m['unstable_topics'])} topic(s) are "
        f"unstable (lowest per-topic Jaccard {m['min_topic_jaccard']:.2f}).",
        f"Topics follow subjects more than regions: NMI(topic, region) = "
        f"{m['nmi_topic_region']:.3f}; {int(m['topics_under_10pct_region'])} topic(s) have "
        f"under 10 % of either region"
        + (
            " (" + "; ".join(f"topic {int(r.cluster)}: Europe {r.n_europe}, China {r.n_china}"
                             for r in one_region.itertuples()) + ")"
            if len(one_region) else ""
        )
        + ".",
    ]  # fmt: skip
    if m.get("counterpart_pairs", 0):
        out.append(
            f"Of {int(m['counterpart_pairs'])} known Europe–China counterpart pairs, "
            f"{m['counterpart_same_topic']:.0%} fall in the same topic."
        )
    if "normalised_mutual_info" in m:
        out.append(
            f"Against the experts' ICPerMed perspectives: NMI {m['normalised_mutual_info']:.3f}, "
            f"ARI {m['adjusted_rand']:.3f}, homogeneity {m['homogeneity']:.3f}, completeness "
            f"{m['completeness']:.3f}."
        )
    named = int((result.names["name_source"].str.startswith("reviewed")).sum())
    out.append(
        f"{named} of {len(result.names)} groups carry a reviewed bilingual name; "
        + (
            "stale reviewed names: " + "; ".join(result.stale_names) + "."
            if result.stale_names
            else "no reviewed name went stale."
        )
    )
    return ["- " + s for s in out]
