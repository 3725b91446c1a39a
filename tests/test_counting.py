"""Counting a large corpus in parallel chunks gives scikit-learn's TF-IDF matrix exactly."""

import os
from pathlib import Path

import numpy as np
import pytest

from ic2analysis.analysis import counting, vectorise

WORDS = (
    "genome cohort cancer rare disease biobank data sharing standard pharmacogenomics "
    "screening imaging registry consent privacy oncology diagnostics pilot hospital "
    "network training reimbursement horizon province notice key special project"
).split()
CHINESE = ["精准医学", "罕见病诊疗", "基因组数据共享", "肿瘤早筛", "健康医疗大数据"]


def corpus(n: int, seed: int = 0) -> list[str]:
    """Texts with a skewed word distribution (some terms common, many rare) in two scripts."""
    rng = np.random.default_rng(seed)
    p = 1.0 / np.arange(1, len(WORDS) + 1)
    texts = []
    for i in range(n):
        words = list(rng.choice(WORDS, size=rng.integers(3, 25), p=p / p.sum()))
        if i % 3 == 0:
            words.append(CHINESE[i % len(CHINESE)])
        words.append(f"term{rng.integers(0, n // 4)}")  # rare terms, some shared
        texts.append(" ".join(words))
    return texts


def serial(texts, vec):
    x = vec.fit_transform(texts).tocsr()
    return x, vec.get_feature_names_out()


@pytest.mark.parametrize(
    ("min_df", "max_df", "sublinear", "jobs", "chunk"),
    [
        (5, 0.4, True, 2, 50_000),
        (0.002, 0.9, False, 3, 50_000),
        (1, 1.0, True, 2, 250),  # 12 chunks over 2 processes, joined as they arrive
        (2, 300, True, 4, 1000),
        (3, 0.05, True, 2, 250),  # common words pruned too: some rows keep no term at all
    ],
)
def test_parallel_counts_give_the_same_matrix_bit_for_bit(
    monkeypatch, min_df, max_df, sublinear, jobs, chunk
):
    monkeypatch.setattr(counting, "PARALLEL_MIN_DOCS", 200)
    monkeypatch.setattr(counting, "CHUNK_DOCS", chunk)
    monkeypatch.setenv("IC2_JOBS", str(jobs))
    texts = corpus(3000)
    settings = vectorise.Settings(min_df=min_df, max_df=max_df, sublinear_tf=sublinear)
    want_x, want_terms = serial(texts, vectorise.vectorizer(settings, len(texts)))
    got_x, got_terms = counting.fit_transform(texts, vectorise.vectorizer(settings, len(texts)))
    assert list(got_terms) == list(want_terms) and len(want_terms) > 50
    assert got_x.shape == want_x.shape
    for part in ("indptr", "indices", "data"):  # storage order too, not only the values
        assert np.array_equal(getattr(got_x, part), getattr(want_x, part)), part


_COUNT = counting._count


def _count_and_sign(texts, **kw):
    """``_count``, leaving a file named by the worker's pid (picklable: a module function)."""
    (Path(os.environ["IC2_TEST_SIGNS"]) / f"{os.getpid()}-{len(texts)}-{hash(texts[0])}").touch()
    return _COUNT(texts, **kw)


def test_each_chunk_is_counted_by_a_fresh_worker(monkeypatch, tmp_path):
    """A worker counts one chunk and exits, so its memory goes with it (``maxtasksperchild``):
    a worker that counted ten chunks of a million texts kept its allocator's high-water mark."""
    monkeypatch.setattr(counting, "_count", _count_and_sign)
    monkeypatch.setattr(counting, "PARALLEL_MIN_DOCS", 200)
    monkeypatch.setattr(counting, "CHUNK_DOCS", 250)
    monkeypatch.setenv("IC2_JOBS", "2")
    monkeypatch.setenv("IC2_TEST_SIGNS", str(tmp_path))
    texts = corpus(3000)
    counting.fit_transform(texts, vectorise.vectorizer(vectorise.Settings(), len(texts)))
    pids = [f.name.split("-")[0] for f in tmp_path.iterdir()]
    assert len(pids) == 12 and len(set(pids)) == 12 and str(os.getpid()) not in pids


def test_small_corpora_and_one_process_use_the_vectoriser_itself(monkeypatch):
    calls = []
    monkeypatch.setattr(counting, "_count", lambda *a: calls.append(a))
    texts = corpus(300)
    vec = vectorise.vectorizer(vectorise.Settings(min_df=2), len(texts))
    counting.fit_transform(texts, vec)
    monkeypatch.setattr(counting, "PARALLEL_MIN_DOCS", 10)
    monkeypatch.setenv("IC2_JOBS", "1")
    counting.fit_transform(texts, vectorise.vectorizer(vectorise.Settings(min_df=2), len(texts)))
    assert calls == []


