"""Script detection shared by every layer: one definition of "Chinese text" and the regions.

CJK here means the Unified Ideographs, Extension A and the Compatibility Ideographs, the
characters desks and sources write Chinese in. ``REGIONS`` are the two sides compared.
"""

from __future__ import annotations

import functools
import re
import unicodedata

REGIONS = ("Europe", "China")

# Extension A and Unified Ideographs (3400-9FFF), Compatibility Ideographs (F900-FAFF).
CJK_RANGES = "\u3400-\u9fff\uf900-\ufaff"
CJK = re.compile(f"[{CJK_RANGES}]")
CJK_RUN = re.compile(f"[{CJK_RANGES}]+")
# Everything that is neither a lower-case Latin letter, a digit nor a CJK character.
NON_WORD = re.compile(f"[^0-9a-z{CJK_RANGES}]+")
ZERO_WIDTH = "\u200b\ufeff"


def has_cjk(value: str) -> bool:
    """Whether ``value`` holds at least one Chinese character."""
    return CJK.search(value) is not None


def fold(value: object) -> str:
    """Width-fold (full-width Latin and digits to ASCII), drop zero-width marks, collapse spaces."""
    s = value if isinstance(value, str) else str(value or "")
    if not s.isascii():  # NFKC leaves ASCII unchanged: most cells skip it
        s = unicodedata.normalize("NFKC", s)
        for ch in ZERO_WIDTH:
            s = s.replace(ch, "")
    return " ".join(s.split())


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=1 << 16)
def simplified(value: str) -> str:
    """Traditional Chinese characters to simplified with OpenCC (精準醫療 -> 精准医疗)."""
    if not has_cjk(value):
        return value
    return _t2s().convert(value)
