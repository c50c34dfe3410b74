"""Time resolution: the modelled window of the year and its aggregation (with weightings).

``resolution`` strings (scenario setting or ``--resolution``):

- ``1h``: every hour;
- ``Nh``: every N-th hour, each weighted N hours (PyPSA ``downsample``);
- ``mean:Nh``: N-hour means (PyPSA ``resample``);
- ``segments:K``: K variable-length segments from tsam (PyPSA ``segment``).

Objective and generator weightings carry the hours a snapshot stands for; store weightings
are the elapsed hours, so the state of charge stays right.
"""

from __future__ import annotations

import pandas as pd
import pypsa

from energy.inputs import InputError


def window_index(hourly: pd.DatetimeIndex, start: str | None, end: str | None) -> pd.DatetimeIndex:
    """Hourly snapshots from ``start`` to ``end`` (inclusive; a bare date means its whole day)."""
    if start is None and end is None:
        return hourly
    lo = pd.Timestamp(start) if start else hourly[0]
    hi = pd.Timestamp(end) if end else hourly[-1]
    if end and len(end.strip()) <= 10:  # a date: include its 24 hours
        hi = hi + pd.Timedelta(hours=23)
    selected = hourly[(hourly >= lo) & (hourly <= hi)]
    if selected.empty:
        raise InputError([f"window {start} … {end} selects no hour of the profiles "
                          f"({hourly[0]} … {hourly[-1]})"])
    return selected


def aggregate(n: pypsa.Network, resolution: str) -> pypsa.Network:
    """Return the network at ``resolution`` (the hourly network itself for ``1h``)."""
    if resolution == "1h":
        return n
    method, _, arg = resolution.rpartition(":")
    if method == "":
        return n.cluster.temporal.downsample(int(arg.removesuffix("h")))
    if method == "mean":
        return n.cluster.temporal.resample(arg)
    if method == "segments":
        return n.cluster.temporal.segment(int(arg))
    raise InputError([f"unknown resolution '{resolution}'"])


def modelled_years(n: pypsa.Network) -> float:
    """Hours the snapshots stand for, in years of 8,760 h (1.0 for a full year)."""
    return float(n.snapshot_weightings["objective"].sum()) / 8760.0
