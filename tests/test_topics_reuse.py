"""The topics step's shortcuts give exactly what the plain computation gives.

Consensus k-means leaves settled runs out; the stability refits fit one TF-IDF per set of
items for every seed; notebook 03 loads notebook 02's embedding from a content-addressed
cache. Each test compares with the plain computation, bit for bit.
"""

import json
import os
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from ic2analysis import params
from ic2analysis.analysis import consensus, store
from ic2analysis.analysis import stability as st
from ic2analysis.analysis import vectorise as vz

WORDS = {
    "genome": "genome sequencing variants reference population genomes assembly",
    "data": "records interoperability federated access sharing warehouse",
    "cancer": "cancer screening tumour oncology prevention chemotherapy",
}
SETTINGS = vz.Settings(seed=3, ngram_range=(1, 1), min_df=1, max_df=1.0, lsa_components=4)


def texts(n_per: int = 8) -> list[str]:
    rng = np.random.default_rng(1)
    return [
        " ".join(rng.permutation(words.split())[:4])
        for words in WORDS.values()
        for _ in range(n_per)
    ]


def plain_lloyd(x: np.ndarray, k: int, rng: np.random.Generator, iters: int = 50):
    """The batched k-means as first written: every run iterates until all have converged."""
    r, m, _ = x.shape
    rows = np.arange(r)
    sq = np.einsum("rmd,rmd->rm", x, x)
    first = rng.integers(m, size=r)
    centres = [x[rows, first]]
    d2 = np.maximum(sq - 2 * np.einsum("rmd,rd->rm", x, centres[0]) + sq[rows, first][:, None], 0)
    for _ in range(1, k):
        cum = np.cumsum(d2, axis=1)
        pick = (cum < rng.random(r)[:, None] * cum[:, -1:]).sum(axis=1).clip(0, m - 1)
        centres.append(x[rows, pick])
        new = sq - 2 * np.einsum("rmd,rd->rm", x, centres[-1]) + sq[rows, pick][:, None]
        d2 = np.minimum(d2, np.maximum(new, 0))
    c = np.stack(centres, axis=1)
    labels = np.full((r, m), -1)
    for _ in range(iters):
        dist = np.einsum("rkd,rkd->rk", c, c)[:, None, :] - 2 * (x @ c.transpose(0, 2, 1))
        new_labels = dist.argmin(axis=2)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
        onehot = (labels[:, None, :] == np.arange(k)[None, :, None]).astype(x.dtype)
        count = onehot.sum(axis=2)[:, :, None]
        c = np.where(count > 0, (onehot @ x) / np.maximum(count, 1), c)
    return c


def test_batched_kmeans_leaving_settled_runs_out_changes_no_bit():
    rng = np.random.default_rng(0)
    for (r, m, d), k, seed in [
        ((40, 120, 6), 2, 1),
        ((40, 120, 6), 5, 2),
        ((40, 120, 6), 9, 3),
        ((100, 299, 12), 12, 4),
    ]:  # the last: the repository's sweep
        x = rng.standard_normal((r, m, d))
        x /= np.linalg.norm(x, axis=2, keepdims=True)
        got = consensus.batched_kmeans(x, k, np.random.default_rng(seed))
        want = plain_lloyd(x, k, np.random.default_rng(seed))
        assert np.array_equal(got, want)


def test_stability_refits_fit_one_tfidf_per_item_set_for_every_seed(monkeypatch):
    docs = texts()
    calls = []
    real = vz.tfidf
    monkeypatch.setattr(vz, "tfidf", lambda t, s, *a: calls.append(len(t)) or real(t, s, *a))
    refits = st.Refits(docs, SETTINGS, consensus.Bagging(n_runs=10, dims=(2, 4)))
    idx = np.arange(len(docs))
    spaces = [refits.space(idx, seed) for seed in (1, 2, 3)]
    assert calls == [len(docs)]
    x = real(docs, SETTINGS)[0]
    for seed, space in zip((1, 2, 3), spaces, strict=True):
        assert np.array_equal(space, vz.lsa(x, SETTINGS.lsa_components, seed)[0])
    refits.space(idx[:-3], 1)
    assert calls == [len(docs), len(docs) - 3]


