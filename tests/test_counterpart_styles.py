"""Counterparts across writing styles: Europe written as project abstracts, China as policy
summaries, on the same five subjects. The search must still pair items by subject, in the
exact search (words, topics, characters) and in the inverted file (words, topics)."""

import numpy as np
import pandas as pd
import pytest

from ic2analysis.analysis import counterparts
from ic2analysis.analysis import vectorise as vz

SUBJECTS = {
    "genome": "genome sequencing variants reference population cohort",
    "biobank": "biobank samples storage consent specimens freezer",
    "rare": "rare disease registry orphan diagnosis patients",
    "cancer": "cancer screening tumour oncology early detection",
    "data": "data sharing interoperability records access security",
}
STYLES = {
    "Europe": "this project aims develop novel approaches we will build consortium partners "
    "work package deliver dissemination",
    "China": "the notice requires provincial health commissions strengthen promote implement "
    "standardise supervise management regulations",
}


def styled_mapping(n_per: int = 6) -> pd.DataFrame:
    """Items of three subject words (of six) drowned in eight style words of their region."""
    rng = np.random.default_rng(3)
    rows = []
    for subject, words in SUBJECTS.items():
        for region, style in STYLES.items():
            for i in range(n_per):
                picks = list(rng.permutation(words.split())[:3])
                picks += list(rng.permutation(style.split())[:8])
                rows.append({"id": f"{region[:2]}-{subject}-{i}", "region": region,
                             "label": subject, "title": " ".join(rng.permutation(picks)),
                             "description": "", "keywords": ""})  # fmt: skip
    return pd.DataFrame(rows)


@pytest.mark.parametrize("inverted_file", [False, True])
def test_counterparts_pair_subjects_across_writing_styles(monkeypatch, inverted_file):
    items = styled_mapping()
    texts = list(vz.documents(items))
    settings = vz.Settings(ngram_range=(1, 1), min_df=1, max_df=0.4, lsa_components=6)
    emb = vz.embed(texts, settings)
    if inverted_file:
        monkeypatch.setattr(counterparts, "EXACT_CELLS", 0)
    got = counterparts.by_item(items, emb.tfidf, emb.space, emb.terms, 3, 4, texts=texts)
    assert set(got["id"]) == set(items["id"])
    first = got[got["rank"] == 1]
    assert (first["topic"] == first["counterpart_topic"]).mean() >= 0.9
    # the shared terms are subject words, never a region's style words
    style = {w for s in STYLES.values() for w in s.split()}
    shared = {w.strip() for t in first["shared_terms"] for w in t.split(",") if w.strip()}
    assert shared and not shared & style
