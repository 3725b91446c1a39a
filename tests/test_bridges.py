import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.preprocessing import normalize

from ic2analysis.analysis import bridges


def test_balance_is_symmetric_and_bounded():
    assert bridges.balance(0.2, 0.2) == 1.0
    assert bridges.balance(0.3, 0.0) == 0.0
    assert bridges.balance(0.1, 0.3) == bridges.balance(0.3, 0.1) == pytest.approx(0.5)


def test_top_pairs_match_a_dense_brute_force():
    rng = np.random.default_rng(3)
    a = normalize(sparse.random(60, 40, density=0.15, random_state=1, format="csr"))
    b = normalize(sparse.random(45, 40, density=0.15, random_state=2, format="csr"))
    got = bridges.top_pairs(a, b, per_row=3, min_sim=0.0, block_cells=100)  # many blocks
    dense = (a @ b.T).toarray()
    for i in rng.choice(60, 10, replace=False):
        expected = sorted(dense[i][dense[i] > 0], reverse=True)[:3]
        mine = got[got["i"] == i]["similarity"].tolist()
        assert mine == pytest.approx(np.round(expected, 4))


def test_pairs_respect_the_similarity_floor():
    a = normalize(sparse.csr_matrix(np.array([[1.0, 0, 0], [0, 1.0, 0]])))
    b = normalize(sparse.csr_matrix(np.array([[1.0, 0.1, 0], [0, 0, 1.0]])))
    got = bridges.top_pairs(a, b, per_row=5, min_sim=0.5)
    assert got[["i", "j"]].values.tolist() == [[0, 0]]


def frame():
    rows = []
    for i in range(6):
        rows.append(
            {
                "id": f"E{i}",
                "region": "Europe",
                "label": "data" if i < 4 else "cancer",
                "kind": "standard",
                "year_start": 2019,
                "subtype": "",
                "regions_reported": "Europe",
                "lead_body_canonical": "EC",
                "title": f"e{i}",
                "perspectives": "DATA",
            }
        )
    for i in range(4):
        rows.append(
            {
                "id": f"C{i}",
                "region": "China",
                "label": "data" if i < 3 else "rare",
                "kind": "programme",
                "year_start": 2012 + i * 3,
                "subtype": "cooperation" if i == 0 else "",
                "regions_reported": "China",
                "lead_body_canonical": "NHC",
                "title": f"c{i}",
                "perspectives": "DATA;HEALTH",
            }
        )
    return pd.DataFrame(rows)


W = {"balance": 1, "recency": 1, "complementarity": 1, "cooperation": 1}


def test_opportunities_score_components_and_reasons():
    opp = bridges.opportunities(frame(), W, recent_since=2018, min_items=2).set_index("label")
    data = opp.loc["data"]
    assert data["balance"] == pytest.approx(bridges.balance(4 / 6, 3 / 4), abs=1e-4)
    assert data["complementarity"] == 1.0  # standards only vs programmes only
    assert data["cooperation"] == 0.5
    assert data["recency"] == pytest.approx(np.sqrt(1.0 * 1 / 3), abs=1e-4)
    assert data["score"] == pytest.approx(
        np.mean([data.balance, data.recency, data.complementarity, data.cooperation]), abs=1e-3
    )
    assert opp.loc["cancer", "score"] == 0 and "not ranked" in opp.loc["cancer", "reasons"]
    assert "Europe 4 items, China 3" in data["reasons"]


def test_gaps_name_the_leading_region():
    g = bridges.gaps(frame(), ratio=3.0).set_index("value")
    assert g.loc["cancer", "leading_region"] == "Europe"
    assert g.loc["rare", "leading_region"] == "China"
    assert "data" not in g.index


def test_pairs_inside_topics_carry_both_sides_and_shared_terms():
    f = frame()
    x = normalize(sparse.csr_matrix(np.eye(len(f)) + 0.5))
    terms = np.array([f"t{i}" for i in range(len(f))])
    p = bridges.pairs(f, x, terms, ["data"], per_topic=2, min_sim=0.0)
    assert len(p) == 2 and set(p["europe_id"]).issubset({"E0", "E1", "E2", "E3"})
    assert set(p["china_id"]).issubset({"C0", "C1", "C2"}) and (p["shared_terms"] != "").all()


def test_perspectives_are_exploded():
    long = bridges.perspectives_long(frame())
    assert len(long) == 6 + 4 * 2


def test_topics_whose_items_have_no_year_score_zero_recency():
    f = frame()
    f["year_start"] = pd.array([None] * len(f), dtype="Int64")
    opp = bridges.opportunities(f, W, recent_since=2018, min_items=2).set_index("label")
    assert opp.loc["data", "recency"] == 0.0


def test_the_cross_cutting_instruments_group_is_never_ranked():
    f = frame()
    f["cluster"] = np.where(f["label"] == "data", -1, 1)
    opp = bridges.opportunities(f, W, recent_since=2018, min_items=2).set_index("label")
    assert opp.loc["data", "score"] == 0
    assert "instruments group" in opp.loc["data", "reasons"]
