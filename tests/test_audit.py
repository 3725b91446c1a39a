"""Audit columns, the verification log and the audit targets of issues #11 and #12.

The targets are computed from the committed data. Those the audit has not reached yet are
marked ``xfail(strict=True)``: they fail today, and the day a target is met the XPASS turns
the run red, so the marker must then be removed (the test can never pass silently).
"""

import csv
import re

import pandas as pd
import pytest

from ic2analysis import files
from ic2analysis.cleaning import clean, read, verification
from ic2analysis.cleaning.parse import bodies
from ic2analysis.errors import MappingError

AUDIT = pytest.mark.xfail(
    strict=True,
    reason="China desk: the stored copies hold too few issuer or scholarly pages (see #11)",
)
HEAD = "id,title,region,kind,year,description,source_url"


@pytest.fixture(scope="module")
def result():
    return clean.clean()


def _mapping(tmp_path, extra_head, extra):
    p = tmp_path / "m.csv"
    p.write_text(
        f"{HEAD},{extra_head}\nA1,T,China,policy,2016,d,https://x.org,{extra}\n", encoding="utf-8"
    )
    return p


def test_bilingual_audit_headers_are_carried_to_the_processed_table(tmp_path):
    head = (
        "来源类型 Source type,备注 Notes,牵头单位中文名 Lead body (Chinese),金额范围 Amount scope"
    )
    p = _mapping(
        tmp_path, f"{head},jurisdiction", "issuer,seen on gov.cn,国务院,total,北京市、天津市、Hebei"
    )
    item = clean.clean([p]).table.iloc[0]
    assert (item["source_type"], item["notes"]) == ("issuer", "seen on gov.cn")
    assert (item["lead_body_local"], item["amount_scope"]) == ("国务院", "total")
    assert item["jurisdiction"] == "Beijing;Tianjin;Hebei" and item["country_code"] == "CN-BJ"


@pytest.mark.parametrize(
    "head, value, column",
    [("source_type", "blog", "source_type"), ("amount_scope", "sometimes", "amount_scope")],
)
def test_audit_vocabularies_are_validated(tmp_path, head, value, column):
    r = clean.clean([_mapping(tmp_path, head, value)])
    rej = r.log[r.log["outcome"] == "rejected"].iloc[0]
    assert rej["column"] == column and value in rej["reason"]


def test_an_unknown_place_among_several_is_rejected(tmp_path):
    r = clean.clean([_mapping(tmp_path, "jurisdiction", "北京市、Atlantis")])
    assert r.counts["rejected"] == 1 and "Atlantis" in r.log["reason"].iloc[0]


def test_warnings_are_logged_with_file_row_column_and_value(tmp_path):
    p = _mapping(tmp_path, "scale", "PLN 104-105 million")
    r = clean.clean([p])
    assert r.counts["kept"] == 1 and r.counts["warnings"] == 1
    w = r.warnings().iloc[0]
    assert (w["row"], w["column"], w["value"]) == (2, "scale", "PLN 104-105 million")
    assert "m.csv, row 2, column 'scale': expected a single figure" in w["reason"]
    assert pd.isna(r.table.iloc[0]["amount"])


def test_cleaning_summary_counts_rejections_and_warnings(tmp_path, out_dir):
    p = tmp_path / "m.csv"
    p.write_text(
        f"{HEAD},scale\nA1,T,China,policy,2016,d,https://x.org,PLN 1-2 million\n"
        "A2,T2,Mars,policy,2016,d,https://x.org,\n",
        encoding="utf-8",
    )
    from ic2analysis import paths

    run = paths.run_paths("")
    clean.run([str(p)], 92, run)
    summary = pd.read_csv(run.tables / "cleaning_summary.csv")
    assert (run.tables / "audit_summary.csv").exists()
    total = summary.set_index("file").loc["total"]
    assert (total["raw"], total["kept"], total["rejected"], total["warnings"]) == (2, 1, 1, 1)


@pytest.mark.parametrize(
    "cell, problem",
    [
        ("INSERM (coordinator)", "role"),
        ("Charles University, with IMTM Olomouc as partner", "partners"),
        ("Ministry of Health (since 2018)", "year"),
        ("Genomics England, supported by NHS England", "partners"),
        ("Centre for Genomics (head: Prof. A. Smith)", "role"),
        ("国家卫生健康委 National Health Commission", "mixed"),
        ("Council of the EU, adopted 2015-12-07", "date"),
    ],
)
def test_lead_body_checker_finds_notes(cell, problem):
    assert any(problem in p for p in bodies.lead_body_problems(cell))


@pytest.mark.parametrize(
    "cell",
    [
        "European Commission",
        "State Council; National Health Commission",
        "国务院办公厅",
        "",
        "Horizon 2020 Societal Challenge 1 Advisory Group",
        "CAS-MPG Partner Institute for Computational Biology",
        "State Secretariat for Education, Research and Innovation",
    ],
)
def test_lead_body_checker_accepts_names(cell):
    assert bodies.lead_body_problems(cell) == []


def _log(tmp_path, rows):
    p = tmp_path / "verification.csv"
    pd.DataFrame(rows, columns=["id", "field", "value", "verdict", "evidence_url", "note"]).to_csv(
        p, index=False
    )
    return p


def _items():
    return pd.DataFrame(
        {"id": ["C1", "C2", "E1"], "region": ["China", "China", "Europe"],
         "source_type": ["issuer", "mirror", ""]}
    )  # fmt: skip


