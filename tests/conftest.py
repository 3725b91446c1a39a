"""Test setup: every output goes to a temporary folder, never into the tracked tree."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # Set before nbval starts kernels, which inherit the environment.
    if not os.environ.get("IC2_OUTPUT_DIR"):
        os.environ["IC2_OUTPUT_DIR"] = tempfile.mkdtemp(prefix="ic2-test-")
    # The pipeline's thread setting (runner.THREADS), before numpy and scikit-learn load.
    from ic2analysis.runner import limit_threads

    limit_threads()


@pytest.fixture
def out_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh output folder for one test."""
    monkeypatch.setenv("IC2_OUTPUT_DIR", str(tmp_path / "out"))
    return tmp_path / "out"


MINIMAL = (
    "title,region,kind,year,description,source_url\n"
    "Council conclusions on personalised medicine for patients,Europe,policy,2015,"
    "Council conclusions asking member states to prepare health systems for personalised "
    "medicine.,https://eur-lex.europa.eu/x\n"
    "Healthy China 2030 Planning Outline,China,policy,2016,National plan that sets health "
    "targets and prevention priorities to 2030.,https://example.org/hc2030\n"
)


@pytest.fixture
def minimal_csv(tmp_path: Path) -> Path:
    """A mapping with only the required columns."""
    p = tmp_path / "minimal.csv"
    p.write_text(MINIMAL, encoding="utf-8")
    return p


# Files whose tests run a browser, notebooks or make; `make test-fast` leaves them out
# (tests elsewhere can opt in with @pytest.mark.slow).
SLOW_FILES = {"test_browser.py", "test_make.py"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in SLOW_FILES or item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
