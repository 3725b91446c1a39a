"""The counterpart map of bodies (issue #20): the method on a small case, and the check set
of known functional pairs against the committed map."""

from __future__ import annotations

import pandas as pd
import pytest

from ic2analysis import paths
from ic2analysis.analysis import bodies
from ic2analysis.cleaning import bodies_register as br

FIXTURE = paths.ROOT / "tests" / "fixtures" / "body_counterparts.csv"


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
