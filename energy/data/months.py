"""Published energy in month ranges of a year (``demand_months.csv``, ``hydro_months.csv``):
the hourly factors that make an hourly series hold it."""

from __future__ import annotations

import numpy as np
import pandas as pd


def range_factors(
    mwh: np.ndarray,
    month: np.ndarray,
    ranges: pd.DataFrame,
    column: str,
    rest_mwh: float | None = None,
) -> np.ndarray:
    """One factor per hour so that ``mwh * factor`` holds each range's ``column`` TWh in its
    months (``first_month``-``last_month``) and ``rest_mwh`` in the months no range covers
    (those keep their hourly values where ``rest_mwh`` is None). A range the series leaves
    empty keeps factor 1."""
    group = np.zeros(13, dtype=int)  # month -> its range (0: the rest of the year)
    target = np.empty(len(ranges) + 1)
    for i, (first, last, twh) in enumerate(
        ranges[["first_month", "last_month", column]].to_numpy(), start=1
    ):
        group[int(first) : int(last) + 1] = i
        target[i] = twh * 1e6
    ids = group[month]
    held = np.bincount(ids, weights=mwh, minlength=len(target))
    target[0] = held[0] if rest_mwh is None else rest_mwh
    factor = np.divide(target, held, out=np.ones_like(held), where=held > 0)
    return factor[ids]
