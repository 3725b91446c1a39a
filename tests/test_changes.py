"""make diff: items added, removed and changed since a revision, field by field."""

import pandas as pd
import pytest

from ic2analysis import cli, paths
from ic2analysis.analysis import changes


def frame(rows):
    return pd.DataFrame(rows, columns=["id", "title", "year_start"])


def test_compare_lists_added_removed_and_changed_fields():
    before = frame([["A-1", "Old title", "2016"], ["A-2", "Gone", "2017"], ["A-3", "Same", ""]])
    after = frame([["A-1", "New title", "2015"], ["A-3", "Same", ""], ["A-4", "Fresh", "2020"]])
    table = changes.compare(before, after)
    assert table.values.tolist() == [
        ["A-4", "added", "", "", "Fresh"],
        ["A-2", "removed", "", "Gone", ""],
        ["A-1", "changed", "title", "Old title", "New title"],
        ["A-1", "changed", "year_start", "2016", "2015"],
    ]
    assert changes.summary(table) == {
        "added": 1,
        "removed": 1,
        "changed_items": 1,
        "changed_fields": 2,
    }


def test_new_and_dropped_columns_are_listed():
    before = frame([["A-1", "T", "2016"]])
    after = before.drop(columns=["year_start"]).assign(source_type="issuer")
    kinds = changes.compare(before, after)[["change", "field"]].values.tolist()
    assert kinds == [["field added", "source_type"], ["field removed", "year_start"]]


@pytest.mark.parametrize("rev", ["$(touch x)", "-h", "a;b", "HEAD..main", "", "a b"])
def test_revisions_that_are_not_names_are_refused(rev):
    with pytest.raises(ValueError, match="expected a git tag, branch or commit id"):
        changes.at_revision(rev)


def test_diff_against_head_writes_the_table_and_both_pages(out_dir, monkeypatch):
    monkeypatch.setenv("IC2_FROM", "HEAD")
    assert cli.main(["diff"]) == 0
    rp = paths.run_paths("")
    table = pd.read_csv(rp.tables / "changes.csv", dtype=str, keep_default_na=False)
    assert list(table.columns) == changes.COLUMNS
    for page in ("changes.html", "changes.zh.html"):
        assert "HEAD" in (rp.reports / page).read_text(encoding="utf-8")
    monkeypatch.setenv("IC2_FROM", "no-such-release")
    assert cli.main(["diff"]) == 2
    monkeypatch.setenv("IC2_FROM", "")
    assert cli.main(["diff"]) == 2
