"""The README's output map names every table and figure the default run writes."""

import re

from ic2analysis import paths


def test_every_table_and_figure_is_in_the_readme_map():
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Where each output comes from", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`([A-Za-z0-9_./]+)`", section))
    committed = paths.REPORTS  # the committed default run (tests write elsewhere)
    tables = {p.name for p in (committed / "tables").iterdir() if p.suffix in (".csv", ".json")}
    figures = {p.stem for p in (committed / "figures").iterdir() if p.suffix == ".png"}
    assert tables, "the committed reports have tables"
    assert sorted(tables - named) == []
    assert sorted(figures - named) == []
