import json
import os
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from ic2analysis import paths
from ic2analysis.reporting import figures, manifest, report


@pytest.mark.parametrize("jobs", ["1", "2"])  # SVG drawn after the PNG, or beside it
def test_figures_are_byte_stable(tmp_path, monkeypatch, jobs):
    figures.set_theme()
    out = []
    for i in range(2):
        monkeypatch.setenv("IC2_JOBS", ("1", jobs)[i])  # the second in the way asked
        fig, ax = plt.subplots()
        ax.plot([1, 2, 3], [3, 1, 2], label="Europe")
        ax.set_title("精准医学 precision medicine")
        figures.save(fig, f"f{i}", tmp_path)
        plt.close(fig)
        out.append(((tmp_path / f"f{i}.png").read_bytes(), (tmp_path / f"f{i}.svg").read_bytes()))
    assert out[0] == out[1]
    svg = out[0][1].decode()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg


def test_cjk_font_is_the_pinned_file_and_draws_every_glyph():
    """Under CI a missing or unpinned CJK font fails; elsewhere it is skipped with advice."""
    import warnings

    from matplotlib import font_manager

    from ic2analysis.reporting import theme

    if theme.pinned_font_file() is None:
        if os.environ.get("CI"):
            pytest.fail("the pinned CJK font (noto-cjk-sans-otc) is not installed under CI")
        pytest.skip("noto-cjk-sans-otc is not installed (make setup installs it)")
    assert figures.cjk_font() == theme.CJK_FAMILY
    path = font_manager.findfont(font_manager.FontProperties(family=theme.CJK_FAMILY))
    assert theme._is_pinned(Path(path)), path
    figures.set_theme()
    fig, ax = plt.subplots()
    ax.set_title("国家卫生健康委员会 精准医学")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph warns: here it must not
        fig.canvas.draw()
    plt.close(fig)


def test_dollar_signs_are_drawn_literally(tmp_path):
    figures.set_theme()
    odd = r"Budget $5 million \frac{ $x"  # mathtext would raise on this
    pairs = pd.DataFrame(
        {
            "label": ["t"],
            "europe_title": [odd],
            "china_title": ["金额 $"],
            "similarity": [0.4],
        }
    )
    fig = figures.pair_network(pairs, "label")
    figures.save(fig, "pairs", tmp_path)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert odd[:37] in " ".join(texts) or any(t.startswith("Budget $5") for t in texts)
    plt.close(fig)
    actors = pd.DataFrame(
        {
            "region": ["Europe", "China"],
            "lead_body_canonical": ["$A$ fund", "B"],
            "items": [2, 1],
            "lead_body_local": ["", "$乙$"],
        }
    )
    fig = figures.actors_bars(actors)
    fig.canvas.draw()
    labels = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
    assert "$A$ fund" in labels and "B\n$乙$" in labels
    plt.close(fig)


def _boxes(fig, artists):
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    return [a.get_window_extent(r) for a in artists]


def test_region_kind_legend_hides_no_bar_and_no_label():
    figures.set_theme()
    table = pd.DataFrame(
        {
            "kind": ["initiative"] * 67 + ["policy"] * 56 + ["initiative"] * 52,
            "region": ["Europe"] * 123 + ["China"] * 52,
        }
    )
    fig = figures.region_kind(table)
    ax = fig.axes[0]
    legend = _boxes(fig, [ax.get_legend()])[0]
    bars = _boxes(fig, [p for c in ax.containers for p in c])
    labels = _boxes(fig, [t for t in ax.texts])
    assert len(labels) == 4
    assert not any(legend.overlaps(b) for b in bars + labels)
    plt.close(fig)


def test_actors_labels_are_readable_at_page_width():
    figures.set_theme()
    actors = pd.DataFrame(
        {
            "region": ["Europe"] * 3 + ["China"] * 3,
            "lead_body_canonical": [
                "European Commission",
                "BBMRI-ERIC",
                "ISO/TC 276",
                "National Health Commission",
                "MOST",
                "SAMR",
            ],
            "items": [9, 4, 2, 8, 5, 3],
            "lead_body_local": ["", "", "", "国家卫生健康委员会", "", ""],
        }
    )
    fig = figures.actors_bars(actors)
    width_in = fig.get_size_inches()[0]
    for ax in fig.axes:
        size = ax.get_yticklabels()[0].get_fontsize()
        # shown 1000 px wide at 150 dpi: the effective size on screen stays >= 7 pt
        assert size * min(1.0, 1000 / (width_in * 150)) >= 7, size
    plt.close(fig)


def test_topic_map_names_every_topic_without_overlapping_labels():
    import numpy as np

    figures.set_theme()
    rng = np.random.default_rng(0)
    coords = np.vstack([rng.normal(0, 0.02, (30, 2)) for _ in range(6)])  # one crowded cloud
    assign = pd.DataFrame({"cluster": np.repeat(np.arange(6), 30)})
    regions = pd.Series(["Europe", "China"] * 90)
    labels = {c: f"topic {c} / words" for c in range(6)}
    fig = figures.topic_map(coords, assign, regions, labels)
    ax = fig.axes[0]
    notes = [t for t in ax.texts if t.get_text().startswith("topic") or ":" in t.get_text()]
    assert sorted(t.get_text() for t in notes) == [f"{c}: topic {c} / words (30)" for c in range(6)]
    boxes = _boxes(fig, [t.get_bbox_patch() for t in notes])  # the label boxes, not the lines
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)
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


def test_a_notebook_shows_the_saved_png_and_draws_nothing_more(tmp_path, monkeypatch):
    """In a kernel, save() displays a 256-colour copy of the PNG it wrote (same pixels to the
    eye, at the figure's own size) and closes the figure, so the inline backend does not draw
    it again."""
    import io

    import IPython.display
    import numpy as np
    from PIL import Image

    from ic2analysis.reporting import theme

    shown = []
    monkeypatch.setattr(theme, "_in_kernel", lambda: True)
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    figures.set_theme()
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([1, 2], [2, 1], label="Europe")
    ax.set_title("精准医学 precision medicine")
    figures.save(fig, "shown", tmp_path)
    assert not plt.fignum_exists(fig.number)
    (image,) = shown
    saved = Image.open(tmp_path / "shown.png")
    copy = Image.open(io.BytesIO(image.data))
    assert copy.mode == "P" and copy.size == saved.size
    w, h = saved.size  # 150 dpi, shown at the figure's 100 dpi
    assert (image.width, image.height) == (round(w * 2 / 3), round(h * 2 / 3))
    diff = np.abs(np.asarray(copy.convert("RGB"), int) - np.asarray(saved.convert("RGB"), int))
    assert diff.max() <= 32 and diff.mean() < 2 and (diff.max(axis=2) > 8).mean() < 0.02
    assert len(image.data) < (tmp_path / "shown.png").stat().st_size


def test_outside_a_kernel_save_leaves_the_figure_open(tmp_path):
    figures.set_theme()
    fig, _ = plt.subplots()
    figures.save(fig, "kept", tmp_path)
    assert plt.fignum_exists(fig.number)
    plt.close(fig)
