"""The static site: templates escape every data string, both languages cover every page,
the headline says what the run rejected or could not do, and the bytes are stable."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from ic2analysis import files, paths
from ic2analysis.analysis import notes
from ic2analysis.cleaning import verification
from ic2analysis.reporting import report, site

EVIL = '<script>alert("x")</script> Genomics & Data'
IMG = "<img src=x onerror=alert(1)>"
COLUMNS = [
    "id",
    "region",
    "kind",
    "subtype",
    "title",
    "title_local",
    "year_start",
    "year_end",
    "jurisdiction",
    "lead_body",
    "status",
    "perspectives",
    "source_url",
]


def items_frame(regions=("Europe", "China")) -> pd.DataFrame:
    rows = [
        [
            "EUPM-001",
            "Europe",
            "policy",
            "",
            EVIL,
            "",
            "2016",
            "",
            "EU",
            "European Commission",
            "in force",
            "DATA;HEALTH",
            "javascript:alert(1)",
        ],
        [
            "EUPM-002",
            "Europe",
            "programme",
            "",
            "Budget of $5 million $x$",
            "",
            "2020",
            "2027",
            "EU",
            IMG,
            "",
            "",
            "https://example.org/a?b=1&c=2",
        ],
        [
            "CNPM-001",
            "China",
            "standard",
            "",
            "Genome data standard",
            "基因组数据标准",
            "2019",
            "",
            "national",
            "国家卫生健康委员会",
            "",
            "DATA",
            "data:text/html,<b>x</b>",
        ],
        [
            "CNPM-002",
            "China",
            "initiative",
            "",
            "Cohort",
            "队列",
            "2018",
            "",
            "Beijing",
            "",
            "",
            "",
            "http://example.cn/x",
        ],
    ]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame[frame["region"].isin(regions)].reset_index(drop=True)


def write_run(items: pd.DataFrame, topics: bool = True, extra: dict | None = None):
    rp = paths.run_paths("")
    rp.tables.mkdir(parents=True, exist_ok=True)
    rp.processed.mkdir(parents=True, exist_ok=True)
    items.to_csv(rp.initiatives, index=False)
    log = pd.DataFrame(
        {
            "file": "data/raw/x.csv",
            "row": range(2, len(items) + 4),
            "raw_id": "",
            "title": "",
            "outcome": ["kept"] * len(items) + ["rejected", "rejected"],
            "item_id": "",
            "column": "",
            "reason": "",
        }
    )
    log.to_csv(rp.tables / "cleaning_log.csv", index=False)
    if topics:
        pd.DataFrame(
            {
                "id": items["id"],
                "region": items["region"],
                "title": items["title"],
                "cluster": [i % 2 for i in range(len(items))],
                "label": [
                    f"topic {EVIL}" if i % 2 == 0 else "cohort / data" for i in range(len(items))
                ],
                "distance": 0.5,
                "rank_in_cluster": 1,
            }
        ).to_csv(rp.tables / "clusters.csv", index=False)
        pd.DataFrame(
            {"cluster": [0, 1], "rank": [1, 1], "term": ["genome", "cohort"], "weight": [0.2, 0.1]}
        ).to_csv(rp.tables / "cluster_terms.csv", index=False)
        pd.DataFrame(
            {"metric": ["k", "silhouette", "stability_ari"], "value": [2, 0.1, 0.5], "meaning": ""}
        ).to_csv(rp.tables / "topic_metrics.csv", index=False)
        pd.DataFrame(
            {
                "opportunity_rank": [1],
                "label": ["cohort / data"],
                "similarity": [0.3],
                "europe_id": ["EUPM-002"],
                "europe_title": [IMG],
                "china_id": ["CNPM-002"],
                "china_title": ["队列 & <i>"],
                "shared_terms": ["a"],
            }
        ).to_csv(rp.tables / "pairs.csv", index=False)
    for name, frame in (extra or {}).items():
        frame.to_csv(rp.tables / f"{name}.csv", index=False)
    return rp


class Tags(HTMLParser):
    """Collects inline styles, event handlers and script sources of a page."""

    def __init__(self):
        super().__init__()
        self.bad: list[str] = []
        self.scripts: set[str] = set()

    def handle_starttag(self, tag, attrs):
        names = [a for a, _v in attrs]
        self.bad += [f"{tag} {a}" for a in names if a == "style" or a.startswith("on")]
        if tag == "style":
            self.bad.append("style element")
        if tag == "script":
            src = dict(attrs).get("src")
            self.scripts.add(src) if src else self.bad.append("inline script")


def pages(rp) -> list[Path]:
    return sorted(rp.reports.glob("*.html")) + sorted((rp.reports / "catalogue").glob("*.html"))


def test_every_data_string_is_escaped_and_only_web_urls_link(out_dir):
    rp = write_run(items_frame())
    report.build(rp)
    for page in pages(rp):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text, page.name
        assert not re.search(r'href="(javascript|data):', text), page.name
    cat = (rp.reports / "catalogue" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Genomics &amp; Data" in cat
    assert "javascript:alert(1)</span> (not a web link)" in cat
    assert 'href="https://example.org/a?b=1&amp;c=2"' in cat
    assert 'href="http://example.cn/x"' in cat
    for item_id in items_frame()["id"]:
        assert f'<article class="item" id="{item_id}"' in cat


def test_both_languages_cover_every_page_and_link_to_each_other(out_dir):
    rp = write_run(items_frame())
    report.build(rp)
    found = pages(rp)
    english = [p for p in found if not p.name.endswith(".zh.html")]
    assert len(english) == 4  # index, catalogue, two topic pages
    for page in english:
        zh = page.with_name(page.name.replace(".html", ".zh.html"))
        assert zh.exists(), zh
        assert f'href="{zh.name}"' in page.read_text(encoding="utf-8")
        assert f'href="{page.name}"' in zh.read_text(encoding="utf-8")
    zh_cat = (rp.reports / "catalogue" / "index.zh.html").read_text(encoding="utf-8")
    assert '<span class="t" lang="zh-Hans">基因组数据标准</span>' in zh_cat
    assert "欧洲" in zh_cat and "Catalogue of all items" not in zh_cat


def test_pages_allow_only_their_own_scripts_and_styles(out_dir):
    rp = write_run(items_frame())
    report.build(rp)
    for page in pages(rp):
        text = page.read_text(encoding="utf-8")
        assert "script-src 'self'" in text and "default-src 'none'" in text
        tags = Tags()
        tags.feed(text)
        assert tags.bad == [], page.name
        assert tags.scripts <= {"../assets/filter.js"}, page.name
        assert not re.search(r'(src|href)="(https?:)?//(?!example)', text), page.name


def test_headline_shows_rejected_rows_and_warnings(out_dir):
    summary = pd.DataFrame({"metric": ["rejected", "warnings"], "value": [2, 7]})
    rp = write_run(items_frame(), extra={"cleaning_summary": summary})
    report.build(rp)
    text = (rp.reports / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<div class="card alert">rejected rows<b>2</b>', text)
    assert re.search(r'<div class="card alert">warnings<b>7</b>', text)
    assert 'class="notice"' not in text


def test_headline_says_when_topics_were_skipped_or_one_region_only(out_dir):
    rp = write_run(items_frame(regions=("China",)), topics=False)
    report.build(rp)
    text = (rp.reports / "index.html").read_text(encoding="utf-8")
    assert "Topics were not computed" in text and "Only one region (China)" in text
    zh = (rp.reports / "index.zh.html").read_text(encoding="utf-8")
    assert "未进行主题聚类" in zh and "只有一个地区（中国）" in zh
    assert not list((rp.reports / "catalogue").glob("topic-*"))


def test_headline_reads_a_per_file_cleaning_summary_with_a_total_row(out_dir):
    summary = pd.DataFrame(
        {
            "file": ["data/raw/a.xlsx", "data/raw/b.csv", "total"],
            "raw": [5, 3, 8],
            "kept": [4, 2, 6],
            "merged": [0, 0, 0],
            "rejected": [1, 1, 2],
            "warnings": [3, 1, 4],
        }
    )
    rp = write_run(items_frame(), extra={"cleaning_summary": summary})
    report.build(rp)
    text = (rp.reports / "index.html").read_text(encoding="utf-8")
    assert '<div class="card alert">warnings<b>4</b>' in text
    assert '<div class="card alert">rejected rows<b>2</b>' in text


def test_a_skipped_topic_model_shows_no_placeholder_topic(out_dir):
    rp = write_run(items_frame())
    (rp.tables / "topic_model.json").write_text(
        '{"skipped": true, "why": "4 items, fewer than 8"}', encoding="utf-8"
    )
    report.build(rp)
    text = (rp.reports / "index.html").read_text(encoding="utf-8")
    assert "Topics were not computed" in text and "(4 items, fewer than 8)" in text
    assert not list((rp.reports / "catalogue").glob("topic-*"))
    assert "cohort / data" not in (rp.reports / "catalogue" / "index.html").read_text("utf-8")


def test_headline_says_when_k_range_was_clipped_for_a_small_mapping(out_dir):
    rp = write_run(items_frame())
    note = "k_range [6, 12] clipped to [6, 10]: 20 items support at most 10 topics"
    (rp.tables / "topic_model.json").write_text(
        json.dumps({"k": 6, "why": "", "skipped": "", "notes": [note]}), encoding="utf-8"
    )
    report.build(rp)
    text = (rp.reports / "index.html").read_text(encoding="utf-8")
    assert f"The topics were adapted to this mapping: {note}." in text
    assert "主题分析已按本数据集调整" in (rp.reports / "index.zh.html").read_text("utf-8")


def test_a_saved_note_is_said_in_the_page_s_language(out_dir):
    """The Chinese index says the analysis's notes in Chinese, not in English."""
    rp = write_run(items_frame())
    note = notes.Note("k_clipped", "k_range [6, 12] clipped to [6, 10]", lo=6, hi=12, top=10, n=20)
    model = {
        "k": 6,
        "why": "",
        "skipped": "",
        "notes": [note],
        "said": {"notes": notes.saved([note])},
    }
    (rp.tables / "topic_model.json").write_text(json.dumps(model), encoding="utf-8")
    report.build(rp)
    en = (rp.reports / "index.html").read_text(encoding="utf-8")
    zh = (rp.reports / "index.zh.html").read_text(encoding="utf-8")
    assert "20 items support at most 10 topics of two items" in en
    assert "k_range [6, 12] 收窄为 [6, 10]：20 个条目最多支持 10 个" in zh
    assert "clipped" not in zh and "items support" not in zh


