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


def open_page(browser, file: Path):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
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


def test_committed_index_loads_without_errors_or_broken_links(browser):
    index = paths.REPORTS / "index.html"
    page, problems = open_page(browser, index)
    broken = page.evaluate("""() => Array.from(document.images)
        .filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)""")
    assert broken == []
    hrefs = page.evaluate("() => Array.from(document.links).map(a => a.href)")
    assert len(hrefs) > 20
    for href in hrefs:
        u = urlparse(href)
        assert u.scheme == "file", f"external link {href}"
        assert Path(unquote(u.path)).exists(), f"broken link {href}"
    assert page.locator("h1").inner_text() == "Personalised medicine in Europe and China"
    out = paths.run_paths("").reports / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / "index.png"), full_page=True)
    print(f"screenshot: {out / 'index.png'}")
    assert problems == []


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
