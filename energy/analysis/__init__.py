"""Analyses that answer the sizing question by solving a scenario many times.

Owns the value curve of a link (:mod:`.value_curve`: the link fixed at each size at its full
capital cost), its near-optimal range (:mod:`.mga`: min and max size within a cost slack),
the one-at-a-time drivers (:mod:`.tornado`, ranges from ``inputs/tornado_drivers.csv``) and
the side-by-side table of results folders (:mod:`.compare`). :mod:`.cases` runs the solves
in parallel on the sweep machinery's Dask client, resumable, a failed case recorded while the
others go on. Everything is written under ``<results root>/{value-curve,mga,tornado}/``.
"""
