"""Analysis: topics and the Europe-China comparison, from the processed table (never draws)."""
