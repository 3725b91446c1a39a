"""The benchmark's own logic: issue 18's target verdicts, the tidy table and the README block."""

from __future__ import annotations

import ast
import math
import sys

import pytest

from ic2analysis import paths

BENCH = paths.ROOT / "benchmarks"
sys.path.insert(0, str(BENCH))

from benchkit import readme, targets, tidy  # noqa: E402
from benchkit.child import Run, Series  # noqa: E402


def _series(
    n: int, task: str, seconds: dict[str, float], peak: float = 1024.0, tree: float = 0.0, **info
) -> Series:
    result = {"items": n, "times": dict(seconds), "cpu": dict(seconds), "rss": {}, **info}
    return Series(n, task, [Run(result, 0.0, peak, tree)])


def _pipe(n: int, seconds: float, pairs: float | None = None, **kw) -> Series:
    times = dict.fromkeys(targets.PIPELINE, seconds) | {"pairs": pairs or seconds}
    return _series(n, "pipeline", times, **kw)


def _plain(n: int, seconds: float) -> Series:
    return _series(n, "baseline_lsa", dict.fromkeys(targets.PLAIN, seconds / 4))


def test_nlogn_exponent_from_10k_to_100k() -> None:
    assert math.isclose(targets.nlogn_exponent(10_000, 100_000), 1 + math.log(1.25) / math.log(10))


def test_nothing_measured_passes_nothing() -> None:
    text = targets.report([])
    assert "met" not in text.replace("not measured", "")
    assert text.count("not measured") == 4


def test_growth_verdicts_include_the_pair_search() -> None:
    linear = [_pipe(10_000, 1.0), _pipe(100_000, 10.0)]
    assert "; met" in targets.report(linear)
    quadratic_pairs = [_pipe(10_000, 1.0, pairs=1.0), _pipe(100_000, 10.0, pairs=100.0)]
    text = targets.report(quadratic_pairs)
    assert "pairs 2.00" in text and "; MISSED" in text


def test_100k_verdicts() -> None:
    text = targets.report([_pipe(100_000, 2.0), _plain(100_000, 10.0)])
    assert "cleaning at 100k <= 4 s: 2.00 s CPU" in text and "s wall), met" in text
    assert "= 1.00x (wall 1.00x), met" in text  # 5 stages x 2 s against 10 s
    assert f"peak memory at 100k <= 2 GiB: 1.00 GiB {targets.HELD}, met" in text
    slow = targets.report([_pipe(100_000, 5.0, peak=3072.0), _plain(100_000, 10.0)])
    assert slow.count("MISSED") == 3  # cleaning 5 s, ratio 2.5x, 3 GiB


def test_a_failed_million_row_run_is_missed_with_its_stages() -> None:
    why = "MemoryError in fit under the memory cap (x; at consensus.py:1 f)"
    failed = _series(1_000_000, "pipeline", {"clean": 100.0, "embed": 200.0}, 8000.0, skipped=why)
    text = targets.report([failed])
    assert "did not complete (MemoryError in fit" in text
    assert "completed stages: clean 100 s, embed 200 s), MISSED" in text
    done = _pipe(1_000_000, 100.0, peak=6144.0)  # 5 stages x 100 s, 6 GiB
    text = targets.report([done])
    assert "500 s CPU" in text
    own = "(the pipeline's own RSS 6.00 GiB)"
    assert f"peak memory at 1M <= 8 GiB: 6.00 GiB {targets.HELD} {own}, met" in text


def test_the_memory_verdict_counts_the_forked_workers() -> None:
    """A pipeline whose own RSS is 6 GiB while it and its workers hold 8.5 GiB misses 8 GiB."""
    done = _pipe(1_000_000, 100.0, peak=6144.0, tree=8704.0)
    text = targets.report([done])
    assert f"8 GiB: 8.50 GiB {targets.HELD} (the pipeline's own RSS 6.00 GiB), MISSED" in text
    small = _pipe(100_000, 1.0, peak=1024.0, tree=2560.0)
    text = targets.report([small, _plain(100_000, 9.0)])
    assert f"2 GiB: 2.50 GiB {targets.HELD}, MISSED" in text


def test_tidy_rows_and_ratio() -> None:
    rows = tidy.tidy([_pipe(1_000, 2.0), _plain(1_000, 5.0)])
    total = next(r for r in rows if r["task"] == "pipeline" and r["stage"] == "total")
    assert total["median_s"] == 10.0  # the sub-stage "pairs" is not added to the total
    assert total["ratio_to_baseline"] == 2.0
    assert {r["stage"] for r in rows if r["task"] == "baseline_lsa"} == {*targets.PLAIN, "total"}


def test_readme_block_is_replaced_between_the_markers() -> None:
    text = f"head\n{readme.BEGIN}\nold\n{readme.END}\ntail\n"
    out = readme.splice(text, "new")
    assert out == f"head\n{readme.BEGIN}\nnew\n{readme.END}\ntail\n"
    assert readme.splice("plain", "x").endswith(f"{readme.BEGIN}\nx\n{readme.END}\n")


SCALING = [BENCH / "bench.py", *sorted((BENCH / "benchkit").glob("*.py"))]


@pytest.mark.parametrize("module", SCALING, ids=lambda p: p.name)
def test_benchmark_modules_are_small(module) -> None:
    text = module.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 320
    long = [n.name for n in ast.walk(ast.parse(text))
            if isinstance(n, ast.FunctionDef) and n.end_lineno - n.lineno + 1 > 60]  # fmt: skip
    assert long == []
