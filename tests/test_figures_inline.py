"""In a notebook, a saved figure is shown from the PNG just written, not drawn again."""

import base64
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from ic2analysis.reporting import figures, theme  # noqa: E402


def test_a_saved_figure_is_shown_once_from_its_file_at_screen_size(tmp_path, monkeypatch):
    callbacks = {"post_execute": []}
    shell = SimpleNamespace(
        events=SimpleNamespace(callbacks=callbacks, register=lambda ev, f: callbacks[ev].append(f))
    )
    shown = []
    monkeypatch.setattr(matplotlib, "get_backend", lambda: "module://matplotlib_inline")
    monkeypatch.setattr("IPython.get_ipython", lambda: shell)
    monkeypatch.setattr("IPython.display.display", lambda d, **kw: shown.append((d, kw)))
    figures.set_theme()
    for name in ("a", "b"):
        fig, ax = plt.subplots(figsize=(4, 3))
        ax.plot([1, 2], [2, 1])
        figures.save(fig, name, tmp_path)
        assert not plt.fignum_exists(fig.number)  # the backend has nothing left to draw
    assert shown == [] and callbacks["post_execute"].count(theme._flush) == 1  # at the cell's end
    theme._flush()
    assert len(shown) == 2 and not theme._PENDING
    data, kw = shown[0]
    png = (tmp_path / "a.png").read_bytes()
    assert base64.b64decode(data["image/png"]) == png
    assert data["text/plain"].startswith("<Figure size 400x300")
    width = int.from_bytes(png[16:20], "big")
    assert kw["raw"] and kw["metadata"]["image/png"]["width"] == round(width * 100 / 150)


def test_outside_a_notebook_the_figure_stays_open(tmp_path):
    figures.set_theme()
    fig, ax = plt.subplots()
    figures.save(fig, "c", tmp_path)
    assert plt.fignum_exists(fig.number) and not theme._PENDING
    plt.close(fig)
