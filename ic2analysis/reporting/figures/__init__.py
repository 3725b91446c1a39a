"""Every figure of the notebooks, one module per notebook; they only draw what the
analysis computed. The look (palette, pinned CJK font, literal text) and saving are in
``reporting.theme``; notebooks call ``figures.set_theme()``, ``figures.save(...)`` and the
figure functions by name from here.
"""

from ..theme import (
    CJK_FAMILY,
    OKABE_ITO,
    REGION_COLOURS,
    REGION_MARKERS,
    cjk_font,
    cluster_palette,
    save,
    set_theme,
)
from .bodies import counterpart_map
from .bridges import (
    actors_bars,
    balance_bars,
    opportunity_ranking,
    pair_network,
    region_topic_heatmap,
    topic_timeline,
)
from .clean import completeness, region_kind, timeline
from .robustness import rank_intervals
from .topics import cluster_sizes, contingency, k_sweep, top_terms, topic_map

__all__ = [
    "CJK_FAMILY",
    "OKABE_ITO",
    "REGION_COLOURS",
    "REGION_MARKERS",
    "actors_bars",
    "balance_bars",
    "cjk_font",
    "cluster_palette",
    "cluster_sizes",
    "completeness",
    "contingency",
    "counterpart_map",
    "k_sweep",
    "opportunity_ranking",
    "pair_network",
    "rank_intervals",
    "region_kind",
    "region_topic_heatmap",
    "save",
    "set_theme",
    "timeline",
    "top_terms",
    "topic_map",
    "topic_timeline",
]
