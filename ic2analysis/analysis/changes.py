"""What changed in the mapping since a release: items added, removed and changed, field by
field, between the processed table at a git revision and the one in the working tree.

    python -m ic2analysis.analysis.changes REV     (what ``make diff FROM=REV`` runs)

The revision is checked by ``git rev-parse`` and passed as an argument, never to a shell.
"""

from __future__ import annotations

import io
import re
import subprocess

import pandas as pd

from .. import paths

TABLE = "data/processed/initiatives.csv"
COLUMNS = ["id", "change", "field", "before", "after"]
_REV = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/~^@{}-]{0,99}$")


def _git(*args: str) -> bytes:
    done = subprocess.run(
        ["git", "-C", str(paths.ROOT), *args], capture_output=True, check=False, timeout=60
    )
    if done.returncode != 0:
        why = done.stderr.decode(errors="replace").strip() or "no such revision"
        raise ValueError(f"git {args[0]} {args[-1]}: {why}")
    return done.stdout


def at_revision(rev: str, path: str = TABLE) -> pd.DataFrame:
    """The table ``path`` as committed at ``rev`` (a tag, branch or commit)."""
    if not _REV.match(rev) or ".." in rev:
        raise ValueError(f"FROM={rev!r}: expected a git tag, branch or commit id")
    sha = _git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
    data = _git("show", f"{sha}:{path}")
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)


def compare(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """One row per added or removed item, and per changed field of a kept item."""
    old, new = before.set_index("id"), after.set_index("id")
    rows = [
        (i, "added", "", "", new.loc[i, "title"]) for i in sorted(set(new.index) - set(old.index))
    ]
    rows += [
        (i, "removed", "", old.loc[i, "title"], "") for i in sorted(set(old.index) - set(new.index))
    ]
    fields = [c for c in new.columns if c in old.columns]
    rows += [
        (i, "field added", c, "", "") for c in new.columns if c not in old.columns for i in ["*"]
    ]
    rows += [
        (i, "field removed", c, "", "") for c in old.columns if c not in new.columns for i in ["*"]
    ]
    for i in sorted(set(old.index) & set(new.index)):
        a, b = old.loc[i, fields], new.loc[i, fields]
        for c in [c for c in fields if a[c] != b[c]]:
            rows.append((i, "changed", c, a[c], b[c]))
    return pd.DataFrame(rows, columns=COLUMNS)


def summary(changes: pd.DataFrame) -> dict[str, int]:
    """Counts: items added, removed and changed, and field changes."""
    kept = changes[changes["change"] == "changed"]
    return {
        "added": int((changes["change"] == "added").sum()),
        "removed": int((changes["change"] == "removed").sum()),
        "changed_items": int(kept["id"].nunique()),
        "changed_fields": len(kept),
    }
