"""Scenario sweeps: a base scenario × a grid and/or a list of cases (:mod:`.cases`), run in
parallel on Dask, resumable, failures isolated (:mod:`.execute`), merged into a summary and a
cube (:mod:`.outputs`). Each case runs into ``<results root>/<sweep>/<case-id>/``."""

from energy.run.sweep.cases import Case, Sweep, load_sweep
from energy.run.sweep.execute import SweepReport, run_sweep

__all__ = ["Case", "Sweep", "SweepReport", "load_sweep", "run_sweep"]
