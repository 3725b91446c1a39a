"""The mapping itself (data/raw) meets the collection targets of the project."""

import re

import pandas as pd
import pytest

from ic2analysis.cleaning import clean, read
from ic2analysis.cleaning.template import KINDS


@pytest.fixture(scope="module")
def result():
    return clean.clean()


@pytest.fixture(scope="module")
def raw():
    return read.read_all(read.discover())


def test_nothing_is_rejected_in_the_repository_mapping(result):
    assert result.counts["rejected"] == 0


def test_at_least_320_distinct_items(result):
    t = result.table
    assert len(t) >= 320
    assert (t["region"] == "Europe").sum() >= 160
    assert (t["region"] == "China").sum() >= 160


def test_europe_covers_eu_level_and_15_countries(result):
    eu = result.table[result.table["region"] == "Europe"]
    assert eu["country_code"].isin(["EU", "INT"]).sum() >= 60
    countries = set(eu["country_code"]) - {"EU", "INT", ""}
    assert len(countries) >= 15, sorted(countries)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_has_40_items_and_15_per_region(result, kind):
    t = result.table[result.table["kind"] == kind]
    assert len(t) >= 40
    assert (t["region"] == "Europe").sum() >= 15 and (t["region"] == "China").sum() >= 15


def test_every_raw_row_has_a_url_and_a_description_of_40_to_120_words(raw):
    assert raw["source_url"].str.match(r"^https?://\S+$").all()
    words = raw["description"].str.split().str.len()
    bad = raw.loc[(words < 40) | (words > 120), ["_file", "_row"]]
    assert bad.empty, bad.to_string()


def test_ids_are_unique_within_each_desk(raw):
    dup = raw[raw.duplicated(["_file", "id"], keep=False)]
    assert dup.empty, dup[["_file", "_row", "id"]].to_string()


def test_every_item_codes_its_perspectives_and_subtype(result):
    assert (result.table["perspective_primary"] != "").all()
    assert (result.table["subtype"] != "").all()


def test_china_desk_carries_the_conventions_of_chinese_sources(raw):
    cn = raw[raw["_file"].str.endswith("china_desk.xlsx")]
    assert cn["date_start"].str.contains("年").sum() > 50
    assert cn["date_start"].str.contains("—").sum() > 5
    assert cn["doc_no"].str.contains("〔").sum() > 20
    assert cn["scale"].str.contains(r"[亿万]元").sum() > 5
    assert set(cn["kind"]) <= {"政策", "计划", "标准", "行动"}
    assert cn["status"].isin(["试行", "暂行", "现行"]).sum() > 10
    assert cn["title_local"].str.contains(r"[\u4e00-\u9fff]").sum() > 100


def test_descriptions_are_not_templated(raw):
    """Descriptions are written per item: no two share their first eight words."""
    starts = raw["description"].map(lambda d: " ".join(d.split()[:8]).lower())
    assert starts.duplicated().sum() == 0


def test_both_desks_report_shared_items(result):
    both = result.table["sources"].map(lambda s: len(set(re.findall(r"[\w.]+(?=:)", s))))
    assert (both >= 2).sum() >= 4


def test_summary_counts_by_region_and_kind(result):
    tab = pd.crosstab(result.table["region"], result.table["kind"])
    assert tab.values.min() >= 15
