"""Duplicate groups: the connected components of the match graph, checked by a plain search."""

from __future__ import annotations

import numpy as np

from ic2analysis.cleaning import dedupe, title_tokens


def _by_search(n: int, pairs: list[tuple[int, int]]) -> list[list[int]]:
    """Groups found by a depth-first search from each unvisited row, in first-row order."""
    nbrs: dict[int, set[int]] = {i: set() for i in range(n)}
    for a, b in pairs:
        nbrs[a].add(b)
        nbrs[b].add(a)
    seen: set[int] = set()
    out = []
    for i in range(n):
        if i in seen:
            continue
        stack, group = [i], []
        seen.add(i)
        while stack:
            j = stack.pop()
            group.append(j)
            for k in nbrs[j] - seen:
                seen.add(k)
                stack.append(k)
        out.append(sorted(group))
    return out


def test_groups_equal_a_graph_search_on_random_match_graphs():
    rng = np.random.default_rng(0)
    for n in (1, 2, 7, 60, 500):
        for density in (0.0, 0.5, 2.0):
            m = int(density * n)
            a, b = rng.integers(0, n, m), rng.integers(0, n, m)
            pairs = [(int(min(x, y)), int(max(x, y))) for x, y in zip(a, b, strict=True) if x != y]
            matches = [dedupe.Match(x, y, 100.0, "same title") for x, y in pairs]
            assert dedupe.groups(n, matches) == _by_search(n, pairs)


def test_groups_keep_singletons_and_chains_in_first_row_order():
    chain = [dedupe.Match(4, 5, 100.0, "x"), dedupe.Match(1, 4, 95.0, "x")]
    assert dedupe.groups(6, chain) == [[0], [1, 4, 5], [2], [3]]
    assert dedupe.groups(3, []) == [[0], [1], [2]]


def _blocks_row_by_row(title_keys, local_keys, acronyms, bare_keys, rare_tokens, max_block):
    """The blocks as the row-by-row loop built them (before pandas), singletons dropped."""
    import re
    from collections import Counter, defaultdict
    from itertools import chain

    blocks = defaultdict(list)
    row_tokens = [
        title_tokens.tokens(t) | title_tokens.tokens(loc) if loc else title_tokens.tokens(t)
        for t, loc in zip(title_keys, local_keys, strict=True)
    ]
    df = Counter(chain.from_iterable(row_tokens))
    for i in range(len(title_keys)):
        if title_keys[i]:
            blocks[("title", title_keys[i])].append(i)
        if local_keys[i]:
            nums = " ".join(sorted(dedupe._numbers(title_keys[i])))
            blocks[("local", f"{local_keys[i]}|{nums}")].append(i)
        if bare_keys and bare_keys[i]:
            blocks[("bare", bare_keys[i])].append(i)
        acr = re.sub(r"[^0-9a-z]", "", acronyms[i].lower()) if acronyms[i] else ""
        if len(acr) >= 3:
            blocks[("acronym", acr)].append(i)
        rare = sorted((n, t) for t in row_tokens[i] if 1 < (n := df[t]) <= max_block)
        for _, t in rare[:rare_tokens]:
            blocks[("token", t)].append(i)
    return {k: v for k, v in blocks.items() if len(v) >= 2}


def _random_titles(rng, n: int) -> tuple[list[str], ...]:
    words = ["genome", "cancer", "data", "plan", "精准医学", "基因组", "cohort", "2016", "ai",
             "rare", "disease", "biobank", "health", "the", "of", "中国", "medicine"]  # fmt: skip
    titles = [" ".join(rng.choice(words, rng.integers(1, 6))) for _ in range(n)]
    local = [" ".join(rng.choice(words[4:7], 2)) if rng.random() < 0.2 else "" for _ in range(n)]
    acr = [str(rng.choice(["", "", "ICPerMed", "I-C-P", "ab", "GA4GH"])) for _ in range(n)]
    bare = [t if rng.random() < 0.7 else "" for t in titles]
    return titles, local, acr, bare


def test_blocks_equal_the_row_by_row_blocks():
    from ic2analysis.cleaning import clean

    rng = np.random.default_rng(1)
    cases = [_random_titles(rng, n) for n in (1, 5, 40, 400)]
    table = clean.clean().table  # the repository's own titles, local titles and acronyms
    keys = dedupe.title_keys(table["title"].tolist())
    local = [dedupe.title_key(t) for t in table["title_local"]]
    cases.append((keys, local, table["acronym"].tolist(), keys))
    for titles, local, acr, bare in cases:
        for rare, cap in ((3, 50), (1, 3)):
            new = dedupe._blocks(titles, local, acr, bare, rare, cap)
            assert new == _blocks_row_by_row(titles, local, acr, bare, rare, cap)
    assert dedupe._blocks([""], [""], [""], None, 3, 50) == {}


def _random_keys(rng: np.random.Generator, n: int) -> tuple[list[str], list[str]]:
    """Title and local keys mixing Latin words, stop words, repeats, digits and Chinese."""
    words = ["genomic", "data", "the", "of", "and", "pm", "2020", "cohort", "ai", "精准医疗",
             "健康", "Upper", "x1", "medicine", "for", "大数据平台", "dna基因"]  # fmt: skip
    titles, locals_ = [], []
    for _ in range(n):
        k = int(rng.integers(0, 7))
        titles.append(" ".join(rng.choice(words, k)))
        locals_.append(" ".join(rng.choice(words[9:], 2)) if rng.random() < 0.2 else "")
    return titles, locals_


def test_token_pairs_are_each_rows_tokens() -> None:
    """The one-pass (row, token) pairs are exactly the distinct tokens of each row."""
    rng = np.random.default_rng(3)
    for n in (0, 1, 2, 40, 500):
        titles, locals_ = _random_keys(rng, n)
        rows, codes, names = title_tokens.token_pairs(titles, locals_)
        got = list(zip(rows.tolist(), names[codes].tolist(), strict=True))
        want = {
            (i, w)
            for i, (t, loc) in enumerate(zip(titles, locals_, strict=True))
            for w in title_tokens.tokens(t) | (title_tokens.tokens(loc) if loc else set())
        }
        assert len(got) == len(set(got)) and set(got) == want