def test_verification_log_is_validated(tmp_path):
    ok = [("C1", f, "v", "confirmed", "https://gov.cn/x", "") for f in verification.KEY_FIELDS]
    log = verification.load(_items(), _log(tmp_path, ok))
    assert verification.key_fields_confirmed(_items(), log).to_dict() == {
        "China": 0.5,
        "Europe": 0.0,
    }
    with pytest.raises(MappingError, match=r"row 2, column 'id'.*processed table; got 'X9'"):
        verification.load(_items(), _log(tmp_path, [("X9", "title", "v", "confirmed", "", "")]))
    with pytest.raises(Exception, match="verdict"):
        verification.load(_items(), _log(tmp_path, [("C1", "title", "v", "maybe", "", "")]))
    with pytest.raises(Exception, match="evidence_url"):
        verification.load(
            _items(), _log(tmp_path, [("C1", "title", "v", "confirmed", "ftp://x", "")])
        )


def test_audit_summary_per_region(tmp_path):
    ok = [("C1", f, "v", "corrected", "https://gov.cn/x", "") for f in verification.KEY_FIELDS]
    log = verification.load(_items(), _log(tmp_path, ok))
    s = verification.summary(_items(), log).set_index("region")
    assert s.loc["China"].to_dict() == {
        "items": 2, "issuer": 0.5, "scholarly": 0.0, "official-media": 0.0, "secondary": 0.0,
        "mirror": 0.5, "unclassified": 0.0, "issuer_or_scholarly": 0.5,
        "in_verification_log": 0.5, "key_fields_checked": 0.5, "key_fields_checked_items": 1,
    }  # fmt: skip
    assert verification.summary(_items(), None).loc[1, "in_verification_log"] == 0.0


def test_source_type_shares_per_region():
    shares = verification.source_type_shares(_items())
    assert shares.loc["China", "issuer"] == 0.5 and shares.loc["China", "mirror"] == 0.5
    assert shares.loc["Europe", ""] == 1.0


def test_written_csv_cells_cannot_run_as_formulas(tmp_path):
    frame = pd.DataFrame(
        {"text": ["=HYPERLINK(\"http://x\")", "+1+1", "-cmd", "@SUM(A1)", "\tx", "\rx", "ok", "-5"],
         "n": [1, 2, 3, 4, 5, 6, 7, -8]}
    )  # fmt: skip
    files.write_csv(tmp_path / "t.csv", frame)
    with (tmp_path / "t.csv").open(newline="", encoding="utf-8") as fh:
        text, n = zip(*list(csv.reader(fh))[1:], strict=True)
    assert list(text[:5]) == ["'" + v for v in frame["text"][:5]]
    assert text[5] == "'\nx"  # a bare CR would split the row: line breaks are written as LF
    assert list(text[6:]) == ["ok", "-5"] and n[-1] == "-8"


# Scale words and the smallest figure each one implies, to check the processed amounts.
_SCALES = {
    r"\bbillion\b|\bbn\b|\bmrd\b|亿|億": 1e8,
    r"\bmillion\b|\bmio\b|\bmn\b|\d\s?m\b|百万|千万": 1e6,
    r"万|萬": 1e4,
}


def test_processed_amounts_keep_the_unit_their_raw_text_states(result):
    """#12 target: no amount whose raw text says million/billion/亿/万 lost that unit."""
    raw = read.read_all(read.discover()).set_index("id")
    bad = []
    for item in result.table.dropna(subset=["amount"]).itertuples():
        cells = [c for c in ("budget", "scale") if c in raw.columns]
        text = " ".join(raw.loc[[item.id], cells].iloc[0]).lower()
        implied = [v for pat, v in _SCALES.items() if re.search(pat, text)]
        if implied and item.amount < min(implied):
            bad.append((item.id, text, item.amount))
        if item.currency not in _currency_words(text):
            bad.append((item.id, text, item.currency))
    assert not bad, bad


def _currency_words(text: str) -> set[str]:
    from ic2analysis.cleaning.parse.amounts import CURRENCIES

    found = {code for word, code in CURRENCIES.items() if word in text}
    return found | ({"JPY"} if "jpy" in text else set())


def _china(result):
    return result.table[result.table["region"] == "China"]


def _europe(result):
    return result.table[result.table["region"] == "Europe"]


@AUDIT
def test_china_sources_are_mostly_issuer_or_scholarly(result):
    s = verification.source_type_shares(result.table).loc["China"]
    assert s["issuer"] + s["scholarly"] >= 0.70 and s["mirror"] <= 0.05


def test_europe_sources_are_mostly_issuer_or_scholarly(result):
    s = verification.source_type_shares(result.table).loc["Europe"]
    assert s["issuer"] + s["scholarly"] >= 0.90 and s["mirror"] <= 0.02


def test_no_notes_inside_lead_body(result):
    bad = {
        r.id: p for r in result.table.itertuples() if (p := bodies.lead_body_problems(r.lead_body))
    }
    assert not bad, bad


def test_every_item_has_verification_rows_and_key_fields_confirmed(result):
    log = verification.load(result.table)
    assert verification.coverage(result.table, log).min() == 1.0
    assert verification.key_fields_confirmed(result.table, log).min() >= 0.90


def test_local_body_names_are_aligned_with_the_english_ones(result):
    """lead_body_local lists the same bodies in the same order (an unknown name: empty slot)."""
    t = result.table[result.table["lead_body_local"].fillna("").str.strip() != ""]
    n_en = t["lead_body"].str.split(";").str.len()
    n_local = t["lead_body_local"].str.split(";").str.len()
    assert len(t) > 100 and (n_en == n_local).all(), t.loc[n_en != n_local, "id"].tolist()
