"""The counterpart map of bodies (issue #20): the method on a small case, and the check set
of known functional pairs against the committed map."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ic2analysis import config, paths
from ic2analysis.analysis import bodies, body_topics
from ic2analysis.cleaning import bodies_register as br

FIXTURE = paths.PARAMS / "known_body_pairs.csv"


def _items(rows):
    return pd.DataFrame(rows, columns=["id", "region", "kind", "lead_body_ids"])


def _clusters(topics):
    return pd.DataFrame({"id": list(topics), "name_en": list(topics.values())})


def test_same_function_and_shared_topic_make_a_pair():
    items = _items(
        [
            ("E1", "Europe", "policy", "B-EU-EMA"),
            ("E2", "Europe", "standard", "B-EU-CEN"),
            ("C1", "China", "policy", "B-CN-CFDA"),  # counts for its successor, the NMPA
            ("C2", "China", "standard", "B-CN-SAC"),
            ("C3", "China", "policy", "B-CN-MOST"),
        ]
    )
    clusters = _clusters({"E1": "IVD", "E2": "IVD", "C1": "IVD", "C2": "IVD", "C3": "IVD"})
    pairs = bodies.counterparts(items, clusters, br.register())
    got = set(zip(pairs["europe_id"], pairs["china_id"], strict=True))
    assert got == {("B-EU-EMA", "B-CN-NMPA"), ("B-EU-CEN", "B-CN-SAC")}
    row = pairs[pairs["europe_id"] == "B-EU-EMA"].iloc[0]
    assert row["reason"] == "regulator ↔ regulator on IVD; both lead policies"
    assert row["score"] == pytest.approx(0.5 * (0.6 + 0.2))  # one item each: support 1/2


def test_no_common_topic_no_pair_and_joint_items_count():
    items = _items(
        [
            ("E1", "Europe", "policy", "B-EU-EMA"),
            ("C1", "China", "policy", "B-CN-NMPA"),
            ("J1", "China", "initiative", "B-CN-MOST;B-EU-EC"),
        ]
    )
    clusters = _clusters({"E1": "IVD", "C1": "Data", "J1": "Frameworks"})
    pairs = bodies.counterparts(items, clusters, br.register())
    assert list(zip(pairs["europe_id"], pairs["china_id"], strict=True)) == [
        ("B-EU-EC", "B-CN-MOST")
    ]
    assert pairs["joint_items"].iloc[0] == 1 and "together" in pairs["reason"].iloc[0]


@pytest.fixture(scope="module")
def committed():
    return pd.read_csv(paths.REPORTS / "tables" / "body_counterparts.csv", dtype={"score": float})


def test_check_set_of_known_pairs(committed):
    known = pd.read_csv(FIXTURE)
    assert (known["expected"] == "found").sum() >= 10
    result = bodies.check(committed, known, n=3)
    found = result[result["expected"] == "found"]
    assert found["china_in_europe_top"].all(), found[~found["china_in_europe_top"]]
    # the misses are recorded as such: a change that finds them should update the fixture
    missed = result[result["expected"] == "miss"]
    assert not missed["china_in_europe_top"].any()


def test_every_listed_pair_has_a_reason_and_one_function(committed):
    assert (committed["reason"].str.contains(" ↔ ")).all()
    assert committed["score"].between(0, 1).all()
    assert committed["score"].is_monotonic_decreasing


def test_border_items_are_split_by_the_bootstraps():
    items = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d", "e"],
            "cluster": [0, 0, 1, 1, 1],
            "name_en": ["T0", "T0", "T1", "T1", "T1"],
        }
    )
    boots = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d", "a", "b", "c", "d"],
            "bootstrap": [1, 1, 1, 1, 2, 2, 2, 2],
            "topic": [0, 0, 1, 1, 3, 4, 4, 4],  # in bootstrap 2, b falls with c and d
        }
    )
    m = body_topics.memberships(items, boots)
    assert m.loc["a"].tolist() == [1.0, 0.0]
    assert m.loc["b"].tolist() == [0.5, 0.5]
    assert m.loc["e"].tolist() == [0.0, 1.0]  # no bootstrap saw it: its own topic


def test_soft_overlap_gives_related_topics_partial_credit():
    a, b = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    assert body_topics.soft_cosine(a, b, np.eye(2)) == 0
    assert body_topics.soft_cosine(a, b, np.array([[1, 0.5], [0.5, 1]])) == pytest.approx(0.5)
    assert body_topics.soft_cosine(a, a, np.array([[1, 0.5], [0.5, 1]])) == pytest.approx(1)


def test_an_item_led_with_an_own_agency_counts_for_the_agency_and_kin_do_not_compete():
    items = _items(
        [
            ("E1", "Europe", "policy", "B-EU-EMA"),
            ("C1", "China", "policy", "B-CN-NMPA"),
            ("C2", "China", "standard", "B-CN-SAMR;B-CN-SAC"),  # SAC, under SAMR, acts
            ("C3", "China", "policy", "B-CN-SAMR"),
            ("C4", "China", "policy", "B-CN-SAMR"),
        ]
    )
    reg = br.register()
    assert bodies.item_bodies(items, reg).query("id == 'C2'")["body_id"].tolist() == ["B-CN-SAC"]
    clusters = _clusters({"E1": "IVD", "C1": "IVD", "C2": "IVD", "C3": "IVD", "C4": "Data"})
    pairs = bodies.counterparts(items, clusters, reg)
    mine = pairs[pairs["europe_id"] == "B-EU-EMA"]
    # SAMR (NMPA's parent) scores higher on support but lower on topics; only one may stay
    assert len(mine) == 1
    kept = mine.iloc[0]
    other = "B-CN-SAMR" if kept["china_id"] == "B-CN-NMPA" else "B-CN-NMPA"
    assert reg.label(other) in kept["reason"] and "kin do not compete" in kept["reason"]


def test_related_functions_pair_at_a_lower_factor_and_unrelated_never():
    items = _items(
        [
            ("E1", "Europe", "policy", "B-EU-EC"),
            ("E2", "Europe", "policy", "B-EU-EMA"),
            ("C1", "China", "policy", "B-CN-MOST"),
            ("C2", "China", "standard", "B-CN-SAC"),
        ]
    )
    clusters = _clusters({"E1": "IVD", "E2": "IVD", "C1": "IVD", "C2": "IVD"})
    params = config.Bridges(body_related_function=0.5).values()
    pairs = bodies.counterparts(items, clusters, br.register(), params)
    assert list(zip(pairs["europe_id"], pairs["china_id"], strict=True)) == [
        ("B-EU-EC", "B-CN-MOST")
    ]  # a regulator and a standards body never pair
    row = pairs.iloc[0]
    assert row["compatibility"] == 0.5 and "(related functions)" in row["reason"]
    assert row["score"] == pytest.approx(0.5 * 0.5 * (0.6 + 0.2))


def test_score_weights_come_from_config():
    items = _items(
        [("E1", "Europe", "policy", "B-EU-EMA"), ("C1", "China", "standard", "B-CN-NMPA")]
    )
    clusters = _clusters({"E1": "IVD", "C1": "IVD"})
    default = bodies.counterparts(items, clusters, br.register())
    topic_only = bodies.counterparts(
        items, clusters, br.register(), config.Bridges(body_weights={"topic": 2.0}).values()
    )
    assert default["score"].iloc[0] == pytest.approx(0.5 * 0.6)  # kinds differ: no kind overlap
    assert topic_only["score"].iloc[0] == pytest.approx(0.5)  # normalised: topic weight 1


def test_top_opportunities_list_their_counterpart_bodies(committed):
    """Each top opportunity names counterpart pairs of the map that share its topic, each
    body at most once."""
    opp = pd.read_csv(paths.REPORTS / "tables" / "opportunities.csv", keep_default_na=False)
    top = opp[opp["candidate"].astype(str) == "True"].head(5)
    assert (top["counterpart_bodies"] != "").all()
    reg = br.register()
    short = {b: reg.frame.at[b, "acronym"] or reg.frame.at[b, "name_en"] for b in reg.frame.index}
    shared = committed["shared_topics"].fillna("").str.split("; ")
    for r in top.itertuples():
        on = committed[shared.apply(lambda t, label=r.label: label in t)]
        ids = zip(on["europe_id"], on["china_id"], strict=True)
        known = {f"{short[e]} ↔ {short[c]}" for e, c in ids}
        listed = r.counterpart_bodies.split("; ")
        assert set(listed) <= known, (r.label, set(listed) - known)
        names = [n for pair in listed for n in pair.split(" ↔ ")]
        assert len(names) == len(set(names))
