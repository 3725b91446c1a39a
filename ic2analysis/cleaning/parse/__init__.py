"""Pure functions that turn one raw cell into a normalised value, one module per kind of cell.

Each returns a value or raises ``ValueError`` saying what was expected; ``clean`` turns that
into a rejection naming the file, row and column. Parsers that can read a cell but not
without doubt return a warning next to the value, and ``clean`` logs it.
"""
