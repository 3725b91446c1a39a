"""The figures' look: the palette, the pinned CJK font, literal text, and saving with
stable bytes (no dates, no versions, fixed SVG ids).
"""

from __future__ import annotations

import functools
import hashlib
import io as _io
import logging
import sys
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib import font_manager

from .. import files
from ..forked import Forked

OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
REGION_COLOURS = {"Europe": "#0072B2", "China": "#D55E00"}
REGION_MARKERS = {"Europe": "o", "China": "^"}
# The CJK font is pinned: the Noto Sans CJK collection installed from PyPI with the lock
# (noto-cjk-sans-otc, OFL-1.1), so that every machine draws the same glyphs and figure bytes
# do not depend on what the system has. Other families are a fallback that warns.
CJK_FAMILY = "Noto Sans CJK SC"
CJK_FONT_SHA256 = "b76b0433203017ca80401b2ee0dd69350349871c4b19d504c34dbdd80541690a"
CJK_FALLBACKS = ("WenQuanYi Micro Hei", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei")


def pinned_font_file() -> Path | None:
    """The packaged Noto Sans CJK file, when installed (``make setup`` installs it)."""
    try:
        from noto_cjk_sans_otc import FONT_PATH
    except ImportError:
        return None
    path = Path(str(FONT_PATH))
    return path if path.is_file() else None


def _find(family: str) -> str | None:
    try:
        return font_manager.findfont(
            font_manager.FontProperties(family=family), fallback_to_default=False
        )
    except ValueError:
        return None


@functools.lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The CJK family for figures, found through matplotlib's font manager by name."""
    pinned = pinned_font_file()
    if pinned is not None:
        font_manager.fontManager.addfont(str(pinned))
    for family in (CJK_FAMILY, *CJK_FALLBACKS):
        path = _find(family)
        if path is None:
            continue
        if family != CJK_FAMILY or not _is_pinned(Path(path)):
            warnings.warn(
                f"CJK font {family!r} from {path} is not the pinned Noto Sans CJK file: figures "
                "will differ from the committed ones (run `make setup` to install it)",
                stacklevel=2,
            )
        return family
    return None


@functools.lru_cache(maxsize=4)
def _is_pinned(path: Path) -> bool:
    return hashlib.sha256(path.read_bytes()).hexdigest() == CJK_FONT_SHA256


def set_theme() -> None:
    """The project's theme: readable sizes, the palette, fixed SVG ids, a CJK fallback,
    and text drawn literally (a ``$`` in a title is a dollar sign, never mathtext)."""
    sns.set_theme(style="whitegrid", context="notebook", palette=OKABE_ITO)
    # the CJK font has no bold face: matplotlib says so on every bold title
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    families = ["DejaVu Sans"]
    cjk = cjk_font()
    if cjk:
        families.append(cjk)
    else:
        warnings.warn(
            "no CJK font found: Chinese text in figures will not render "
            "(run `make setup` to install the noto-cjk-sans-otc package)",
            stacklevel=2,
        )
    plt.rcParams.update(
        {
            "font.family": families,
            "font.size": 11,
            "axes.titlesize": 13,
            "axes.titleweight": "bold",
            # titles sit just above the axes; automatic placement measures every y tick
            # label at each draw to avoid an axis at the top, which no figure here has
            # (the same bytes, a quarter less time to save: benchmarks/README.md)
            "axes.titley": 1.0,
            "axes.labelsize": 11,
            "legend.fontsize": 10,
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "svg.hashsalt": "ic2analysis",
            "svg.fonttype": "path",
            "axes.unicode_minus": False,
            "figure.autolayout": False,
            "text.parse_math": False,
        }
    )


_METADATA = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None}}


def save(fig: plt.Figure, name: str, folder: Path) -> None:
    """Save ``fig`` as ``name``.png and .svg with no date or version metadata, atomically.

    The SVG is drawn in a forked process while this one draws the PNG (each format is a
    draw of its own, most of a figure's cost; ``IC2_JOBS=1`` draws them in turn), from the
    same figure, so the bytes are the same. In a notebook a copy of the saved PNG is shown
    and the figure closed, so that the inline backend does not draw it a third time.
    Returns nothing, so that a notebook cell ending in ``save(...)`` shows only the figure.
    """
    svg = Forked(functools.partial(_render, fig, "svg"))
    png = _render(fig, "png")
    files.write_bytes(Path(folder) / f"{name}.png", png)
    files.write_bytes(Path(folder) / f"{name}.svg", svg.result())
    if _in_kernel():
        show_png(png, fig.dpi / plt.rcParams["savefig.dpi"])
        plt.close(fig)


def _render(fig: plt.Figure, fmt: str) -> bytes:
    buf = _io.BytesIO()
    fig.savefig(buf, format=fmt, metadata=_METADATA[fmt], bbox_inches="tight")
    return buf.getvalue()


def _in_kernel() -> bool:
    """True inside a Jupyter kernel (papermill, nbval, JupyterLab), not in a plain process."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return getattr(shell, "kernel", None) is not None


def show_png(png: bytes, scale: float) -> None:
    """Display the saved PNG at ``scale`` of its pixel size (the 150-dpi file at the figure's
    100-dpi size, as the inline backend shows it), as a 256-colour copy: a third of the
    file's bytes, and lighter than the inline backend's own 100-dpi drawing, so the committed
    notebooks stay small. The saved figure files keep every colour."""
    from IPython.display import Image, display
    from PIL import Image as Picture

    picture = Picture.open(_io.BytesIO(png))
    width, height = picture.size
    buf = _io.BytesIO()
    picture.convert("RGB").quantize(
        256, method=Picture.Quantize.FASTOCTREE, dither=Picture.Dither.NONE
    ).save(buf, format="png")
    display(
        Image(data=buf.getvalue(), format="png", width=round(width * scale),
              height=round(height * scale))
    )  # fmt: skip


def cluster_palette(k: int) -> list:
    """Okabe-Ito for up to 8 clusters; beyond that, tab20 so no two clusters share a colour."""
    return OKABE_ITO[:k] if k <= len(OKABE_ITO) else sns.color_palette("tab20", k)


def region_palette(regions) -> list[str]:
    return [REGION_COLOURS.get(r, "#777777") for r in regions]
