"""A step forked beside the others gives the same result, and its failure is not lost."""

import os

import numpy as np
import pytest

from ic2analysis.errors import MappingError
from ic2analysis.forked import Forked


def _pid_and_sum(x: np.ndarray) -> tuple[int, float]:
    return os.getpid(), float(x.sum())


def test_a_forked_result_is_the_one_of_a_call_made_here(monkeypatch):
    monkeypatch.setenv("IC2_JOBS", "2")
    x = np.arange(1_000_000, dtype=float)
    job = Forked(lambda: _pid_and_sum(x))
    assert job.forked
    pid, total = job.result()
    assert pid != os.getpid()  # it did run in another process
    assert total == _pid_and_sum(x)[1]


def test_with_one_job_or_asked_not_to_it_runs_here_when_awaited(monkeypatch):
    calls = []
    monkeypatch.setenv("IC2_JOBS", "1")
    job = Forked(lambda: calls.append(1) or os.getpid())
    assert not job.forked and calls == []  # nothing runs before the result is asked for
    assert job.result() == os.getpid() and calls == [1]
    monkeypatch.setenv("IC2_JOBS", "2")
    assert Forked(os.getpid, fork=False).result() == os.getpid()


def _fail():
    raise MappingError("data/raw/x.csv", "a year", row=4, column="date_start", got="soon")


def test_an_exception_in_the_child_is_raised_in_the_parent(monkeypatch):
    monkeypatch.setenv("IC2_JOBS", "2")
    with pytest.raises(MappingError, match="x.csv"):
        Forked(_fail).result()


def test_a_child_that_dies_is_reported_with_its_exit_code(monkeypatch):
    monkeypatch.setenv("IC2_JOBS", "2")
    with pytest.raises(RuntimeError, match="exit code 3"):
        Forked(lambda: os._exit(3)).result()


def test_an_unpicklable_result_is_an_error_that_says_so(monkeypatch):
    monkeypatch.setenv("IC2_JOBS", "2")
    with pytest.raises(RuntimeError, match="could not be sent back"):
        Forked(lambda: lambda: 1).result()


class _Odd(Exception):
    def __init__(self, a, b):  # pickles, but cannot be rebuilt from its args
        super().__init__(f"{a} and {b}")


def _odd():
    raise _Odd(1, 2)


def test_an_exception_that_cannot_cross_is_reported_by_its_message(monkeypatch):
    monkeypatch.setenv("IC2_JOBS", "2")
    with pytest.raises(RuntimeError, match="1 and 2.*could not be sent back"):
        Forked(_odd).result()
