"""The key-organisations step works per distinct body and cell (issue #18): its cached
lookups give what the plain per-item walk over the register gives."""

from __future__ import annotations

import pandas as pd

from ic2analysis import paths
from ic2analysis.analysis import bodies, body_rules, body_topics
from ic2analysis.cleaning import bodies_register as br


def _walk(reg: br.Register, bid: str) -> list[str]:
    """The parent chain read from the register row by row, with no cache."""
    out, seen = [], {bid}
    while (parent := reg.frame.at[bid, "parent_id"]) and parent not in seen:
        out.append(parent)
        seen.add(parent)
        bid = parent
    return out


def _plain_item_bodies(items: pd.DataFrame, reg: br.Register) -> pd.DataFrame:
    """item_bodies as one loop over the items, each item looked up afresh."""
    rows = []
    for r in items.itertuples():
        today = dict.fromkeys(reg._follow(b) for b in r.lead_body_ids.split(";") if b)
        above = {a for b in today for a in _walk(reg, b)}
        for bid in (b for b in today if b not in above):
            rows.append({"id": r.id, "body_id": bid, "region": r.region, "kind": r.kind})
    return pd.DataFrame(rows, columns=["id", "body_id", "region", "kind"])


def test_cached_chains_and_successors_match_the_register_walk():
    reg = br.register()
    ids = list(reg.frame["id"])
    assert any(_walk(reg, b) for b in ids)  # the register has parents to follow
    for bid in ids:
        assert body_rules.ancestors(reg, bid) == _walk(reg, bid)
        assert reg.current(bid) == reg._follow(bid)
        assert reg.current(bid) == reg._follow(bid)  # the second call, from the cache


def test_item_bodies_per_distinct_cell_equals_the_per_item_loop():
    reg = br.register()
    items = pd.read_csv(paths.PROCESSED / "initiatives.csv", dtype=str, keep_default_na=False)
    items = items[["id", "region", "kind", "lead_body_ids"]]
    repeated = pd.concat([items, items.iloc[::-1]], ignore_index=True)  # cells seen twice
    got = bodies.item_bodies(repeated, reg)
    want = _plain_item_bodies(repeated, reg)
    assert len(got) > len(repeated) // 2
    pd.testing.assert_frame_equal(got, want)
    empty = bodies.item_bodies(items.iloc[:0], reg)
    pd.testing.assert_frame_equal(empty, _plain_item_bodies(items.iloc[:0], reg))


def test_counts_equal_crosstab_plain_and_normalised():
    rows = pd.Series(["b", "a", "c", "a", "b", "a", None], name="id")
    cols = pd.Series(["x", "y", "x", "x", "z", "y", "x"], name="topic")
    for normalize in (False, "index"):
        want = pd.crosstab(rows, cols, normalize=normalize)
        got = body_topics.counts(rows, cols, normalize=bool(normalize))
        pd.testing.assert_frame_equal(got, want)
    assert body_topics.counts(rows, cols).loc["a", "y"] == 2
