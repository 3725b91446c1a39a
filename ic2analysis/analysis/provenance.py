"""Summaries of where the mapping comes from and how far it was checked, for the index.

Each function takes the tables as read (strings) and returns plain numbers, so that the
reporting layer only formats. Every input is optional: a missing table gives ``None``.
"""

from __future__ import annotations

import pandas as pd

KEY_FIELDS = ("title", "date_start", "lead_body", "source_url")
CHECKED = ("confirmed", "corrected")
SOURCE_TYPES = ("issuer", "scholarly", "official-media", "secondary", "mirror")


def cleaning_counts(log: pd.DataFrame | None, summary: pd.DataFrame | None) -> dict | None:
    """Raw rows, kept, merged, rejected and warnings (the summary table wins when present)."""
    if log is None and summary is None:
        return None
    counts = {"rows": 0, "kept": 0, "merged": 0, "rejected": 0, "warnings": None}
    if log is not None:
        outcome = log["outcome"].str.strip().str.lower()
        counts.update(
            rows=len(log),
            **{k: int((outcome == k).sum()) for k in counts if k in ("kept", "merged", "rejected")},
        )
        if "warnings" in log.columns or (outcome == "warning").any():
            counts["warnings"] = _warnings_in_log(log, outcome)
    counts.update(_summary_values(summary))
    return counts


def _warnings_in_log(log: pd.DataFrame, outcome: pd.Series) -> int:
    if "warnings" in log.columns:
        return int((log["warnings"].str.strip() != "").sum())
    return int((outcome == "warning").sum())


def _summary_values(summary: pd.DataFrame | None) -> dict:
    """Counts from a cleaning summary, long (name/value) or wide (one row)."""
    if summary is None or summary.empty:
        return {}
    cols = [c.lower() for c in summary.columns]
    if "file" in cols:  # one row per raw file, maybe with a 'total' row
        by_file = summary.set_axis(cols, axis=1)
        total = by_file[by_file["file"].str.lower() == "total"]
        rows = total if len(total) else by_file
        numeric = rows.drop(columns="file").apply(pd.to_numeric, errors="coerce")
        pairs = numeric.sum().to_dict()
    elif len(cols) >= 2 and cols[0] in ("metric", "name", "key", "outcome", "what"):
        pairs = dict(zip(summary.iloc[:, 0].str.lower(), summary.iloc[:, 1], strict=True))
    else:
        pairs = {c: summary.iloc[0, i] for i, c in enumerate(cols)}
    found = {}
    for key, names in (
        ("rejected", ("rejected", "rejected_rows")),
        ("warnings", ("warnings", "warning", "warning_rows")),
    ):
        for n in names:
            if n in pairs and str(pairs[n]).strip() != "":
                found[key] = int(float(pairs[n]))
                break
    return found


def source_type_shares(items: pd.DataFrame | None) -> pd.DataFrame | None:
    """Share of each ``source_type`` per region (rows: region; columns: types, n)."""
    if items is None or "source_type" not in items.columns:
        return None
    types = items["source_type"].replace("", "unknown")
    order = [t for t in (*SOURCE_TYPES, "unknown") if (types == t).any()]
    order += sorted(set(types) - set(order))
    tab = pd.crosstab(items["region"], types).reindex(columns=order, fill_value=0)
    shares = tab.div(tab.sum(axis=1), axis=0)
    shares["n"] = tab.sum(axis=1)
    return shares


def verified_share(
    items: pd.DataFrame | None, log: pd.DataFrame | None, fields: tuple[str, ...] = KEY_FIELDS
) -> pd.DataFrame | None:
    """Per region: items whose every key field has a confirmed or corrected row in the log."""
    if items is None or log is None:
        return None
    ok = log[log["verdict"].str.strip().isin(CHECKED)]
    done = ok[ok["field"].isin(fields)].groupby("id")["field"].nunique()
    full = set(done[done == len(fields)].index)
    logged = set(log["id"])
    rows = []
    for region, sub in items.groupby("region", sort=False):
        n = len(sub)
        rows.append(
            {
                "region": region,
                "items": n,
                "in_log": int(sub["id"].isin(logged).sum()),
                "verified": int(sub["id"].isin(full).sum()),
            }
        )
    frame = pd.DataFrame(rows)
    frame["share"] = frame["verified"] / frame["items"].where(frame["items"] > 0)
    return frame


def regions_present(items: pd.DataFrame | None) -> list[str]:
    """The regions that have at least one item, in the table's order."""
    return [] if items is None else list(dict.fromkeys(items["region"]))
