"""Where the mapping comes from and how far it was checked, as the index shows it.

The numbers are computed by the cleaning step (``tables/cleaning_summary.csv``,
``tables/audit_summary.csv``); these functions only pick them out of the tables as read.
Every input is optional: a missing table gives ``None``.
"""

from __future__ import annotations

import pandas as pd

SOURCE_TYPES = ("issuer", "scholarly", "official-media", "secondary", "mirror")


def cleaning_counts(log: pd.DataFrame | None, summary: pd.DataFrame | None) -> dict | None:
    """Raw rows, kept, merged, rejected and warnings (the summary table wins when present)."""
    if log is None and summary is None:
        return None
    counts = {"rows": 0, "kept": 0, "merged": 0, "rejected": 0, "warnings": None}
    if log is not None:
        outcome = log["outcome"].str.strip().str.lower()
        counts.update(
            rows=int(outcome.isin(("kept", "merged", "rejected")).sum()),  # not warnings/notes
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
        ("rows", ("raw", "raw_rows")),
        ("rejected", ("rejected", "rejected_rows")),
        ("warnings", ("warnings", "warning", "warning_rows")),
    ):
        for n in names:
            if n in pairs and str(pairs[n]).strip() != "":
                found[key] = int(float(pairs[n]))
                break
    return found


def source_type_shares(audit: pd.DataFrame | None) -> pd.DataFrame | None:
    """Share of each ``source_type`` per region (rows: region; columns: types, n)."""
    if audit is None or not set(SOURCE_TYPES) <= set(audit.columns):
        return None
    frame = audit.set_index("region")
    types = [*SOURCE_TYPES, *(["unclassified"] if "unclassified" in frame else [])]
    shares = frame[types].apply(pd.to_numeric, errors="coerce")
    shares = shares.loc[:, (shares > 0).any()]
    shares["n"] = pd.to_numeric(frame["items"]).astype(int)
    return shares


def verified_share(audit: pd.DataFrame | None) -> pd.DataFrame | None:
    """Per region: items whose every key field has a confirmed or corrected row in the log."""
    need = {"region", "items", "key_fields_checked", "key_fields_checked_items"}
    if audit is None or not need <= set(audit.columns):
        return None
    if not (pd.to_numeric(audit["in_verification_log"]) > 0).any():
        return None  # no verification log yet
    return pd.DataFrame(
        {
            "region": audit["region"],
            "items": pd.to_numeric(audit["items"]).astype(int),
            "verified": pd.to_numeric(audit["key_fields_checked_items"]).astype(int),
            "share": pd.to_numeric(audit["key_fields_checked"]),
        }
    )


def regions_present(items: pd.DataFrame | None) -> list[str]:
    """The regions that have at least one item, in the table's order."""
    return [] if items is None else list(dict.fromkeys(items["region"]))