def test_headline_says_so_when_topic_metrics_mark_topics_skipped(out_dir):
    metrics = pd.DataFrame({"metric": ["skipped"], "value": ["true"], "meaning": [""]})
    rp = write_run(items_frame(), extra={"topic_metrics": metrics})
    report.build(rp)
    text = (rp.reports / "index.html").read_text(encoding="utf-8")
    assert "Topics were not computed" in text and ">topics<b>" not in text


def test_source_types_and_verification_are_shown_when_present(out_dir, monkeypatch, tmp_path):
    items = items_frame().assign(source_type=["issuer", "mirror", "issuer", "scholarly"])
    ver = tmp_path / "data"
    ver.mkdir()
    rows = [
        (i, f, "confirmed")
        for i in ("CNPM-001", "EUPM-001")
        for f in ("title", "date_start", "lead_body", "source_url")
    ]
    rows[-1] = ("EUPM-001", "source_url", "unverified")
    pd.DataFrame(rows, columns=["id", "field", "verdict"]).assign(
        value="", evidence_url="", note=""
    ).to_csv(ver / "verification.csv", index=False)
    log = pd.read_csv(ver / "verification.csv", dtype=str, keep_default_na=False)
    rp = write_run(items)
    # the cleaning step writes the shares; the page only shows them
    files.write_csv(rp.tables / "audit_summary.csv", verification.summary(items, log))
    report.build(rp)
    text = (rp.reports / "index.html").read_text(encoding="utf-8")
    assert "Where the sources come from" in text
    assert "<th>Europe</th><td>50 %</td><td>0 %</td><td>50 %</td><td>2</td>" in text
    assert "1 of 2 China items" in text and "0 of 2 Europe items" in text
    assert 'class="badge src-mirror">mirror<' in (
        rp.reports / "catalogue" / "index.html"
    ).read_text(encoding="utf-8")