def test_the_embedding_cache_is_keyed_by_everything_it_depends_on(tmp_path):
    out = SimpleNamespace(tables=tmp_path / "tables")
    docs = texts()
    file = store.embedding_file(docs, SETTINGS, out)
    assert file.parent == tmp_path / store.CACHE
    assert store.embedding_file(docs[:-1] + [docs[-1] + " x"], SETTINGS, out) != file
    assert store.embedding_file(docs, vz.Settings(**{**SETTINGS.__dict__, "seed": 4}), out) != file
    assert store.load_embedding(file) is None
    emb = vz.embed(docs, SETTINGS)
    store.save_embedding(emb, file)
    back = store.load_embedding(file)
    assert (back.tfidf != emb.tfidf).nnz == 0 and back.tfidf.dtype == emb.tfidf.dtype
    assert np.array_equal(back.terms, emb.terms) and np.array_equal(back.space, emb.space)


def test_reload_uses_the_cached_embedding_and_refits_without_it(tmp_path):
    out = SimpleNamespace(tables=tmp_path / "tables")
    out.tables.mkdir()
    docs = texts()
    items = pd.DataFrame(
        {"id": [f"i{i}" for i in range(len(docs))], "title": "", "description": docs}
    )
    items["title"] = [f"item {i}" for i in range(len(docs))]
    clusters = items[["id"]].assign(
        cluster=0, label="a", name_en="a", name_zh="a", instrument=False
    )
    clusters.to_csv(out.tables / "clusters.csv", index=False)
    model = {"settings": SETTINGS.as_dict(), "skipped": ""}
    (out.tables / "topic_model.json").write_text(json.dumps(model))
    _, fresh = store.reload(items, out)
    assert np.array_equal(fresh.space, vz.embed(list(vz.documents(items)), SETTINGS).space)
    marked = vz.Embedding(fresh.tfidf, fresh.terms, np.zeros_like(fresh.space))
    store.save_embedding(marked, store.embedding_file(list(vz.documents(items)), SETTINGS, out))
    _, cached = store.reload(items, out)
    assert not cached.space.any()


def test_adjusted_rand_index_is_scikit_learn_s_to_the_bit():
    from sklearn.metrics import adjusted_rand_score

    rng = np.random.default_rng(2)
    for t in range(300):
        n = int(rng.integers(2, 300))
        a = rng.integers(0, int(rng.integers(1, 12)), n) * 3 - 1
        b = a.copy() if t % 5 == 0 else rng.integers(0, int(rng.integers(1, 12)), n)
        assert st.adjusted_rand_score(a, b) == adjusted_rand_score(a, b)


def test_a_new_embedding_replaces_the_run_s_older_ones(tmp_path):
    out = SimpleNamespace(tables=tmp_path / "tables")
    docs = texts()
    first = store.embedding_file(docs, SETTINGS, out)
    store.save_embedding(vz.embed(docs, SETTINGS), first)
    second = store.embedding_file(docs[1:], SETTINGS, out)
    store.save_embedding(vz.embed(docs[1:], SETTINGS), second)
    assert sorted(p.name for p in first.parent.iterdir()) == [second.name]


