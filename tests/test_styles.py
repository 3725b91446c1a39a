"""A mapping whose regions are written in different styles still shows the shared subjects.

Europe's items read like project abstracts ("the consortium will develop ... work
packages"), China's like policy summaries ("the notice requires provinces to strengthen
... supervision"). The subjects are shared, except one that only China has. Style words
must not split a subject into one topic per region (analysis/style.py).
"""

import pandas as pd
import pytest
from styled import SUBJECTS, styled_mapping, subject_vocabulary

from ic2analysis import config
from ic2analysis.analysis import dialect, style, topics, vectorise

PARAMS = config.Topics(
    seed=7, k_range=[4, 9], stability_seeds=4, bootstraps=4, null_runs=2, sweep_replicates=3,
    consensus_runs=30, consensus_n_init=5, lsa_dims_min=2, lsa_components=8,
    ngram_range=[1, 1], min_df=1, max_df=1.0, top_terms=5,
).values()  # fmt: skip


def two_styles() -> pd.DataFrame:
    """Six shared subjects and China's own (traditional medicine), 12 items each."""
    return styled_mapping(n_per=6, china_only=True).rename(columns={"label": "subject"})


def _topics(frame: pd.DataFrame, **overrides) -> pd.DataFrame:
    result = topics.analyse(frame, {**PARAMS, "k": 7, **overrides})
    return result.assignments.merge(frame[["id", "region", "subject"]], on="id")


def test_style_words_are_found_and_subject_words_are_not():
    frame = two_styles()
    s = vectorise.Settings.from_params(PARAMS, dialect.marked_terms(dialect.load_marked()))
    found = style.find(list(topics.documents(frame)), list(frame["region"]), s)
    terms = set(found["term"])
    assert {"deliverables", "researchers", "requires", "strengthen"} <= terms
    assert not terms & subject_vocabulary()  # "herbal" is China's alone, yet a subject: it stays
    assert (found["coherence"] <= PARAMS["style_coherence_max"]).all()


def test_shared_subjects_are_not_split_by_writing_style():
    a = _topics(two_styles())
    for subject in SUBJECTS:  # each shared subject: one topic, holding both regions
        topic = a.loc[a["subject"] == subject, "cluster"]
        assert topic.nunique() == 1, subject
        assert set(a.loc[a["cluster"] == topic.iloc[0], "region"]) == {"Europe", "China"}
    tcm = a.loc[a["subject"] == "tcm", "cluster"]
    assert tcm.nunique() == 1 and (a.loc[a["cluster"] == tcm.iloc[0], "subject"] == "tcm").all()


def test_without_style_terms_the_same_mapping_splits_by_region():
    """The check above can fail: with the style rule off, a shared subject is split."""
    a = _topics(two_styles(), style_terms=False)
    purity = pd.crosstab(a["cluster"], a["region"]).min(axis=1).eq(0)
    assert purity.sum() > 1  # topics of one region only, besides China's own subject


@pytest.mark.parametrize("regions", [("Europe",), ("China",)])
def test_one_region_has_no_style_terms(regions):
    frame = two_styles()
    frame["region"] = regions[0]
    s = vectorise.Settings.from_params(PARAMS)
    assert style.find(list(topics.documents(frame)), list(frame["region"]), s).empty