def test_site_bytes_are_stable(out_dir):
    rp = write_run(items_frame())
    report.build(rp)
    first = {p: p.read_bytes() for p in pages(rp)}
    report.build(rp)
    assert {p: p.read_bytes() for p in pages(rp)} == first


def test_every_message_in_the_templates_exists_in_both_languages():
    used = set()
    for t in site.TEMPLATES.glob("*.j2"):
        used |= set(re.findall(r'_\("([^"]+)"', t.read_text(encoding="utf-8")))
    assert len(used) > 30
    table = site.messages()
    assert used - set(table) == set()
    assert all(table[k]["en"] and table[k]["zh"] for k in table)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://gov.cn/a?b=1", "https://gov.cn/a?b=1"),
        ("HTTP://x.org", "HTTP://x.org"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,x", None),
        ("//evil.org/x", None),
        ("http://", None),
        ("http://a b", None),
        ("", None),
    ],
)
def test_only_http_urls_become_links(value, expected):
    assert site.web_url(value) == expected


def test_raw_rows_count_only_rows_not_warnings_or_reading_notes():
    from ic2analysis.reporting import provenance

    log = pd.DataFrame({"outcome": ["kept", "kept", "merged", "rejected", "warning", "info"]})
    counts = provenance.cleaning_counts(log, None)
    assert (counts["rows"], counts["kept"], counts["merged"], counts["rejected"]) == (4, 2, 1, 1)
    assert counts["warnings"] == 1
    summary = pd.DataFrame({"file": ["a.csv", "total"], "raw": [4, 4], "rejected": [1, 1]})
    assert provenance.cleaning_counts(log, summary)["rows"] == 4


