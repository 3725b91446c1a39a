"""The collector pause (issue #18): off inside, restored after, also on an error; cleaning
runs under it, and it frees nothing early or late that matters (the same table)."""

import gc

import pytest

from ic2analysis import gcpause
from ic2analysis.cleaning import clean, read


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_off_inside_and_restored_after(enabled):
    (gc.enable if enabled else gc.disable)()
    try:
        with gcpause.paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(KeyError), gcpause.paused():
            raise KeyError("x")
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


def test_cleaning_runs_with_the_collector_paused(monkeypatch, minimal_csv):
    seen = []
    real = read.read_columns

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(read, "read_columns", spy)
    assert gc.isenabled()
    result = clean.clean([minimal_csv])
    assert seen == [False] and gc.isenabled()
    assert result.counts["kept"] == 2


def test_the_embedding_runs_with_the_collector_paused(monkeypatch):
    from ic2analysis.analysis import vectorise

    seen = []
    real = vectorise.tfidf

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(vectorise, "tfidf", spy)
    texts = [f"genome{i % 7} cohort{i % 5} data{i % 3} sharing" for i in range(30)]
    emb = vectorise.embed(texts, vectorise.Settings(min_df=1, max_df=1.0, lsa_components=3))
    assert seen == [False] and gc.isenabled()
    assert emb.space.shape == (30, 3)
