"""Topics: planted subjects are found, dialects and instruments do not make topics, names hold."""

import numpy as np
import pandas as pd
import pytest

from ic2analysis import config
from ic2analysis.analysis import consensus, dialect, instruments, kchoice, naming, topics
from ic2analysis.analysis import stability as st
from ic2analysis.analysis import vectorise as vz
from ic2analysis.analysis.store import write  # noqa: F401  (import check)

# Small, fast settings for planted data, validated by the one definition of the parameters.
PARAMS = config.Topics(
    seed=7, k_range=[2, 5], stability_seeds=4, bootstraps=4, null_runs=2, sweep_replicates=3,
    consensus_runs=30, consensus_n_init=5, lsa_dims_min=2, lsa_components=6,
    ngram_range=[1, 1], min_df=1, max_df=1.0, domain_stop_words=["medicine"], top_terms=5,
).values()  # fmt: skip

THEMES = {
    "genome": "genome sequencing variants reference population genomes assembly",
    "data": "records interoperability federated access sharing warehouse",
    "cancer": "cancer screening tumour oncology prevention chemotherapy",
}
ZH = {
    "genome": "基因组 测序 变异 参考 人群",
    "data": "数据 共享 互操作 记录 访问",
    "cancer": "癌症 筛查 肿瘤 预防 早诊",
}


def mapping(themes=THEMES, n_per=10, zh=False, regions=("Europe", "China")):
    """Items that each draw four words of one planted theme, alternating regions."""
    rng = np.random.default_rng(0)
    rows = []
    for theme, words in themes.items():
        for i in range(n_per):
            picks = " ".join(rng.permutation(words.split())[:4])
            rows.append(
                {
                    "id": f"{theme}-{i}",
                    "region": regions[i % len(regions)],
                    "title": picks if zh else f"{theme} item {i}",
                    "description": "".join(picks.split()) if zh else picks,
                    "keywords": "",
                    "perspective_primary": theme,
                }
            )
    return pd.DataFrame(rows)


def planted(result, frame):
    a = result.assignments.merge(frame[["id", "perspective_primary"]], on="id")
    return pd.crosstab(a["cluster"], a["perspective_primary"])


def test_tokenize_segments_chinese_and_keeps_latin():
    toks = vz.tokenize("精准医学 Precision medicine 的 基因组测序")
    assert "precision" in toks and "medicine" in toks
    assert "精准" in toks and "医学" in toks and "的" not in toks


@pytest.mark.parametrize("zh", [False, True])
def test_recovers_planted_topics_in_english_and_chinese(zh):
    frame = mapping(themes=ZH if zh else THEMES, zh=zh)
    result = topics.analyse(frame, PARAMS)
    assert result.k == 3, result.why
    tab = planted(result, frame)
    assert (tab.gt(0).sum(axis=1) == 1).all()  # every topic holds one planted theme
    assert result.final["bootstrap_ari"] > result.final["null_bootstrap_ari"] + 0.3


def test_results_are_identical_across_runs():
    frame = mapping()
    a, b = topics.analyse(frame, PARAMS), topics.analyse(frame, PARAMS)
    pd.testing.assert_frame_equal(a.assignments, b.assignments)
    pd.testing.assert_frame_equal(a.sweep, b.sweep)


def test_a_subject_of_one_region_only_survives():
    themes = {**THEMES, "prenatal": "prenatal fetal trisomy amniocentesis newborn aneuploidy"}
    frame = mapping(themes=themes)
    frame.loc[frame["id"].str.startswith("prenatal"), "region"] = "China"
    result = topics.analyse(frame, {**PARAMS, "k": 4})
    a = result.assignments.merge(frame[["id", "region"]], on="id")
    pre = a[a["id"].str.startswith("prenatal")]
    assert pre["cluster"].nunique() == 1
    topic = a[a["cluster"] == pre["cluster"].iloc[0]]
    assert len(topic) == len(pre) and (topic["region"] == "China").all()


def test_instrument_items_form_the_cross_cutting_group_not_a_topic():
    frame = mapping()
    extra = [
        {"id": f"inst-{i}", "region": "Europe" if i % 2 else "China",
         "title": "cooperation agreement", "description": "joint call co-funding dialogue "
         "partnership funding roadmap grant", "keywords": "", "perspective_primary": ""}
        for i in range(4)
    ]  # fmt: skip
    frame = pd.concat([frame, pd.DataFrame(extra)], ignore_index=True)
    result = topics.analyse(frame, PARAMS)
    a = result.assignments.set_index("id")
    assert (a.loc[[f"inst-{i}" for i in range(4)], "cluster"] == instruments.GROUP).all()
    assert (a.drop(index=[f"inst-{i}" for i in range(4)])["cluster"] >= 0).all()
    assert result.k == 3


def test_fightin_words_marks_a_region_s_own_programme_word():
    rows = [("Europe", "horizon genome cancer data"), ("China", "five-year genome cancer data")]
    frame = pd.DataFrame([{"region": r, "text": t} for r, t in rows * 60])
    scores = dialect.log_odds(list(frame["text"]), list(frame["region"]), vz.Settings(min_df=1))
    z = dict(zip(scores["term"], scores["z"], strict=True))
    assert z["horizon"] > 2 and z["five-year"] < -2 and abs(z["genome"]) < 0.5


