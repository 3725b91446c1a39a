"""The reviewers' page, opened in a real headless Chromium (Debian's package)."""

import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
import pytest

from ic2analysis import paths
from ic2analysis.reporting import report

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EVIL = '<script>alert("pwned")</script> Genomics & Data'


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is required under CI (.ci/run installs Debian's chromium)")
        pytest.skip("no Chromium on this machine: install Debian's chromium to run this test")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def open_page(browser, file: Path, script: bool = True):
    context = browser.new_context(
        viewport={"width": 1200, "height": 900}, java_script_enabled=script
    )
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.goto(file.resolve().as_uri())
    page.wait_for_load_state("load")
    return page, problems


def check_links(page, external_ok: bool = False) -> int:
    """Every image loads; every file link resolves, anchors included; return the link count."""
    broken = page.evaluate("""() => Array.from(document.images)
        .filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)""")
    assert broken == []
    hrefs = page.evaluate("() => Array.from(document.links).map(a => a.href)")
    ids: dict[Path, set[str]] = {}
    for href in hrefs:
        u = urlparse(href)
        if u.scheme in ("http", "https") and external_ok:
            continue
        assert u.scheme == "file", f"external link {href}"
        target = Path(unquote(u.path))
        assert target.exists(), f"broken link {href}"
        if u.fragment:
            if target not in ids:
                ids[target] = set(re.findall(r' id="([^"]+)"', target.read_text(encoding="utf-8")))
            assert unquote(u.fragment) in ids[target], f"broken anchor {href}"
    return len(hrefs)


# A missing glyph is drawn as the fallback box, and in Chromium that box is as wide as a
# CJK glyph (1 em), so widths alone cannot tell. Each character is drawn on a canvas with
# the page's Chinese font stack and compared with the box drawn for a code point no font
# has: a character that looks exactly like the box has no glyph.
GLYPHS = """(text) => {
  const probe = document.createElement('span'); probe.lang = 'zh-Hans';
  document.body.appendChild(probe);
  const family = getComputedStyle(probe).fontFamily; probe.remove();
  const c = document.createElement('canvas'); c.width = 64; c.height = 64;
  const g = c.getContext('2d');
  const draw = (ch) => { g.clearRect(0, 0, 64, 64); g.font = '40px ' + family;
    g.fillText(ch, 4, 48); return g.getImageData(0, 0, 64, 64).data.join(','); };
  const box = draw(String.fromCodePoint(0x10FFFD));
  const chars = [...text].filter(ch => /\\p{Script=Han}/u.test(ch));
  return {han: chars.length, missing: chars.filter(ch => draw(ch) === box), family: family};
}"""


def assert_chinese_renders(page, text: str):
    seen = page.evaluate(GLYPHS, text)
    assert seen["han"] > 0, f"no Chinese characters in {text!r}"
    assert seen["missing"] == [], f"missing CJK glyphs: {seen}"


def screenshot(page, name: str):
    out = paths.run_paths("").reports / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"{name}.png"))
    print(f"screenshot: {out / name}.png")


@pytest.mark.parametrize("name", ["index.html", "index.zh.html"])
def test_committed_index_loads_without_errors_or_broken_links(browser, name):
    page, problems = open_page(browser, paths.REPORTS / name)
    assert check_links(page) > 20
    title = {
        "index.html": "Personalised medicine in Europe and China",
        "index.zh.html": "欧洲与中国的个性化医学",
    }[name]
    assert page.locator("h1").inner_text() == title
    assert_chinese_renders(page, "欧洲与中国的个性化医学")
    other = "index.zh.html" if name == "index.html" else "index.html"
    assert page.locator(f'nav a[href="{other}"]').count() == 1
    screenshot(page, name)
    assert problems == []


CATALOGUE = ["catalogue/index.html", "catalogue/index.zh.html"]


@pytest.mark.parametrize("name", CATALOGUE)
def test_catalogue_lists_every_item_with_working_links(browser, name):
    ids = pd.read_csv(paths.PROCESSED / "initiatives.csv", dtype=str)["id"].tolist()
    page, problems = open_page(browser, paths.REPORTS / name)
    found = page.evaluate(
        "() => Array.from(document.querySelectorAll('article.item')).map(a => a.id)"
    )
    assert sorted(found) == sorted(ids)
    assert check_links(page, external_ok=True) > len(ids)
    sources = page.evaluate("() => Array.from(document.querySelectorAll('a.src')).map(a => a.href)")
    assert all(urlparse(h).scheme in ("http", "https") for h in sources) and len(sources) > 0
    assert_chinese_renders(page, "国家卫生健康委员会")
    zh = page.locator('[lang="zh-Hans"]').first.inner_text()
    assert_chinese_renders(page, zh)
    screenshot(page, name.replace("/", "_"))
    assert problems == []


