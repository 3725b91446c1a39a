import numpy as np
import pandas as pd
import pytest

from ic2analysis.analysis import topics

PARAMS = dict(
    seed=7,
    k="auto",
    k_range=[2, 4],
    stability_seeds=10,
    stability_min=0.5,
    sample_size=4000,
    ngram_range=[1, 1],
    min_df=1,
    max_df=1.0,
    sublinear_tf=True,
    domain_stop_words=["medicine"],
    lsa_components=0,
    n_init=5,
    top_terms=5,
)

THEMES = {
    "genome": "genome sequencing variants reference population genomes sequencing",
    "data": "data sharing interoperability records federated access data",
    "cancer": "cancer screening tumour oncology prevention cancer",
}


def mapping(n_per=8, zh=False):
    rows = []
    rng = np.random.default_rng(0)
    zh_themes = {
        "genome": "基因组 测序 变异 参考 人群",
        "data": "数据 共享 互操作 记录 访问",
        "cancer": "癌症 筛查 肿瘤 预防 早诊",
    }
    for theme, words in (zh_themes if zh else THEMES).items():
        for i in range(n_per):
            w = words.split()
            picks = " ".join(rng.permutation(w)[:4])
            rows.append(
                {
                    "id": f"{theme}-{i}",
                    "region": "Europe" if i % 2 else "China",
                    "title": picks if zh else f"{theme} item {i}",
                    "description": picks if not zh else "".join(picks.split()),
                    "keywords": "",
                    "perspective_primary": theme,
                }
            )
    return pd.DataFrame(rows)


def test_tokenize_segments_chinese_and_keeps_latin():
    toks = topics.tokenize("精准医学 Precision medicine 的 基因组测序")
    assert "precision" in toks and "medicine" in toks
    assert "精准" in toks and "医学" in toks and "的" not in toks
    assert "基因组" in toks or "基因" in toks


@pytest.mark.parametrize("zh", [False, True])
def test_recovers_planted_topics_in_english_and_chinese(zh):
    frame = mapping(zh=zh)
    result = topics.analyse(frame, PARAMS)
    assert result.k == 3
    agree = dict(zip(result.metrics["metric"], result.metrics["value"], strict=False))
    assert agree["adjusted_rand"] == pytest.approx(1.0)
    assert agree["v_measure"] == pytest.approx(1.0)


def test_results_are_identical_across_runs():
    frame = mapping()
    a, b = topics.analyse(frame, PARAMS), topics.analyse(frame, PARAMS)
    pd.testing.assert_frame_equal(a.model.assignments, b.model.assignments)
    pd.testing.assert_frame_equal(a.sweep, b.sweep)


def test_fixed_k_is_respected_and_clusters_are_numbered_by_size():
    frame = mapping()
    result = topics.analyse(frame, {**PARAMS, "k": 2})
    sizes = result.model.assignments["cluster"].value_counts().sort_index()
    assert result.k == 2 and sizes.iloc[0] >= sizes.iloc[1]
    assert "was set as a parameter" in result.why


def test_domain_stop_words_are_removed():
    result = topics.analyse(mapping(), {**PARAMS, "domain_stop_words": ["cancer", "data"]})
    assert not {"cancer", "data"} & set(result.model.terms["term"])


def test_choose_k_prefers_stable_then_separated():
    t = pd.DataFrame(
        {"k": [3, 4, 5], "silhouette": [0.2, 0.5, 0.4], "stability_ari": [0.9, 0.3, 0.8]}
    )
    assert topics.choose_k(t, 0.6)[0] == 5  # k=4 separates best but is unstable
    assert topics.choose_k(t, 0.95)[0] == 3  # nothing stable enough: the most stable
    edge = pd.DataFrame(
        {"k": [3, 4, 5], "silhouette": [0.1, 0.2, 0.3], "stability_ari": [0.9, 0.9, 0.9]}
    )
    k, why = topics.choose_k(edge, 0.5)
    assert k == 5 and "top of k_range" in why


def test_agreement_skips_items_without_codes():
    m = topics.agreement(np.array([0, 0, 1, 1]), pd.Series(["A", "A", "B", ""]))
    assert dict(zip(m["metric"], m["value"], strict=True))["homogeneity"] == 1.0
    assert topics.agreement(np.array([0, 1]), pd.Series(["", ""])).empty


def test_typical_members_are_closest_to_centroid():
    frame = mapping()
    result = topics.analyse(frame, {**PARAMS, "k": 3})
    typ = topics.typical_members(frame, result.model, n=1)
    assert len(typ) == 3 and (typ["rank_in_cluster"] == 1).all()
    a = result.model.assignments
    for c, grp in a.groupby("cluster"):
        assert typ[typ["cluster"] == c]["distance"].iloc[0] == grp["distance"].min()


def test_minimal_mapping_has_no_expert_coding():
    frame = mapping().assign(perspective_primary="")
    assert not topics.has_expert_coding(frame)
    result = topics.analyse(frame, {**PARAMS, "k": 3})
    assert "adjusted_rand" not in set(result.metrics["metric"])
