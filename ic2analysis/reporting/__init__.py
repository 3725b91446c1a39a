"""Reporting: figures, index page, manifest, notebook export (never computes an analysis)."""
