"""Cleaning: read the desk files, normalise, merge duplicates, validate (raw -> processed)."""
