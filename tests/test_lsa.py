"""The LSA projection with a CSR copy of the transpose is scikit-learn's ARPACK one, bit for bit."""

import numpy as np
import pytest
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize
from test_counting import corpus

from ic2analysis.analysis import vectorise


def sklearn_lsa(x, n: int, seed: int):
    """What ``vectorise.lsa`` computed before: TruncatedSVD(arpack), signs fixed, normalised."""
    svd = TruncatedSVD(n, algorithm="arpack", random_state=seed)
    z = svd.fit_transform(x)
    signs = np.sign(svd.components_[np.arange(n), np.abs(svd.components_).argmax(axis=1)])
    return normalize(z * signs), svd.components_ * signs[:, None]


@pytest.fixture(scope="module")
def tfidf():
    texts = corpus(1500, seed=4)
    return vectorise.tfidf(texts, vectorise.Settings(min_df=2, max_df=0.9))[0]


@pytest.mark.parametrize(("rows", "n", "seed"), [(1500, 12, 0), (400, 5, 7), (60, 2, 123)])
@pytest.mark.parametrize("dense", [False, True])
def test_lsa_is_scikit_learn_s_arpack_to_the_bit(tfidf, rows, n, seed, dense):
    x = tfidf[:rows].toarray() if dense else tfidf[:rows]
    want_z, want_c = sklearn_lsa(x, n, seed)
    got_z, got_c = vectorise.lsa(x, n, seed)
    assert got_z.shape == (rows, n)
    assert np.array_equal(got_z, want_z) and np.array_equal(got_c, want_c)


def test_each_component_s_largest_loading_is_positive(tfidf):
    _, components = vectorise.lsa(tfidf, 6, 1)
    top = components[np.arange(6), np.abs(components).argmax(axis=1)]
    assert (top > 0).all()


def test_the_2d_map_is_the_first_two_signed_components(tfidf):
    z, _ = vectorise.truncated_svd(tfidf, 2, 3)
    want, _ = sklearn_lsa(tfidf, 2, 3)
    got = vectorise.map_2d(tfidf, vectorise.Settings(seed=3))
    assert np.array_equal(got, np.round(z, 6))
    assert np.allclose(normalize(got), want, atol=1e-5)