def test_pruning_everything_fails_as_the_vectoriser_does(monkeypatch):
    monkeypatch.setattr(counting, "PARALLEL_MIN_DOCS", 100)
    monkeypatch.setenv("IC2_JOBS", "2")
    texts = [f"alpha{i} beta{i}" for i in range(400)]  # no term in two texts
    settings = vectorise.Settings(min_df=2, max_df=1.0)
    with pytest.raises(ValueError, match="no terms remain"):
        vectorise.vectorizer(settings, len(texts)).fit_transform(texts)
    with pytest.raises(ValueError, match="no terms remain"):
        counting.fit_transform(texts, vectorise.vectorizer(settings, len(texts)))


def test_character_ngrams_count_the_same_in_parallel(monkeypatch):
    """The counterpart search's character view (``char_wb`` 3-5-grams) through the chunks."""
    from ic2analysis.analysis import charviews

    texts = corpus(1200, seed=3)
    monkeypatch.setenv("IC2_JOBS", "2")
    monkeypatch.setattr(charviews, "PARALLEL", (10**9, 4000))  # one process
    want = charviews.char_tfidf(texts, ("horizon", "key special project"))
    monkeypatch.setattr(charviews, "PARALLEL", (100, 250))  # five chunks over two processes
    got = charviews.char_tfidf(texts, ("horizon", "key special project"))
    assert got.shape == want.shape and want.shape[1] > 1000
    for part in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(got, part), getattr(want, part)), part


@pytest.mark.parametrize("options", [{"dtype": np.float32}, {"binary": True}])
def test_other_vectoriser_options_give_the_same_matrix(monkeypatch, options):
    """float32 counts are joined as float32; binary counts (not reproduced) run on one process."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    monkeypatch.setattr(counting, "PARALLEL_MIN_DOCS", 200)
    monkeypatch.setenv("IC2_JOBS", "2")
    texts = corpus(1000, seed=5)
    want_x, want_terms = serial(texts, TfidfVectorizer(min_df=2, **options))
    got_x, got_terms = counting.fit_transform(texts, TfidfVectorizer(min_df=2, **options))
    assert list(got_terms) == list(want_terms) and got_x.dtype == want_x.dtype
    for part in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(got_x, part), getattr(want_x, part)), part


@pytest.mark.parametrize("ngrams", [(1, 1), (1, 2), (1, 3), (2, 3)])
def test_the_fast_analyser_gives_scikit_learn_s_terms_in_order(ngrams):
    texts = corpus(300, seed=2) + ["", "the of and", "genome", "精准医学 genome cohort"]
    vec = vectorise.vectorizer(vectorise.Settings(ngram_range=ngrams), len(texts))
    fast, slow = counting.analyser(vec), vec.build_analyzer()
    assert fast is not slow and [fast(t) for t in texts] == [slow(t) for t in texts]


@pytest.mark.parametrize("batch", [1, 7, 10_000])
def test_counts_in_batches_of_any_size_are_the_same(monkeypatch, batch):
    monkeypatch.setattr(counting, "PARALLEL_MIN_DOCS", 200)
    monkeypatch.setattr(counting, "BATCH_DOCS", batch)
    monkeypatch.setenv("IC2_JOBS", "2")
    texts = corpus(800, seed=6) + [""] * 3  # texts without any term too
    settings = vectorise.Settings(min_df=2)
    want_x, want_terms = serial(texts, vectorise.vectorizer(settings, len(texts)))
    got_x, got_terms = counting.fit_transform(texts, vectorise.vectorizer(settings, len(texts)))
    assert list(got_terms) == list(want_terms)
    for part in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(got_x, part), getattr(want_x, part)), part


@pytest.mark.parametrize("ngrams", [(3, 5), (1, 1), (2, 4), (1, 6)])
@pytest.mark.parametrize("lowercase", [True, False])
def test_the_char_wb_analyser_gives_scikit_learn_s_n_grams_in_order(ngrams, lowercase):
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = corpus(200, seed=7) + ["", "a", "ab", "abc", " x  y\tz\n", "Ünï ÇA", "精准医学 基因"]
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=ngrams, lowercase=lowercase)
    fast, slow = counting.analyser(vec), vec.build_analyzer()
    assert [fast(t) for t in texts] == [slow(t) for t in texts]


def test_forget_runs_after_each_batch_and_changes_no_count(monkeypatch):
    """The workers' token memo is emptied after every batch: bounded, and the same counts."""
    monkeypatch.setattr(counting, "BATCH_DOCS", 500)
    texts = corpus(1200)
    vec = vectorise.vectorizer(vectorise.Settings(min_df=1), len(texts))
    vec.build_analyzer()
    vectorise._tokens.cache_clear()
    kept = counting._count(texts, vec)
    assert vectorise._tokens.cache_info().currsize > 500  # without forget: the whole chunk
    sizes = []

    def forget():
        sizes.append(vectorise._tokens.cache_info().currsize)
        vectorise._tokens.cache_clear()

    vectorise._tokens.cache_clear()
    forgot = counting._count(texts, vec, forget=forget)
    assert len(sizes) == 3 and max(sizes) <= 500  # batches of 500, 500 and 200 texts
    assert vectorise._tokens.cache_info().currsize == 0
    assert forgot[0] == kept[0]
    for a, b in zip(forgot[1:], kept[1:], strict=True):
        assert np.array_equal(a, b)
