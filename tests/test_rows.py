"""Row-level reading: date_order end to end, places outside the region, shared script rules."""

import pytest

from ic2analysis import text
from ic2analysis.cleaning import clean
from ic2analysis.cleaning.parse import places

HEAD = "id,title,region,kind,year,description,source_url,jurisdiction\n"


def _file(tmp_path, body):
    p = tmp_path / "m.csv"
    p.write_text(HEAD + body, encoding="utf-8")
    return p


def test_ambiguous_date_is_rejected_unless_date_order_says_how_to_read_it(tmp_path):
    p = _file(tmp_path, "A1,T,Europe,policy,11/7/2016,d,https://x.org,Germany\n")
    rejected = clean.clean([p])
    assert rejected.counts["rejected"] == 1 and "date_order" in rejected.log["reason"].iloc[0]
    read = clean.clean([p], date_order="dmy")
    assert read.table.iloc[0]["date_start"] == "2016-07-11"
    assert read.counts["warnings"] == 1 and "date_order=dmy" in read.warnings()["reason"][0]


def test_a_place_outside_the_items_region_is_a_warning(tmp_path):
    p = _file(tmp_path, "A1,T,Europe,policy,2016,d,https://x.org,上海市\n")
    r = clean.clean([p])
    assert r.counts["kept"] == 1
    assert "for a Europe item" in r.warnings()["reason"][0]


@pytest.mark.parametrize("codes", [["EU"], ["INT"], ["DE"]])
def test_european_places_for_a_europe_item(codes):
    assert places.scope_warning("Europe", codes) == ""


def test_shared_script_rules():
    assert text.has_cjk("精准医疗 plan") and not text.has_cjk("Präzisionsmedizin")
    assert text.simplified("國家基因庫") == "国家基因库"
    assert text.fold("ＡＢＣ\u200b  １２") == "ABC 12"
