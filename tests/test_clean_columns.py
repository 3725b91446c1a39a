"""Normalising column by column (``columns.normalise``) gives what ``rows.normalise_row`` gives
row by row: the same items, the same first rejection (column, expectation, value) and the same
warnings, on generated rows with every kind of bad cell and on the repository's data."""

from __future__ import annotations

import random

import pandas as pd
import pytest
from test_clean_fast import BAD_CELLS

from ic2analysis.cleaning import clean, columns, dedupe, merge, read, rows, title_tokens


def _reference(frame: pd.DataFrame, order: str) -> list[tuple]:
    out = []
    for rec in frame.to_dict("records"):
        try:
            item, warnings = rows.normalise_row(rec, order)
            out.append(("ok", item, warnings))
        except rows.Reject as rej:
            out.append(("reject", rej.column, rej.expected, rej.got))
    return out


def _columnwise(frame: pd.DataFrame, order: str) -> list[tuple]:
    cols = {c: frame[c].tolist() for c in frame.columns}
    cols["_file"], cols["_row"] = ["m.csv"] * len(frame), list(range(2, len(frame) + 2))
    norm = columns.normalise(cols, len(frame), order)
    kept = {i: k for k, i in enumerate(norm.kept)}
    out = []
    for i in range(len(frame)):
        if i in norm.rejects:
            if norm.rejects[i].column == "id":
                raise AssertionError("no id column: no id rejection")
            r = norm.rejects[i]
            out.append(("reject", r.column, r.expected, r.got))
        else:
            item = {c: v[kept[i]] for c, v in norm.items.items() if c != "id"}
            out.append(("ok", item, norm.warnings.get(i, [])))
    return out


@pytest.mark.parametrize("order", ["reject", "dmy"])
def test_columnwise_equals_row_by_row_on_generated_bad_rows(order: str) -> None:
    rng = random.Random(3)
    cells = {c: v for c, v in BAD_CELLS.items() if c != "id"}
    frame = pd.DataFrame([{c: rng.choice(v) for c, v in cells.items()} for _ in range(4000)])
    ref = _reference(frame, order)
    assert {"ok", "reject"} <= {r[0] for r in ref}  # both outcomes reached
    assert any(r[0] == "ok" and r[2] for r in ref)  # and warnings on kept rows
    assert _columnwise(frame, order) == ref


def test_columnwise_equals_row_by_row_on_the_repository_data() -> None:
    frame = read.read_all(read.discover()).drop(columns=["id", "_file", "_row"])
    assert _columnwise(frame, "reject") == _reference(frame, "reject")


def test_ids_malformed_repeated_and_made_from_the_file() -> None:
    ids, rej = columns.check_ids(
        ["a-1", "", "bad id!", "a-1", "a-1"], ["x/m.csv", "x/m.csv", "x/m.csv", "x/m.csv", "y.csv"],
        [2, 3, 4, 5, 2],
    )  # fmt: skip
    assert ids[1] == "m-3"
    assert set(rej) == {2, 3, 4}
    assert rej[2].expected.startswith("letters") and "row 2)" in rej[3].expected
    assert "x/m.csv row 2" in rej[4].expected


def test_title_keys_equal_title_key() -> None:
    titles = ['A "Quoted" Title', "x\ty", "  Plan-2016 (PM)  ", "精準醫療 Plan", "", "a'b", "Ünï"]
    assert dedupe.title_keys(titles) == [dedupe.title_key(t) for t in titles]
    rng = random.Random(0)  # ASCII of every kind: runs of spaces, tabs, quotes, punctuation
    alphabet = ["a", "B", "7", " ", "  ", "\t", "\n", '"', "'", "-", "(", ".", "é", "\x0b"]
    titles = ["".join(rng.choices(alphabet, k=rng.randint(0, 12))) for _ in range(3000)]
    assert dedupe.title_keys(titles) == [dedupe.title_key(t) for t in titles]


@pytest.mark.parametrize("title", ["Plan (PM)", "PM - Precision", "Plain title", "精准 (试行)"])
def test_plain_titles_need_no_bare_key(title: str) -> None:
    if merge._plain(title):
        assert merge.bare_title(title) == dedupe.title_key(title)
    else:
        assert title != "Plain title"


