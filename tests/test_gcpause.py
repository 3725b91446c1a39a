"""The collector pause (issue #18): off inside, restored after, also on an error; cleaning and
the embedding run under it."""

import gc

import pytest

from ic2analysis import gcpause
from ic2analysis.analysis import vectorise
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


def spy(monkeypatch, module, name) -> list[bool]:
    """Record, at each call of ``module.name``, whether the collector is on."""
    seen, real = [], getattr(module, name)

    def call(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, call)
    return seen


def test_cleaning_runs_with_the_collector_paused(monkeypatch, minimal_csv):
    seen = spy(monkeypatch, read, "read_columns")
    assert gc.isenabled()
    result = clean.clean([minimal_csv])
    assert seen == [False] and gc.isenabled()
    assert result.counts["kept"] == 2


def test_the_embedding_runs_with_the_collector_paused(monkeypatch):
    seen = spy(monkeypatch, vectorise, "tfidf")
    texts = [f"genome{i % 7} cohort{i % 5} data{i % 3} sharing" for i in range(30)]
    emb = vectorise.embed(texts, vectorise.Settings(min_df=1, max_df=1.0, lsa_components=3))
    assert seen == [False] and gc.isenabled()
    assert emb.space.shape == (30, 3)
