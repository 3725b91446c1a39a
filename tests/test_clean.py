import hashlib

import openpyxl
import pandas as pd
import pytest

from ic2analysis import paths
from ic2analysis.cleaning import clean
from ic2analysis.errors import MappingError

COLS = "id,title,region,kind,year,description,source_url,budget,status,jurisdiction,lead_body\n"


def write(tmp_path, body, name="m.csv"):
    p = tmp_path / name
    p.write_text(COLS + body, encoding="utf-8")
    return p


def test_minimal_template_is_enough(minimal_csv):
    r = clean.clean([minimal_csv])
    assert r.counts == {"raw": 2, "kept": 2, "merged": 0, "rejected": 0, "warnings": 0}
    assert set(r.table["region"]) == {"Europe", "China"}
    assert r.table["id"].tolist() == ["minimal-2", "minimal-3"]  # generated from file and row


def test_minimal_template_as_xlsx(tmp_path, minimal_csv):
    rows = pd.read_csv(minimal_csv)
    p = tmp_path / "minimal.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(rows.columns))
    for r in rows.itertuples(index=False):
        ws.append(list(r))
    wb.save(p)
    assert clean.clean([p]).counts["kept"] == 2


def test_normalisation_end_to_end(tmp_path):
    p = write(
        tmp_path,
        "A1,《精準醫療》指南（试行）,中国,政策,2016年6月21日,d,https://x.org,6.4亿元,,"
        "广东省深圳市,卫生部\n",
    )
    row = clean.clean([p]).table.iloc[0]
    assert row["date_start"] == "2016-06-21" and row["date_precision"] == "day"
    assert row["year_start"] == 2016 and row["status"] == "trial"
    assert row["amount"] == 6.4e8 and row["currency"] == "CNY"
    assert row["country_code"] == "CN-GD" and row["jurisdiction"] == "Shenzhen"
    assert row["lead_body"] == "卫生部"
    assert row["lead_body_canonical"] == "National Health Commission (NHC)"
    assert row["title"] == "《精準醫療》指南(试行)"


@pytest.mark.parametrize(
    "body, column, expected",
    [
        ("A1,T,Europe,polcy,2016,d,https://x,,,,\n", "kind", "policy, programme, standard"),
        ("A1,T,Mars,policy,2016,d,https://x,,,,\n", "region", "Europe, China"),
        ("A1,T,Europe,policy,June-ish 2016,d,https://x,,,,\n", "year", "2016年6月21日"),
        ("A1,T,Europe,policy,2016,d,ftp://x,,,,\n", "source_url", "http"),
        ("A1,T,Europe,policy,2016,,https://x,,,,\n", "description", "required"),
        ("A1,T,Europe,policy,2016,d,https://x,,perhaps,,\n", "status", "status"),
        ("A1,T,Europe,policy,2016,d,https://x,,,Atlantis,\n", "jurisdiction", "province or city"),
    ],
)
def test_bad_rows_are_rejected_with_file_row_column(tmp_path, body, column, expected):
    p = write(tmp_path, "A0,Fine,Europe,policy,2015,d,https://ok.org,,,,\n" + body)
    r = clean.clean([p])
    assert r.counts == {"raw": 2, "kept": 1, "merged": 0, "rejected": 1, "warnings": 0}
    rej = r.log[r.log["outcome"] == "rejected"].iloc[0]
    assert rej["column"] == column and rej["row"] == 3
    assert rej["reason"].startswith(f"{paths.rel_to_root(p)}, row 3, column '{column}': expected")
    assert expected in rej["reason"]


def test_duplicate_ids_within_a_source_are_rejected(tmp_path):
    p = write(
        tmp_path,
        "A1,One,Europe,policy,2015,d,https://a,,,,\nA1,Two,Europe,policy,2016,d,https://b,,,,\n",
    )
    r = clean.clean([p])
    rej = r.log[r.log["outcome"] == "rejected"].iloc[0]
    assert rej["column"] == "id" and "already used at row 2" in rej["reason"]


