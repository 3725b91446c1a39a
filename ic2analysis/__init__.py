"""ic2analysis: a reproducible mapping of personalised-medicine policy in Europe and China.

The package holds all logic; the notebooks in ``notebooks/`` only call into it.
Data flows one way: ``data/raw`` -> ``clean`` -> ``topics`` -> ``bridges`` -> ``reports``.
"""

__version__ = "0.1.0"