def test_topic_stability_is_shown_against_its_null(out_dir):
    """The headline's stability comes with its spread and the null it must beat."""
    names = ["k", "silhouette", "stability_ari", "bootstrap_ari", "bootstrap_ari_sd"]
    names += ["null_bootstrap_ari", "null_bootstrap_ari_sd"]
    values = [7, 0.354, 0.95, 0.826, 0.052, 0.321, 0.075]
    metrics = pd.DataFrame({"metric": names, "value": values, "meaning": ""})
    rp = write_run(items_frame(), extra={"topic_metrics": metrics})
    report.build(rp)
    text = (rp.reports / "index.html").read_text(encoding="utf-8")
    assert "bootstrap stability (ARI) 0.83 ± 0.05, against 0.32 ± 0.07 for a null" in text
    assert "0.83 ± 0.05，无结构零模型为 0.32 ± 0.07" in (rp.reports / "index.zh.html").read_text(
        "utf-8"
    )


def test_the_method_says_what_p_top_five_is_worth_with_few_candidates():
    from ic2analysis.reporting import index

    opp = pd.DataFrame({"candidate": [True] * 7 + [False]})
    text = index.method({"parameters": {}}, {"opportunities": opp}, site.translator("en"))
    assert "There are 7 candidate topics" in text and "probability 0.71" in text
    many = pd.DataFrame({"candidate": [True] * 4})
    assert "candidate topics" not in index.method(
        {}, {"opportunities": many}, site.translator("en")
    )
