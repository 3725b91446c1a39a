"""Every `make reports` line of the README is a valid command (issue #16: "the README's own
example fails").

Each line is split as the shell would split it, its variables become the IC2_* environment
that the Makefile exports, and all three notebooks' parameters are validated from it, as
``make reports`` does before notebook 01 starts.
"""

from __future__ import annotations

import re
import shlex

import pytest

from ic2analysis import params, paths

MAKE_VARS = ("MAPPING", "RUN", "SET", "PARAMS", "K", "SEED")


def readme_commands() -> list[str]:
    """The `make reports ...` lines of README.md's code blocks and inline code."""
    text = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    block = [ln for b in re.findall(r"```bash\n(.*?)```", text, re.S) for ln in b.splitlines()]
    inline = re.findall(r"`(make reports [^`]*)`", text)
    lines = [ln.split("  #")[0].strip() for ln in block] + inline
    return sorted({ln for ln in lines if ln.startswith("make reports ")})


def test_the_readme_shows_examples_of_each_kind():
    shown = " ".join(readme_commands())
    assert all(f"{v}=" in shown for v in MAKE_VARS if v != "SEED") and "weights=" in shown


@pytest.mark.parametrize("command", readme_commands())
def test_each_readme_example_validates(command, tmp_path):
    words = shlex.split(command)[2:]
    values = dict(w.split("=", 1) for w in words)
    assert set(values) <= set(MAKE_VARS), command
    if "PARAMS" in values:  # an illustrative file name: an empty parameter file of that name
        (tmp_path / values["PARAMS"]).write_text("{}\n", encoding="utf-8")
        values["PARAMS"] = str(tmp_path / values["PARAMS"])
    env = {params.ENV[k]: v for k, v in values.items()}
    run, overrides = params.from_env(env)
    resolved = params.resolve(run, overrides)
    if "SET" in values:
        for key in params.split_set(values["SET"]):
            name = key.split("=", 1)[0]
            assert any(name in nb for nb in resolved.values()), (command, name)
