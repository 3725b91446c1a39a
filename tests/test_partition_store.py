"""The sweep's partitions kept between runs (issue #18): found only for the same inputs, and
the analysis that takes them gives the same result, bit for bit, without fitting."""

import os

import numpy as np
import pandas as pd
import pytest
from test_topics import PARAMS, mapping

from ic2analysis.analysis import consensus, partition_store, topics, vectorise
from ic2analysis.analysis import stability as st

TABLES = ("sweep", "assignments", "topic_stability", "bootstraps", "instruments")


def same(a: topics.TopicResult, b: topics.TopicResult) -> None:
    assert (a.k, a.why, a.final) == (b.k, b.why, b.final)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
    np.testing.assert_array_equal(a.space, b.space)


def test_a_second_run_fits_nothing_and_gives_the_same_result(tmp_path, monkeypatch):
    frame = mapping()
    plain = topics.analyse(frame, PARAMS)
    first = topics.analyse(frame, PARAMS, cache=tmp_path)
    (kept,) = tmp_path.glob(f"{partition_store.PREFIX}*.npz")

    def no_fit(*args, **kwargs):
        raise AssertionError("a consensus was fitted although every partition was kept")

    monkeypatch.setattr(consensus, "fit", no_fit)  # forked workers inherit it
    again = topics.analyse(frame, PARAMS, cache=tmp_path)
    same(plain, first)
    same(plain, again)
    assert list(tmp_path.glob(f"{partition_store.PREFIX}*.npz")) == [kept]
    with pytest.raises(AssertionError, match="was fitted"):  # the patch bites without the cache
        topics.analyse(frame, PARAMS)


def procedure(texts=None, null=False, **settings) -> st.Refits:
    texts = texts or ["genome sequencing", "cancer screening", "data sharing"]
    return st.Refits(texts, vectorise.Settings(**settings), consensus.Bagging(), null=null)


def test_the_file_is_named_by_every_input(tmp_path):
    base = partition_store.file_for(tmp_path, [procedure()])
    assert base == partition_store.file_for(tmp_path, [procedure()])
    changed = [
        [procedure(["genome sequencing", "cancer screening", "data sharing!"])],
        [procedure(min_df=2)],
        [procedure(seed=2)],
        [procedure(null=True)],
        [st.Refits(procedure().texts, vectorise.Settings(), consensus.Bagging(n_runs=99))],
        [procedure(), procedure(null=True)],
    ]
    names = {partition_store.file_for(tmp_path, p).name for p in changed}
    assert base.name not in names and len(names) == len(changed)


def test_partitions_round_trip_in_their_own_type(tmp_path):
    r = procedure()
    r.restore({("a", 1, 2): np.array([0, 1, 1], dtype=np.int32), ("b", 3, 4): np.zeros(2, "i4")})
    file = partition_store.file_for(tmp_path, [r])
    partition_store.save(file, [r])
    back = procedure()
    assert partition_store.load(file, [back]) == 2
    got = back.partitions()
    assert set(got) == {("a", 1, 2), ("b", 3, 4)}
    assert got[("a", 1, 2)].dtype == np.int32
    np.testing.assert_array_equal(got[("a", 1, 2)], [0, 1, 1])


@pytest.mark.parametrize("content", [b"not a zip", None])
def test_an_unreadable_file_is_ignored_and_replaced(tmp_path, content):
    frame = mapping()
    topics.analyse(frame, PARAMS, cache=tmp_path)
    (file,) = tmp_path.glob(f"{partition_store.PREFIX}*.npz")
    if content is None:  # readable, but its parts do not add up
        with np.load(file) as z:
            arrays = dict(z)
        arrays["sizes0"] = arrays["sizes0"] + 1
        np.savez(file, **arrays)
    else:
        file.write_bytes(content)
    assert partition_store.load(file, [procedure(), procedure(null=True)]) == 0
    result = topics.analyse(frame, PARAMS, cache=tmp_path)
    same(topics.analyse(frame, PARAMS), result)
    assert partition_store.load(file, [procedure(), procedure(null=True)]) > 0


def test_only_the_most_recently_used_files_are_kept(tmp_path):
    old = []
    for i in range(partition_store.KEEP + 3):
        f = tmp_path / f"{partition_store.PREFIX}{i:032d}.npz"
        f.write_bytes(b"")
        os.utime(f, (1000 + i, 1000 + i))
        old.append(f)
    r = procedure()
    r.restore({("a", 1, 2): np.array([0, 1], dtype=np.int64)})
    new = partition_store.file_for(tmp_path, [r])
    partition_store.save(new, [r])
    left = sorted(tmp_path.glob(f"{partition_store.PREFIX}*.npz"))
    assert len(left) == partition_store.KEEP and new in left
    assert set(left) - {new} == set(old[-(partition_store.KEEP - 1) :])
