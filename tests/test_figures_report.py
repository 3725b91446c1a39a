import json
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from ic2analysis import paths
from ic2analysis.reporting import figures, manifest, report


def test_figures_are_byte_stable(tmp_path):
    figures.set_theme()
    out = []
    for i in range(2):
        fig, ax = plt.subplots()
        ax.plot([1, 2, 3], [3, 1, 2], label="Europe")
        ax.set_title("精准医学 precision medicine")
        figures.save(fig, f"f{i}", tmp_path)
        plt.close(fig)
        out.append(((tmp_path / f"f{i}.png").read_bytes(), (tmp_path / f"f{i}.svg").read_bytes()))
    assert out[0] == out[1]
    svg = out[0][1].decode()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg


def test_region_colours_are_fixed():
    assert figures.REGION_COLOURS == {"Europe": "#0072B2", "China": "#D55E00"}


def test_cjk_font_is_installed_by_setup():
    if not figures.cjk_font():
        pytest.skip("no CJK font on this machine (make setup installs fonts-wqy-microhei)")
    from matplotlib import font_manager

    path = font_manager.findfont(font_manager.FontProperties(family=figures.cjk_font()))
    assert "wqy" in path.lower() or "cjk" in path.lower()
    figures.set_theme()
    fig, ax = plt.subplots()
    ax.set_title("国家卫生健康委员会")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph warns: here it must not
        fig.canvas.draw()
    plt.close(fig)


EVIL = '<script>alert("x")</script> & Co'


def fake_run(tmp_path):
    rp = paths.run_paths("")
    rp.tables.mkdir(parents=True)
    pd.DataFrame(
        {
            "rank": [1],
            "label": [EVIL],
            "n_europe": [2],
            "n_china": [3],
            "score": [0.5],
            "reasons": ["because <b>bold</b>"],
        }
    ).to_csv(rp.tables / "opportunities.csv", index=False)
    pd.DataFrame(
        {
            "opportunity_rank": [1],
            "label": [EVIL],
            "europe_title": [EVIL],
            "china_title": ["精准医学 & <i>"],
            "similarity": [0.3],
            "shared_terms": ["a, b"],
        }
    ).to_csv(rp.tables / "pairs.csv", index=False)
    return rp


def test_index_escapes_data_and_manifest_has_no_dates(tmp_path, out_dir):
    rp = fake_run(tmp_path)
    report.build(rp)
    page = (rp.reports / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page and "&amp; Co" in page
    assert "<b>bold</b>" not in page
    man = json.loads((rp.reports / "manifest.json").read_text(encoding="utf-8"))
    assert {"inputs", "parameters", "versions", "package_source_sha256", "outputs"} <= set(man)
    text = json.dumps(man)
    assert not re.search(
        r"20\d\d-\d\d-\d\dT|\b[0-9a-f]{40}\b(?!.*sha)",
        text.split('"outputs"')[0].replace(man["package_source_sha256"], ""),
    )
    report.build(rp)
    assert (rp.reports / "index.html").read_text(encoding="utf-8") == page


def test_committed_manifest_matches_committed_outputs():
    man = json.loads((paths.REPORTS / "manifest.json").read_text(encoding="utf-8"))
    for rel, digest in man["outputs"].items():
        assert manifest.sha256(paths.ROOT / rel) == digest, rel
    for rel, digest in man["inputs"].items():
        assert manifest.sha256(paths.ROOT / rel) == digest, rel


def test_rendered_notebooks_open_offline():
    pages = sorted((paths.REPORTS / "notebooks").glob("*.html"))
    assert len(pages) == 6  # three notebooks, with and without code
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not re.search(r'(src|href)="(https?:)?//', html), page.name