def test_duplicates_are_merged_across_files_with_both_sources(tmp_path):
    eu = write(
        tmp_path,
        "E1,International Consortium for Personalised Medicine,Europe,initiative,"
        "2016,d,https://eu,,,EU,\n",
        "eu.csv",
    )
    cn = write(
        tmp_path,
        "C1,International Consortium for Personalised Medicine (ICPerMed),China,"
        "initiative,2016,d2,https://cn,,,,\n",
        "cn.csv",
    )
    r = clean.clean([eu, cn])
    assert r.counts == {"raw": 2, "kept": 1, "merged": 1, "rejected": 0, "warnings": 0}
    item = r.table.iloc[0]
    assert item["n_sources"] == 2 and item["regions_reported"] == "China;Europe"
    assert "eu.csv:2" in item["sources"] and "cn.csv:2" in item["sources"]


def test_titles_with_different_codes_are_not_merged(tmp_path):
    p = write(
        tmp_path,
        "S1,GB/T 39766-2021 Management specification for human biobank,China,"
        "standard,2021,d,https://a,,,,\n"
        "S2,GB/T 39767-2021 Management specification for human biomaterial,China,"
        "standard,2021,d,https://b,,,,\n",
    )
    assert clean.clean([p], dedupe_threshold=80).counts["merged"] == 0


def test_fuzzy_threshold_is_a_parameter(tmp_path):
    p = write(
        tmp_path,
        "X1,National strategy for genomic medicine,Europe,policy,2019,d,https://a,,,,\n"
        "X2,National strategy on genomic medicine,Europe,policy,2019,d,https://b,,,,\n",
    )
    assert clean.clean([p], dedupe_threshold=85).counts["merged"] == 1
    assert clean.clean([p], dedupe_threshold=99).counts["merged"] == 0


def test_failed_run_leaves_processed_untouched(tmp_path, out_dir, minimal_csv):
    run = paths.run_paths("")
    clean.run([str(minimal_csv)], 92, run)
    before = hashlib.sha256(run.initiatives.read_bytes()).hexdigest()
    bad = tmp_path / "bad.csv"
    bad.write_text("title,region\nA,Europe\n", encoding="utf-8")
    with pytest.raises(MappingError, match="required column"):
        clean.run([str(bad)], 92, run)
    assert hashlib.sha256(run.initiatives.read_bytes()).hexdigest() == before
    assert not list(run.processed.glob(".*.tmp"))


def test_raw_files_are_never_modified(out_dir):
    raw = sorted(paths.RAW.iterdir())
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in raw}
    clean.run([], 92, paths.run_paths(""))
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in raw}
    assert before == after


def test_repository_mapping_accounts_for_every_row():
    r = clean.clean()
    c = r.counts
    assert c["raw"] == c["kept"] + c["merged"] + c["rejected"]
    assert c["kept"] == len(r.table) and r.table["id"].is_unique
    # items both desks report are merged, with both desks' rows as sources
    by_id = r.table.set_index("id")
    both_desks = {
        i for i, s in by_id["sources"].items() if "china_desk.xlsx" in s and "europe_desk.csv" in s
    }
    # IC2PerMed, Sino-EU PerMed, ERA PerMed, the EU-China co-funding mechanism
    assert both_desks == {"CNPM-141", "EUPM-079", "EUPM-009", "CNPM-139"}
    assert by_id.loc["CNPM-086", "n_sources"] == 2  # GeneBank, twice in the China desk
    # a Chinese item also reported by the Europe desk keeps both regions
    assert by_id.loc["CNPM-139", "regions_reported"] == "China;Europe"


def test_processed_table_round_trips_through_the_schema(out_dir, minimal_csv):
    run = paths.run_paths("")
    written = clean.run([str(minimal_csv)], 92, run).table
    pd.testing.assert_frame_equal(clean.load(run), written)


