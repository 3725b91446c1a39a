"""The issue 18 target list of the benchmark: the n log n limit and honest 'not measured'."""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass, field

from ic2analysis import paths

_spec = importlib.util.spec_from_file_location("targets", paths.ROOT / "benchmarks/targets.py")
targets = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(targets)


@dataclass
class _Run:
    result: dict
    peak_mib: float = 1024.0


@dataclass
class _Series:
    size: int
    task: str
    runs: list = field(default_factory=list)

    def get(self, stage):
        return self.runs[0].result["times"].get(stage)

    median = get

    def total(self, stages):
        return sum(self.runs[0].result["times"].get(s, 0.0) for s in stages)

    def peak(self):
        return self.runs[0].peak_mib


def _pipe(n: int, seconds: float) -> _Series:
    times = dict.fromkeys(targets.PIPELINE, seconds) | {"pairs": seconds}
    return _Series(n, "pipeline", [_Run({"items": n, "times": times})])


def test_nlogn_exponent_from_10k_to_100k() -> None:
    assert math.isclose(targets.nlogn_exponent(10_000, 100_000), 1 + math.log(1.25) / math.log(10))


def test_nothing_measured_passes_nothing() -> None:
    text = targets.report([])
    assert "met" not in text.replace("not measured", "")
    assert text.count("not measured") == 3


def test_growth_verdicts() -> None:
    linear = [_pipe(10_000, 1.0), _pipe(100_000, 10.0)]
    assert "; met" in targets.report(linear)
    quadratic = [_pipe(10_000, 1.0), _pipe(100_000, 100.0)]
    assert "; MISSED" in targets.report(quadratic)


def test_100k_verdicts() -> None:
    plain = _Series(100_000, "baseline_lsa", [_Run({"items": 100_000, "times": {"read": 10.0}})])
    text = targets.report([_pipe(100_000, 2.0), plain])
    assert "cleaning at 100k <= 4 s: 2.00 s, met" in text
    assert "= 1.00x, met" in text  # 5 stages x 2 s against 10 s