def test_the_runs_subsamples_are_drawn_once_per_space_and_seed_for_every_k(monkeypatch):
    rng = np.random.default_rng(4)
    space = rng.standard_normal((60, 6))
    space /= np.linalg.norm(space, axis=1, keepdims=True)
    bag = consensus.Bagging(n_runs=12, dims=(2, 6), n_init=2)
    consensus._DRAWS.clear()
    warm = [consensus.fit(space, k, 5, bag).labels for k in (2, 3, 4)]
    assert len(consensus._DRAWS) == 1  # one draw served the three values of k
    cold = []
    for k in (2, 3, 4):
        consensus._DRAWS.clear()
        cold.append(consensus.fit(space, k, 5, bag).labels)
    assert all(np.array_equal(a, b) for a, b in zip(warm, cold, strict=True))
    monkeypatch.setattr(consensus, "DRAWS_BUDGET", 1)
    for seed in (1, 2, 3):
        consensus.fit(space, 2, seed, bag)
    assert len(consensus._DRAWS) == 1  # over budget, only the newest is kept


def test_refits_in_worker_processes_give_the_serial_partitions_bit_for_bit(monkeypatch):
    docs = texts()
    bag = consensus.Bagging(n_runs=10, dims=(2, 4), n_init=2)
    serial, spread = st.Refits(docs, SETTINGS, bag), st.Refits(docs, SETTINGS, bag)
    samples = st.subsamples(len(docs), 3, 0.8, 5)
    ks, all_idx = [2, 3], np.arange(len(docs))
    pairs = [(serial, spread), (st.null_refits(serial), st.null_refits(spread))]
    jobs = [(0, all_idx, 4), (1, all_idx, 4)]
    jobs += [(0, idx, st.bootstrap_seed(4, b)) for b, idx in enumerate(samples)]
    expected = [[pairs[i][0].labels(idx, s, k) for k in ks] for i, idx, s in jobs]
    monkeypatch.setenv(params.JOBS_ENV, "2")
    st.prefetch([(pairs[i][1], idx, s) for i, idx, s in jobs], ks)
    monkeypatch.setattr(consensus, "fit", lambda *a: pytest.fail("refitted after prefetch"))
    for (i, idx, s), want in zip(jobs, expected, strict=True):
        r = pairs[i][1]
        for k, lab in zip(ks, want, strict=True):
            np.testing.assert_array_equal(r.labels(idx, s, k), lab)
        assert np.array_equal(r.space(idx, s), pairs[i][0].space(idx, s))


def test_the_number_of_worker_processes_is_validated(monkeypatch):
    monkeypatch.setenv(params.JOBS_ENV, "0")
    with pytest.raises(ValueError, match="IC2_JOBS"):
        st.jobs()
    monkeypatch.setenv(params.JOBS_ENV, "3")
    assert st.jobs() == 3
    for bad in ("two", "-1", "1.5"):
        with pytest.raises(params.ParameterError, match="whole number"):
            params.jobs({params.JOBS_ENV: bad})
    assert params.jobs({}) == (os.cpu_count() or 1)


def test_the_final_kmeans_without_checks_is_scikit_learn_s_to_the_bit():
    from sklearn.cluster import KMeans

    x = np.random.default_rng(2).normal(size=(60, 5))
    plain = KMeans(n_clusters=4, n_init=3, random_state=9, algorithm="lloyd").fit(x)
    fast = consensus._kmeans(x, 4, 9, 3)
    assert np.array_equal(fast.cluster_centers_, plain.cluster_centers_)
    assert np.array_equal(fast.labels_, plain.labels_)


def test_a_corpus_larger_than_the_token_cache_leaves_it_empty_and_the_same_tfidf(monkeypatch):
    from ic2analysis.analysis import vectorise

    texts = [f"precision medicine cohort {i % 7} genome plan {i}" for i in range(60)]
    settings = vectorise.Settings(min_df=1, max_df=1.0, lsa_components=2)
    vectorise._tokens.cache_clear()
    kept, _ = vectorise.tfidf(texts, settings)
    assert vectorise._tokens.cache_info().currsize >= 60  # the texts (and the stop words)
    monkeypatch.setattr(vectorise, "TOKEN_CACHE", 50)
    cleared, _ = vectorise.tfidf(texts, settings)
    assert vectorise._tokens.cache_info().currsize == 0
    assert (kept != cleared).nnz == 0
