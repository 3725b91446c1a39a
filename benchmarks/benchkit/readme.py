"""Where the numbers were measured, and the README's generated block."""

from __future__ import annotations

import os
import platform
import subprocess

from ic2analysis import files

from .settings import README, ROOT

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def environment(threads: int) -> str:
    """One line describing where the numbers were measured."""
    import numpy
    import pandas
    import sklearn

    try:
        rev = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, text=True,
                             capture_output=True, check=True).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        rev = "unknown"
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    return (
        f"Package at git {rev}. Measured on {platform.machine()} with {os.cpu_count()} CPUs "
        f"(load average at the end {load}), Python {platform.python_version()}, numpy "
        f"{numpy.__version__}, pandas {pandas.__version__}, scikit-learn "
        f"{sklearn.__version__}; {threads} BLAS/OpenMP thread(s) per measurement."
    )


def splice(text: str, block: str) -> str:
    """``text`` with its generated block (between the markers) replaced by ``block``."""
    if BEGIN not in text or END not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    return f"{head}{BEGIN}\n{block}\n{END}{rest.split(END, 1)[1]}"


def update_readme(block: str) -> None:
    """Rewrite README.md's generated block (atomically)."""
    text = README.read_text(encoding="utf-8") if README.exists() else ""
    files.write_text(README, splice(text, block))
