"""Character n-grams of an item's text: the shared technical terms that words miss.

Words of the topic vocabulary need ``min_df`` items, so an identifier that two counterparts
share ("20387", "kadoorie") or a word's variants ("biobank", "biobanking") seldom count.
Character 3-5-grams inside words (``char_wb``) of the text, with the reviewed region-marked
terms blanked first (the same neutralisation as the topic vocabulary, ``dialect.py``),
catch both; an n-gram counts once it is in two items, the most common 40 % are dropped.
Chinese needs no segmentation here. The cost is linear in the text (about 1 s for the
repository's mapping), so it is computed only where the exact counterpart search runs.
"""

from __future__ import annotations

import re

from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from . import counting

# A text has about 15 times as many character n-grams as words and word pairs: counting
# pays on several CPUs from 1,500 texts (the repository's 391 count on one), in chunks of
# 4,000 (``counting``: the same matrix either way).
PARALLEL = (1_500, 4_000)


def blank_marked(texts: list[str], marked: tuple[str, ...]) -> list[str]:
    """Lower-cased texts with every reviewed region-marked term (word or phrase) blanked."""
    low = [t.lower() for t in texts]
    words = sorted({m.lower().strip() for m in marked if m.strip()}, key=len, reverse=True)
    if not words:
        return low
    pat = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")
    return [pat.sub(" ", t) for t in low]


def char_tfidf(
    texts: list[str], marked: tuple[str, ...], ngram_range: tuple[int, int] = (3, 5)
) -> sparse.csr_matrix | None:
    """L2-normalised character n-gram TF-IDF rows of the neutralised texts (None: no n-gram
    is shared by two items)."""
    vec = TfidfVectorizer(
        analyzer="char_wb", ngram_range=ngram_range, min_df=2,
        max_df=0.4 if len(texts) >= 20 else 1.0, sublinear_tf=True,
    )  # fmt: skip
    try:
        return counting.fit_transform(blank_marked(texts, marked), vec, *PARALLEL)[0]
    except ValueError:  # empty vocabulary after the df limits
        return None