def test_every_raw_row_is_in_the_log_once(tmp_path) -> None:
    head = "id,title,region,kind,year,description,source_url\n"
    body = "a1,T,Europe,policy,2016,d,https://x.org\na2,T,Europe,policy,2016,d,https://x.org\n"
    body += "a3,U,Mars,policy,2016,d,https://x.org\n"
    (tmp_path / "m.csv").write_text(head + body, encoding="utf-8")
    r = clean.clean([tmp_path / "m.csv"])
    outcomes = r.log[r.log["outcome"].isin(["kept", "merged", "rejected"])]
    assert sorted(outcomes["row"]) == [2, 3, 4]
    assert list(outcomes.sort_values("row")["outcome"]) == ["kept", "merged", "rejected"]


def test_bare_keys_in_one_pass_equal_one_by_one() -> None:
    titles = ["Plan (PM) 2016", "PM - Precision Plan", "精准医疗 （试行） 计划", "AB: x",
              "ABC : Long", "[Draft] Genome", "A (b) (c) - d", "Very long acronym words here - x",
              "a\nb - c"]  # fmt: skip
    expected = [merge.bare_title(t) for t in titles]
    assert dedupe.title_keys(merge._bare_texts(titles)) == expected
    assert dedupe.title_keys(merge._bare_texts(titles[:-1])) == expected[:-1]
    assert title_tokens.tokens("precision medicine of ab 2016 plan") == {
        "precision",
        "medicine",
        "2016",
        "plan",
    }


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_two_halves_at_once_give_what_one_pass_gives(monkeypatch, jobs) -> None:
    rng = random.Random(5)  # the repository's rows eight times, a tenth of cells made bad
    base = read.read_all(read.discover()).drop(columns=["_file", "_row"])
    frame = pd.concat([base] * 8, ignore_index=True)
    for c, bad in BAD_CELLS.items():
        if c in frame.columns:
            hit = [i for i in range(len(frame)) if rng.random() < 0.1]
            frame.loc[hit, c] = [rng.choice(bad) for _ in hit]
    cols = {c: frame[c].tolist() for c in frame.columns}
    cols["_file"], cols["_row"] = ["m.csv"] * len(frame), list(range(2, len(frame) + 2))
    whole = columns.normalise(cols, len(frame))
    monkeypatch.setattr(columns, "PARALLEL_MIN_ROWS", 100)
    monkeypatch.setenv("IC2_JOBS", jobs)
    halves = columns.normalise(cols, len(frame))
    assert whole.rejects and whole.warnings and len(whole.kept) > 100
    assert any(r.column == "id" for i, r in whole.rejects.items() if i >= 1500)  # 2nd half
    assert halves.kept == whole.kept and halves.items == whole.items
    assert halves.warnings == whole.warnings
    assert halves.folded_ids == whole.folded_ids and halves.folded_titles == whole.folded_titles
    got = {i: (r.column, r.expected, r.got) for i, r in halves.rejects.items()}
    assert got == {i: (r.column, r.expected, r.got) for i, r in whole.rejects.items()}


def test_a_mapping_above_the_fork_limit_is_normalised_in_one_pass(monkeypatch) -> None:
    from ic2analysis import forked

    made = []
    monkeypatch.setattr(columns, "Forked", lambda *a, **k: made.append(a) or forked.Forked(*a))
    monkeypatch.setattr(columns, "PARALLEL_MIN_ROWS", 100)
    monkeypatch.setenv("IC2_JOBS", "2")
    frame = read.read_all(read.discover()).drop(columns=["_file", "_row"])
    cols = {c: frame[c].tolist() for c in frame.columns}
    cols["_file"], cols["_row"] = ["m.csv"] * len(frame), list(range(2, len(frame) + 2))
    monkeypatch.setattr(forked, "MAX_ITEMS", len(frame) - 1)
    columns.normalise(cols, len(frame))
    assert made == []
    monkeypatch.setattr(forked, "MAX_ITEMS", len(frame))
    columns.normalise(cols, len(frame))
    assert len(made) == 1
