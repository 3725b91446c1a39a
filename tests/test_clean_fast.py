"""The fast cleaning path (cells folded once per distinct value) gives exactly what the
row-by-row path gives: the same items, warnings and rejections, on the repository's data and
on generated rows that include every kind of bad cell."""

from __future__ import annotations

import itertools
import random

import pandas as pd
import pytest

from ic2analysis.cleaning import read, rows
from ic2analysis.text import fold

BAD_CELLS = {
    "id": ["", "x-1", "bad id!", " x-1 ", "ｉｄ－２"],
    "title": ["", "   ", "Genome\u200b Plan (GP)", "精準醫療計劃", "ＡＢＣ - Test", "A\tB\n C"],
    "title_local": ["", "精准医疗", "  ", "\ufeff基因"],
    "region": ["Europe", "China", "", "europe", "Mars", " China "],
    "kind": ["policy", "programme", "", "unknown", "Policy "],
    "date_start": ["2016", "", "11/7/2016", "2016-02-30", "2016年6月", "2030-2016", "soon"],
    "date_end": ["", "2020", "2010", "bad"],
    "description": ["", "  ", "A description.", "全角　スペース", "x" * 300],
    "source_url": ["https://e.eu/x", "", "not a url", "ftp://x", " https://e.eu "],
    "budget": ["", "EUR 10 million", "EUR 1.000", "PLN 104-105 million", "5000萬元", "12"],
    "scale": ["", "  ", "€1,5 Mio.", "large"],
    "jurisdiction": ["", "DE", "Germany;France", "Beijing", "Atlantis"],
    "lead_body": ["", "INSERM (coordinator)", "Ministry of Health", "NHFPC Bureau"],
    "lead_body_local": ["", "国家卫健委"],
    "acronym": ["", "GP", "  "],
    "keywords": ["", "genomics; data", "  a  b "],
    "notes": ["", "note", "\u200b"],
    "perspectives": ["", "research", "unknown-perspective"],
    "status": ["", "active", "closed", "??"],
    "amount_scope": ["", "total", "nonsense"],
    "source_type": ["", "official", "blog?"],
    "doc_no": ["", "国发〔2016〕1号"],
}


def _outcome(rec: dict, folded: dict | None) -> tuple:
    try:
        return ("ok", *rows.normalise_row(rec, "dmy", folded))
    except rows.Reject as rej:
        return ("reject", rej.column, rej.expected, rej.got)


def _same_both_ways(frame: pd.DataFrame) -> int:
    records = frame.to_dict("records")
    cols = {c: frame[c].tolist() for c in frame.columns if c in rows.FOLDED}
    folded = rows.folded_cells(cols, len(records))
    for rec, cells in zip(records, folded, strict=True):
        assert _outcome(rec, cells) == _outcome(rec, None), rec
    return len(records)


def test_fast_path_equals_row_by_row_on_the_repository_data() -> None:
    frame = read.read_all(read.discover())
    assert _same_both_ways(frame) == len(frame) > 300


def test_fast_path_equals_row_by_row_on_generated_bad_rows() -> None:
    rng = random.Random(0)
    records = [{c: rng.choice(v) for c, v in BAD_CELLS.items()} for _ in range(3000)]
    frame = pd.DataFrame(records)
    outcomes = [_outcome(r, None)[0] for r in frame.to_dict("records")]
    assert {"ok", "reject"} <= set(outcomes)  # the generated rows reach both outcomes
    assert _same_both_ways(frame) == 3000


@pytest.mark.parametrize("missing", ["title_local", "notes", "id"])
def test_fast_path_with_a_missing_column(missing: str) -> None:
    rng = random.Random(1)
    cols = [c for c in BAD_CELLS if c != missing]
    frame = pd.DataFrame([{c: rng.choice(BAD_CELLS[c]) for c in cols} for _ in range(300)])
    assert _same_both_ways(frame) == 300


def test_folded_cells_once_per_distinct_value(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = rows.fold_many
    monkeypatch.setattr(rows, "fold_many", lambda vs: calls.extend(vs) or real(vs))
    values = list(itertools.islice(itertools.cycle(["a ", "b", "a "]), 999))
    out = list(rows.folded_cells({"title": values}, len(values)))
    assert [o["title"] for o in out[:3]] == ["a", "b", "a"]
    assert calls.count("a ") == 1 and calls.count("b") == 1  # once each, not per row
    assert len(calls) == len(rows.FOLDED) + 1  # one '' for each absent column


@pytest.mark.parametrize(
    "value",
    ["", "a", "a b", " a", "a ", "a  b", "a\tb", "a\nb", "a\x1cb", "a\x01b", "ＡＢＣ", "x\u200by",
     "\u3000a", "a\xa0b", "精準　醫療", "e\u0301", "Zürich", "精准 医疗", "ﬁle", "a\u2028b",
     "Zürich ", "²"],
)  # fmt: skip
def test_fold_many_equals_fold(value: str) -> None:
    assert rows.fold_many([value, value + " z"]) == [fold(value), fold(value + " z")]
    assert (
        rows.folded_columns({"title": [value] * 300 + [str(i) for i in range(300)]}, 600)["title"][
            :300
        ]
        == [fold(value)] * 300
    )
