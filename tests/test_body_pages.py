"""A catalogue page per body, both languages, linked from items (issue #20)."""

from __future__ import annotations

import pandas as pd
import pytest

from ic2analysis import paths
from ic2analysis.reporting import figures

CATALOGUE = paths.REPORTS / "catalogue"


@pytest.mark.parametrize("lang, suffix", [("en", ".html"), ("zh", ".zh.html")])
def test_body_page_shows_names_items_topics_and_counterparts(lang, suffix):
    page = (CATALOGUE / f"body-B-CN-NHC{suffix}").read_text(encoding="utf-8")
    assert "National Health Commission" in page and "国家卫生健康委员会" in page
    assert "body-B-CN-NHFPC" in page  # its predecessor, linked
    assert "index" in page and "#CNPM-" in page  # items it leads, linked to the catalogue
    assert "body-B-IT-MOH" in page  # a counterpart, linked


def test_renamed_body_page_points_to_today_s_body():
    page = (CATALOGUE / "body-B-CN-MOH.html").read_text(encoding="utf-8")
    assert "body-B-CN-NHFPC.html" in page and "from 2013" in page


def test_items_link_to_their_bodies():
    index = (CATALOGUE / "index.html").read_text(encoding="utf-8")
    assert 'href="body-B-EU-EMA.html"' in index
    zh = (CATALOGUE / "index.zh.html").read_text(encoding="utf-8")
    assert 'href="body-B-EU-EMA.zh.html"' in zh


def test_every_body_that_leads_an_item_has_pages():
    items = pd.read_csv(paths.PROCESSED / "initiatives.csv", dtype=str, keep_default_na=False)
    ids = {b for cell in items["lead_body_ids"] for b in cell.split(";") if b}
    missing = [b for b in ids if not (CATALOGUE / f"body-{b}.zh.html").exists()]
    assert missing == []


def test_counterpart_map_figure_is_byte_stable(tmp_path):
    tables = paths.REPORTS / "tables"
    pairs = pd.read_csv(tables / "body_counterparts.csv")
    prof = pd.read_csv(tables / "body_profiles.csv", keep_default_na=False)
    figures.set_theme()
    figures.save(figures.counterpart_map(pairs, prof), "a", tmp_path)
    figures.save(figures.counterpart_map(pairs, prof), "b", tmp_path)
    for ext in ("png", "svg"):
        assert (tmp_path / f"a.{ext}").read_bytes() == (tmp_path / f"b.{ext}").read_bytes()


def _reference_view(bid, reg, data, views, lang):
    """What a body page showed when each page filtered the tables itself (the slow way)."""
    prof = data["body_profiles"]
    prof = prof[prof["body_id"] == bid]
    items = data["items"]
    direct = items.loc[items["lead_body_ids"].str.split(";").apply(lambda x: bid in x), "id"]
    acted = prof["item_ids"].iloc[0].split(";") if len(prof) else []
    pairs = data["body_counterparts"]
    mine = pairs[(pairs["europe_id"] == bid) | (pairs["china_id"] == bid)].head(5)
    others = [p.china_id if p.europe_id == bid else p.europe_id for p in mine.itertuples()]
    topics = prof["topics"].iloc[0].split("; ") if len(prof) and prof["topics"].iloc[0] else []
    return {
        "items": [i for i in sorted(set(acted) | set(direct)) if i in views],
        "counterparts": others,
        "scores": [f"{float(s):.2f}" for s in mine["score"]],
        "topics": topics,
        "kinds": prof["kinds"].iloc[0] if len(prof) else "",
    }


def test_body_views_from_shared_lookups_equal_filtering_each_table():
    from ic2analysis.cleaning import bodies_register
    from ic2analysis.reporting import body_pages, catalogue, report

    data = report.read(paths.RunPaths("", paths.REPORTS, paths.PROCESSED))  # the committed run
    reg = bodies_register.register()
    used = {b for cell in data["items"]["lead_body_ids"] for b in cell.split(";") if b}
    used |= {reg.current(b) for b in used}
    views = catalogue.views(data, "en")
    look = body_pages.lookups(data)
    with_pairs = 0
    for bid in sorted(used):
        got = body_pages.body_view(bid, reg, data, views, "en", look)
        want = _reference_view(bid, reg, data, views, "en")
        assert [i["id"] for i in got["items"]] == want["items"], bid
        assert [c["href"] for c in got["counterparts"]] == [
            body_pages.href(b, "en") for b in want["counterparts"]
        ], bid
        assert [c["score"] for c in got["counterparts"]] == want["scores"], bid
        assert (got["topics"], got["kinds"]) == (want["topics"], want["kinds"]), bid
        assert got == body_pages.body_view(bid, reg, data, views, "en"), bid
        with_pairs += bool(want["counterparts"])
    assert with_pairs > 10  # the check covered bodies with counterparts, not only empty ones