@pytest.mark.parametrize("name", CATALOGUE)
def test_filter_works_with_script_and_page_is_complete_without(browser, name):
    n = len(pd.read_csv(paths.PROCESSED / "initiatives.csv", dtype=str))
    page, problems = open_page(browser, paths.REPORTS / name)
    assert page.locator("#filter").is_visible()
    page.fill("#filter", "biobank")
    shown = int(page.locator("#shown").inner_text())
    visible = page.locator("article.item:visible")
    assert 0 < shown < n and visible.count() == shown
    assert all(
        "biobank" in (t or "")
        for t in page.locator("article.item:visible").evaluate_all(
            "els => els.map(e => e.dataset.search)"
        )
    )
    page.fill("#filter", "")
    assert page.locator("article.item:visible").count() == n
    assert problems == []
    page, problems = open_page(browser, paths.REPORTS / name, script=False)
    assert not page.locator("#filter").is_visible()
    assert page.locator("article.item:visible").count() == n
    assert problems == []


def test_topic_pages_show_both_regions_and_resolve(browser):
    pages = sorted((paths.REPORTS / "catalogue").glob("topic-*.html"))
    assert pages and len([p for p in pages if p.name.endswith(".zh.html")]) * 2 == len(pages)
    for f in pages:
        page, problems = open_page(browser, f)
        assert page.locator("section.side").count() == 2
        check_links(page, external_ok=True)
        assert problems == [], f.name


def test_data_with_markup_renders_as_text(browser, out_dir):
    rp = paths.run_paths("")
    rp.tables.mkdir(parents=True)
    pd.DataFrame(
        {
            "rank": [1],
            "label": [EVIL],
            "n_europe": [2],
            "n_china": [3],
            "score": [0.5],
            "reasons": ["x"],
        }
    ).to_csv(rp.tables / "opportunities.csv", index=False)
    pd.DataFrame(
        {
            "opportunity_rank": [1],
            "label": [EVIL],
            "europe_title": [EVIL],
            "china_title": ["精准医学 <img src=x onerror=alert(1)>"],
            "similarity": [0.3],
            "shared_terms": ["a"],
        }
    ).to_csv(rp.tables / "pairs.csv", index=False)
    report.build(rp)
    page, problems = open_page(browser, rp.reports / "index.html")
    body = page.locator("body").inner_text()
    assert EVIL in body and "<img src=x onerror=alert(1)>" in body
    assert page.locator("script").count() == 0 and page.locator("td img").count() == 0
    assert problems == []
    assert re.search(r"Genomics &amp; Data", (rp.reports / "index.html").read_text())


def test_injection_rows_render_as_text_in_the_catalogue(browser, out_dir):
    rp = paths.run_paths("")
    rp.processed.mkdir(parents=True)
    pd.DataFrame(
        {
            "id": ["EUPM-001", "CNPM-001"],
            "region": ["Europe", "China"],
            "kind": ["policy", "standard"],
            "title": [EVIL, "Budget $5 <img src=x onerror=alert(1)>"],
            "title_local": ["", "<svg onload=alert(2)>标准"],
            "lead_body": ['" onmouseover="alert(3)', "国家卫生健康委员会"],
            "source_url": ["javascript:alert(4)", "https://example.org/?a=1&b=<2>"],
        }
    ).to_csv(rp.initiatives, index=False)
    report.build(rp)
    for name in CATALOGUE:
        page, problems = open_page(browser, rp.reports / name)
        body = page.locator("body").inner_text()
        assert EVIL in body and "<img src=x onerror=alert(1)>" in body
        assert "<svg onload=alert(2)>标准" in body and "javascript:alert(4)" in body
        assert page.locator("article img, article svg, main script").count() == 0
        hrefs = page.evaluate("() => Array.from(document.links).map(a => a.getAttribute('href'))")
        assert not [h for h in hrefs if h.lower().startswith("javascript")]
        page.hover("article.item >> nth=0")
        assert problems == []
