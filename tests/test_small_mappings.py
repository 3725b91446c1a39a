"""Small mappings: the package path from a table of 1, 2, 4 or 20 items to the bridges."""

import pandas as pd
import pytest

from ic2analysis import params, paths
from ic2analysis.analysis import agreement, bridges, measures, store, topics
from ic2analysis.cleaning import clean


def _run(frame: pd.DataFrame) -> tuple:
    """notebook 02's and 03's calls on ``frame``, writing to a temporary run."""
    out = paths.run_paths("small")
    out.tables.mkdir(parents=True, exist_ok=True)
    result = topics.analyse(frame, params.defaults("02_topics"))
    pairs = agreement.load_pairs(paths.PARAMS / "counterpart_pairs.csv")
    store.write(result, frame, measures.table(result, frame, pairs), out)
    joined, emb = store.reload(frame, out)
    why_not = bridges.nothing_to_compare(joined, store.model(out)["skipped"])
    p = params.defaults("03_bridges")
    tables = {} if why_not else bridges.analyse(joined, emb, p, store.bootstraps(out))
    return result, joined, why_not, tables


@pytest.mark.parametrize("n", [1, 2, 4])
def test_minimal_example_and_smaller_skip_topics_and_say_why(out_dir, n):
    frame = clean.clean([paths.ROOT / "examples" / "minimal_mapping.csv"]).table.head(n)
    result, joined, why_not, tables = _run(frame)
    assert result.skipped and "topics need at least 12" in result.skipped
    assert (joined["label"] == "All items (not clustered)").all()
    assert why_not and not tables
    if frame["region"].nunique() == 1:
        assert "nothing to compare" in why_not
    else:
        assert "No topics to compare" in why_not


def test_twenty_items_are_clustered_with_k_range_clipped(out_dir):
    items = pd.read_csv(paths.PROCESSED / "initiatives.csv", dtype=str, keep_default_na=False)
    frame = pd.concat([items[items["region"] == r].head(10) for r in ("Europe", "China")])
    frame = clean.load(_processed(out_dir, frame))
    result, joined, why_not, tables = _run(frame)
    assert not result.skipped
    assert any("clipped" in n for n in result.notes)
    assert 6 <= result.k <= len(frame) // 2
    assert not why_not and len(tables["opportunities"])


def test_one_region_only_has_nothing_to_compare():
    frame = pd.DataFrame({"region": ["China"] * 3, "kind": ["policy"] * 3, "label": ["a"] * 3})
    assert "China only" in bridges.nothing_to_compare(frame)
    assert bridges.region_profile(frame)["items"].tolist() == [3]


def _processed(out_dir, frame: pd.DataFrame):
    """Write ``frame`` as a run's processed table so that clean.load() types it."""
    out = paths.run_paths("small")
    out.initiatives.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(out.initiatives, index=False)
    return out