def test_the_documented_minimal_example_runs():
    r = clean.clean([paths.ROOT / "examples" / "minimal_mapping.csv"])
    assert r.counts == {"raw": 4, "kept": 4, "merged": 0, "rejected": 0, "warnings": 0}
    assert r.table["perspective_primary"].eq("").all()  # no expert coding in the template


def test_identical_titles_group_like_all_pairs_without_comparing_all_pairs():
    from itertools import combinations

    from ic2analysis.cleaning import dedupe

    years = [2010, 2011, 2015, None, 2016, 2030, 2031, 2012]
    n = len(years)
    fast = dedupe.groups(n, dedupe.find_matches(["same"] * n, [""] * n, [""] * n, years))
    slow_pairs = [
        dedupe.Match(a, b, 100, "x")
        for a, b in combinations(range(n), 2)
        if dedupe._years_compatible(years[a], years[b], 1)
    ]
    assert fast == dedupe.groups(n, slow_pairs)
    # without the undated row, far-apart years stay apart
    y2 = [2010, 2011, 2015, 2016]
    assert dedupe.groups(4, dedupe.find_matches(["t"] * 4, [""] * 4, [""] * 4, y2)) == [
        [0, 1],
        [2, 3],
    ]


def test_same_generic_local_title_with_different_numbers_is_not_merged(tmp_path):
    p = tmp_path / "pilots.csv"
    p.write_text(
        "title,title_local,region,kind,year,description,source_url\n"
        "Beijing LDT pilot (No.101),医疗机构自行研制体外诊断试剂试点,China,policy,2022,d,https://a\n"
        "Shanghai LDT pilot (No.55),医疗机构自行研制体外诊断试剂试点,China,policy,2023,d,https://b\n",
        encoding="utf-8",
    )
    assert clean.clean([p]).counts["merged"] == 0


def test_a_mapping_whose_every_row_is_rejected_stops_with_the_reasons(tmp_path, out_dir):
    """Not a pandas TypeError inside notebook 01: the file, the count and the first reason."""
    f = tmp_path / "m.csv"
    head = "title,region,kind,year,description,source_url\n"
    f.write_text(head + "Plan,Europe,policy,11/7/2016,A plan.,https://x.org\n", encoding="utf-8")
    with pytest.raises(MappingError, match=r"all 1 row\(s\) were rejected .*row 2, column 'year'"):
        clean.run([str(f)], 92, paths.run_paths("allrejected"))
    assert not (out_dir / "runs" / "allrejected" / "tables").exists()


def test_notebook_01_findings_are_written_from_the_counts():
    from ic2analysis.cleaning import summary

    result = clean.clean(dedupe_threshold=92)
    lines = summary.findings(result)
    c = result.counts
    assert lines[0].startswith(f"{c['raw']} raw rows were read: {c['kept']} items kept")
    n_china = int((result.table["region"] == "China").sum())
    assert f"China {n_china}" in lines[1]


def test_schema_patterns_reject_each_bad_value_like_a_row_by_row_match():
    import pandera.errors
    import pandera.pandas as pa

    from ic2analysis.cleaning.schema import SCHEMA

    table = clean.clean().table
    check = next(c for c in SCHEMA.columns["country_code"].checks if c.name == "str_matches")
    values = pd.Series(["DE", "CN-BJ", "de", "", "INT", "DE", "EUR", None], dtype=object)
    builtin = pa.Check.str_matches(check.statistics["pattern"])  # row by row, in pandas
    assert check(values).check_output.tolist() == builtin(values).check_output.tolist()
    assert check(values).check_output.tolist()[2:4] == [False, True]  # 'de' fails, '' passes
    bad = table.copy()
    bad.loc[3, "country_code"] = "Germany"
    with pytest.raises(pandera.errors.SchemaError, match="country_code"):
        SCHEMA.validate(bad)
