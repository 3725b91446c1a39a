"""The tokens that put titles into shared blocks: Latin words and Chinese character bigrams.

``tokens`` is the rule for one key; ``token_pairs`` applies it to every row at once, as
(row, token) pairs that ``dedupe`` groups into blocks of shared rare tokens.
"""

from __future__ import annotations

import re
from itertools import chain

import numpy as np
import pandas as pd

from ..text import CJK_RUN as _CJK_RUN

_STOP = frozenset({"the", "and", "for", "of", "on", "in", "to", "a", "an", "with", "by", "at"})


# In an ASCII key (only a-z, 0-9 and single spaces) the maximal runs of 3+ are its 3+ words.
_LATIN_WORD = re.compile("[a-z0-9]{3,}")


def tokens(key: str) -> set[str]:
    """Latin words (3+ letters, not stop words) and Chinese character bigrams of a title key."""
    if key.isascii():  # no Chinese: skip the CJK regexes (most titles at scale)
        return set(_LATIN_WORD.findall(key)).difference(_STOP)
    out = {w for w in key.split() if len(w) >= 3 and w not in _STOP and not _CJK_RUN.match(w)}
    for run in _CJK_RUN.findall(key):
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out


_KEY_WORDS = re.compile("[a-z0-9 ]*")  # a key of Latin words only: its tokens are its words


def _word_tokens(word: str, ascii_key: bool) -> list[str]:
    """``tokens`` of one word of a key: a key's tokens are the union of its words' (neither
    rule's matches can span a space), by the rule of the whole key (ASCII or not)."""
    if ascii_key:
        return [w for w in _LATIN_WORD.findall(word) if w not in _STOP]
    out = [word] if len(word) >= 3 and word not in _STOP and not _CJK_RUN.match(word) else []
    for run in _CJK_RUN.findall(word):
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def _key_tokens(rows: list[int], keys: list[str], ascii_key: bool) -> tuple[np.ndarray, list]:
    """(row, token) of every word's tokens in ``keys``, each distinct word tokenised once."""
    words_of = [k.split() for k in keys]
    words = list(chain.from_iterable(words_of))
    if not words:
        return np.zeros(0, dtype=np.int64), []
    code, names = pd.factorize(np.asarray(words, dtype=object))
    toks = [_word_tokens(w, ascii_key) for w in names]
    n_tok = np.fromiter(map(len, toks), np.int64, len(toks))
    flat = np.asarray(list(chain.from_iterable(toks)) + [""], dtype=object)
    per = n_tok[code]  # tokens of each word occurrence
    word_row = np.repeat(np.asarray(rows, dtype=np.int64), [len(w) for w in words_of])
    within = np.arange(per.sum()) - np.repeat(np.cumsum(per) - per, per)
    at = np.repeat((np.cumsum(n_tok) - n_tok)[code], per) + within
    return np.repeat(word_row, per), flat[at].tolist()


def token_pairs(title_keys: list[str], local_keys: list[str]) -> tuple:
    """(rows, codes, names) of every distinct (row, token) pair of ``tokens``, codes into
    ``names``. Keys of Latin words only are split in one pass over their join; the others
    (Chinese, local titles) word by word, each distinct word tokenised once."""
    plain, ascii_keys, cjk_keys = [], ([], []), ([], [])
    for i, (t, loc) in enumerate(zip(title_keys, local_keys, strict=True)):
        if not loc and _KEY_WORDS.fullmatch(t):
            plain.append(i)
            continue
        for key in (t, loc) if loc else (t,):
            group = ascii_keys if key.isascii() else cjk_keys
            group[0].append(i)
            group[1].append(key)
    words = " | ".join(title_keys[i] for i in plain).split(" ") if plain else []
    n_plain = len(words)
    row_a, tok_a = _key_tokens(*ascii_keys, True)
    row_c, tok_c = _key_tokens(*cjk_keys, False)
    code, names = pd.factorize(np.asarray(words + tok_a + tok_c, dtype=object))
    names = np.asarray(names, dtype=object)
    cut = [k for k, w in enumerate(names) if w == "|"]  # the separator between two keys
    at = np.asarray(plain, dtype=np.int64)[np.cumsum(np.isin(code[:n_plain], cut))]
    at = np.r_[at, row_a, row_c]
    # tokens() keeps Latin words of 3+ letters that are not stop words, and Chinese bigrams
    keep = np.fromiter((not w.isascii() or (len(w) >= 3 and w not in _STOP) for w in names),
                       bool, len(names))  # fmt: skip
    pair = np.sort(at[keep[code]] * len(names) + code[keep[code]])
    pair = pair[np.r_[True, pair[1:] != pair[:-1]]] if len(pair) else pair
    return pair // len(names), pair % len(names), names
