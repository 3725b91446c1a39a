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