def test_region_marked_terms_leave_the_vocabulary_phrases_too():
    s = vz.Settings(min_df=1, max_df=1.0, region_marked_terms=("horizon", "member states"))
    _, terms = vz.tfidf(["horizon member states genome", "member states cancer genome"], s)
    assert "horizon" not in terms and "member states" not in terms and "genome" in terms


def test_reviewed_names_apply_only_while_the_signature_matches():
    sigs = {0: ["biobank", "quality", "iso", "samples"], 1: ["cancer", "tumour", "screening"]}
    auto = {0: "biobank · quality", 1: "cancer · tumour"}
    reviewed = [
        {"signature": ["biobank", "quality", "iso", "storage"], "en": "Biobank quality",
         "zh": "生物样本库质量"},
        {"signature": ["genome", "sequencing"], "en": "Genomes", "zh": "基因组"},
    ]  # fmt: skip
    names, stale = naming.apply_names(sigs, auto, reviewed, 0.5)
    assert names.loc[0, "name_en"] == "Biobank quality" and names.loc[0, "name_zh"]
    assert names.loc[1, "name_en"] == "cancer · tumour" and names.loc[1, "name_zh"] == ""
    assert stale == ["Genomes"]


def test_consensus_recovers_separated_groups_and_is_deterministic():
    rng = np.random.default_rng(1)
    centres = np.eye(6)[:3] * 5
    x = np.vstack([c + rng.normal(scale=0.3, size=(40, 6)) for c in centres])
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    bag = consensus.Bagging(n_runs=20, dims=(3, 6))
    a, b = consensus.fit(x, 3, 0, bag), consensus.fit(x, 3, 0, bag)
    assert np.array_equal(a.labels, b.labels)
    truth = np.repeat([0, 1, 2], 40)
    assert pd.crosstab(a.labels, truth).gt(0).sum(axis=1).eq(1).all()


def test_clusterboot_jaccard_is_one_for_identical_bootstraps():
    ref = np.array([0, 0, 1, 1, 2, 2])
    samples = [np.array([0, 1, 2, 3, 4]), np.array([1, 2, 3, 4, 5])]
    parts = [ref[s] for s in samples]
    assert np.allclose(st.topic_jaccard(ref, samples, parts), 1.0)
    shuffled = [np.array([0, 1, 0, 1, 0]), np.array([1, 0, 1, 0, 1])]
    assert st.topic_jaccard(ref, samples, shuffled).max() < 1.0


def _sweep(boot, null=(0.3, 0.3, 0.3), seed=(0.9, 0.9, 0.9)):
    return pd.DataFrame(
        {"k": [6, 7, 8], "seed_ari": seed, "bootstrap_ari": boot, "null_bootstrap_ari": null,
         "smallest_topic_share": [0.1, 0.1, 0.1]}
    )  # fmt: skip


def test_k_rule_takes_the_largest_k_within_the_tie_and_says_bounds():
    k, why = kchoice.choose_k(_sweep([0.80, 0.79, 0.70]), kchoice.Rule(tie=0.02))
    assert k == 7 and "largest k within" in why
    k, why = kchoice.choose_k(_sweep([0.70, 0.75, 0.80]), kchoice.Rule())
    assert k == 8 and "upper bound of k_range" in why
    k, why = kchoice.choose_k(_sweep([0.8, 0.8, 0.8], seed=(0.9, 0.5, 0.5)), kchoice.Rule())
    assert k == 6 and "lower bound" in why
    k, why = kchoice.choose_k(_sweep([0.4, 0.45, 0.4]), kchoice.Rule())
    assert k == 7 and why.startswith("no k met the rule")


@pytest.mark.parametrize("n", [1, 2, 4])
def test_too_small_mappings_skip_topics_and_say_why(n):
    frame = mapping(n_per=2).head(n)
    result = topics.analyse(frame, {**PARAMS, "k_range": [6, 12]})
    assert result.skipped and f"{n} item(s)" in result.skipped and result.k == 0


def test_k_range_is_clipped_to_what_the_items_support():
    frame = mapping(n_per=7)  # 21 items: at most 10 topics of two items
    result = topics.analyse(frame, {**PARAMS, "k_range": [3, 14], "k": 3})
    assert topics.k_values(21, [3, 14])[0] == list(range(3, 11))
    assert any("clipped to [3, 10]" in n for n in result.notes)
    assert result.assignments["cluster"].nunique() == 3


def test_a_region_marked_phrase_is_never_an_item_s_subject_term():
    s = vz.Settings(min_df=1, max_df=1.0, region_marked_terms=("data space",))
    texts = ["data space data space secondary use", "data space cancer", "genome"]
    table = instruments.scores(texts, s, instruments.Lexicon(frozenset(), {}, {}))
    assert "data space" not in set(table["subject_term"])


def test_a_lowered_min_df_is_said_in_a_note():
    frame = mapping(n_per=10)  # 30 items: min_df at most 30 // 50 -> 1
    result = topics.analyse(frame, {**PARAMS, "min_df": 3})
    assert any(getattr(n, "key", "") == "min_df_lowered" for n in result.notes)
    assert any("min_df 3 lowered to 1" in n for n in result.notes)
