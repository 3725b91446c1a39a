"""Counterparts across writing styles: Europe written as project abstracts, China as policy
summaries, on the same five subjects. The search must still pair items by subject, in the
exact search (words, topics, characters) and in the inverted file (words, topics)."""

import numpy as np
import pandas as pd
import pytest
from sklearn.preprocessing import normalize
from styled import style_vocabulary, styled_mapping

from ic2analysis.analysis import counterparts, exact_search, inverted_file
from ic2analysis.analysis import vectorise as vz


@pytest.mark.parametrize("inverted_file", [False, True])
def test_counterparts_pair_subjects_across_writing_styles(monkeypatch, inverted_file):
    items = styled_mapping(n_per=6, subject_words=3, style_words=8, seed=3)
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
    style = style_vocabulary()
    shared = {w.strip() for t in first["shared_terms"] for w in t.split(",") if w.strip()}
    assert shared and not shared & style


def test_nearest_cells_in_blocks_equal_the_whole_computation():
    rng = np.random.default_rng(0)
    z, centres = rng.normal(size=(1003, 6)), rng.normal(size=(17, 6))
    whole = np.argpartition(-(z @ centres.T), 3, axis=1)[:, :4]
    blocks = inverted_file._nearest_cells(z, centres, 4, block=100)
    assert np.array_equal(np.sort(whole, axis=1), np.sort(blocks, axis=1))


def test_shared_terms_in_blocks_of_pairs_equal_one_product_of_all_pairs():
    from scipy import sparse

    rng = np.random.default_rng(1)
    xa = sparse.random(40, 30, density=0.3, random_state=1, format="csr")
    xb = sparse.random(25, 30, density=0.3, random_state=2, format="csr")
    xb.data[:5] = xa.data[:5]  # some equal products, ordered by the terms' alphabet
    terms = np.array([f"t{k:02d}" for k in rng.permutation(30)])
    i, j = rng.integers(0, 40, 200), rng.integers(0, 25, 200)
    whole = counterparts.top_terms(counterparts._pair_cosines(xa, xb, i, j), terms, 5)
    assert counterparts.shared_terms(xa, xb, i, j, terms, 5, block=7) == whole
    assert any(whole) and not all(whole)


@pytest.mark.parametrize("exact_cells", [0, 10**9], ids=["inverted file", "exact"])
def test_nearest_on_row_views_equals_nearest_on_copied_rows(monkeypatch, exact_cells):
    from scipy import sparse
    from sklearn.preprocessing import normalize

    monkeypatch.setattr(counterparts, "EXACT_CELLS", exact_cells)
    rng = np.random.default_rng(2)
    x = normalize(sparse.random(900, 60, density=0.1, random_state=3, format="csr"))
    z = normalize(rng.normal(size=(900, 5)))
    a = np.flatnonzero(rng.random(900) < 0.4)
    b = np.setdiff1d(np.arange(900), a)
    terms = np.array([f"w{k}" for k in range(60)])
    args = (z[a], z[b], terms, 3, 4)
    views = counterparts.nearest(counterparts.Rows(x, a), counterparts.Rows(x, b), *args)
    copies = counterparts.nearest(x[a], x[b], *args)
    pd.testing.assert_frame_equal(views, copies)
    assert len(views) == 3 * len(a)


def test_cell_products_equal_the_sparse_product_of_the_rows():
    from scipy import sparse

    rng = np.random.default_rng(4)
    for t in range(20):
        a = sparse.random(
            int(rng.integers(1, 200)), 300, density=0.05, random_state=t, format="csr"
        )
        b = sparse.random(
            int(rng.integers(1, 40)), 300, density=0.05, random_state=50 + t, format="csr"
        )
        want = (a.astype(np.float32) @ b.astype(np.float32).T).toarray()
        got = inverted_file.cell_products(a, b)
        assert got.dtype == np.float32 and got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)
    empty = sparse.csr_matrix((3, 300))
    assert not inverted_file.cell_products(a, empty).any()


def test_best_columns_equal_a_full_sort_by_value_then_column():
    """The partition keeps every tie at the k-th value, so the kept columns and their order
    are those of a full sort (values in quarters: many ties, also at the boundary)."""
    rng = np.random.default_rng(7)
    for _ in range(300):
        rows, n = int(rng.integers(1, 40)), int(rng.integers(1, 50))
        s = rng.integers(0, int(rng.integers(1, 6)), (rows, n)) / 4
        k = int(rng.integers(1, n + 1))
        want = np.lexsort((np.broadcast_to(np.arange(n), s.shape), -s), axis=1)[:, :k]
        np.testing.assert_array_equal(exact_search.best_columns(s, k), want)


@pytest.mark.parametrize("n_eu, n_cn, per_item, block_cells", [
    (40, 25, 3, 100), (7, 30, 5, 31), (30, 2, 3, 10**6), (1, 9, 4, 1), (12, 12, 12, 50),
])  # fmt: skip
def test_both_directions_from_one_scoring_equal_two_searches(n_eu, n_cn, per_item, block_cells):
    """The exact search of both regions at once gives each direction's frame of a search of
    its own, bit for bit: blocks of every size (one row to all), k above a region's size,
    and rows of four kinds (exact ties, broken by the smaller row number)."""
    from scipy import sparse

    rng = np.random.default_rng(n_eu * 100 + n_cn)
    n = n_eu + n_cn
    kinds = rng.integers(0, 4, n)  # four kinds of rows, equal within a kind: many exact ties
    x = sparse.csr_matrix(normalize(rng.integers(0, 3, (4, 15)) * (rng.random((4, 15)) < 0.5)))
    x, z = x[kinds], normalize(rng.integers(1, 4, (4, 4)).astype(float))[kinds]
    c = sparse.csr_matrix(normalize(rng.integers(0, 2, (4, 20)).astype(float)))[kinds]
    region = np.array(["Europe"] * n_eu + ["China"] * n_cn)
    rng.shuffle(region)
    terms = np.array([f"t{i:02d}" for i in range(15)])
    got = counterparts._exact_both(region, x, z, c, terms, per_item, block_cells)
    for r, other, a, b, frame in got:
        views = [(x[a], x[b]), (z[a], z[b]), (c[a], c[b])]
        want = counterparts._exact(views, x[a], x[b], terms, per_item, block_cells)
        assert r != other and len(frame) == len(a) * min(per_item, len(b))
        pd.testing.assert_frame_equal(frame, want, check_exact=True)
