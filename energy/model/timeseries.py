"""Time resolution: the modelled window of the year and its aggregation (with weightings).

Resolutions follow the grammar of :mod:`energy.config.resolution`; here they are applied:

- ``1h``: every hour;
- ``Nh``: every N-th hour, each weighted N hours (PyPSA ``downsample``);
- ``mean:Nh``: N-hour means (PyPSA ``resample``);
- ``segments:K``: K variable-length segments from tsam (PyPSA ``segment``);
- ``days:K``: K typical days (tsam medoids; see :func:`typical_days`);
- ``linked-days:K``: the same days, with the typical day of every day of the year in
  ``n.meta`` so that storage is linked across the year (:mod:`energy.model.storage_linking`).

Every resolution preserves energy: each load and availability series keeps the weighted
total of its hourly series (:func:`preserve_means`). Loads are scaled; an availability is
scaled up to at most 1.0 and what the cap removes is spread over its other (non-zero) hours.
Only a series that would need more than 1.0 in every hour it is non-zero cannot keep its
total; it is set to 1.0 there and the shortfall is logged (see :func:`fill_to_total`).

Objective and generator weightings carry the hours a snapshot stands for; store weightings
are the elapsed hours, so the state of charge stays right.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pypsa

from energy.config.resolution import parse_resolution
from energy.errors import InputError

logger = logging.getLogger(__name__)


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
        raise InputError(
            [f"window {start} … {end} selects no hour of the profiles ({hourly[0]} … {hourly[-1]})"]
        )
    return selected


def aggregate(n: pypsa.Network, resolution: str) -> pypsa.Network:
    """Return the network at ``resolution`` (the hourly network itself for ``1h``)."""
    try:
        res = parse_resolution(resolution)
    except ValueError as err:
        raise InputError([str(err)]) from None
    if res.method == "hourly":
        return n
    if res.method == "sample":
        return preserve_means(n, n.cluster.temporal.downsample(res.count))
    if res.method == "mean":  # means over the hours: energy kept by construction
        return n.cluster.temporal.resample(f"{res.count}h")
    if res.method == "segments":  # tsam segment means, weighted by length: energy kept
        return n.cluster.temporal.segment(res.count)
    return preserve_means(n, typical_days(n, res.count, linked=res.method == "linked-days"))


def time_series(n: pypsa.Network) -> pd.DataFrame:
    """Loads and generator availabilities as one wide frame (columns: component, name)."""
    return pd.concat(
        {"load": n.c.loads.dynamic["p_set"], "availability": n.c.generators.dynamic["p_max_pu"]},
        axis=1,
    )


def fill_to_total(values: np.ndarray, weights: np.ndarray, total: float) -> np.ndarray:
    """Scale ``values`` (≥ 0) so that Σ weights·result = ``total`` with every result ≤ 1.

    Hours that reach 1.0 are capped and the remaining need is spread over the other
    non-zero hours in proportion to their values, repeated until no further hour reaches
    the cap. Zero hours stay zero; if even 1.0 in every non-zero hour falls short of
    ``total``, the result is 1.0 there (the caller reports the shortfall)."""
    result = np.zeros(values.shape)
    positive = values > 0
    if not positive.any():
        return result
    capped = np.zeros_like(positive)
    while True:
        free = positive & ~capped
        if not free.any():
            break
        factor = (total - weights[capped].sum()) / (weights[free] * values[free]).sum()
        reach = free & (values * factor >= 1.0)
        if not reach.any():
            break
        capped |= reach
    result[capped] = 1.0
    result[free] = values[free] * factor
    return result


def preserve_means(hourly: pypsa.Network, m: pypsa.Network) -> pypsa.Network:
    """Rescale the aggregated loads and availabilities of ``m`` so that every series keeps
    the weighted total (energy) of the hourly network: loads by one factor, availabilities
    by :func:`fill_to_total` (≤ 1, what the cap removes spread over the other hours). A
    series that cannot keep its total is logged with the share it loses."""
    w_hourly = hourly.snapshot_weightings["generators"]
    w_agg = m.snapshot_weightings["generators"].to_numpy()
    for attr, dynamic in (("p_set", m.c.loads.dynamic), ("p_max_pu", m.c.generators.dynamic)):
        source = (hourly.c.loads if attr == "p_set" else hourly.c.generators).dynamic[attr]
        target = dynamic[attr]
        if target.empty:
            continue
        totals = source.mul(w_hourly, axis=0).sum()
        scaled = target.copy()
        for column in target.columns:
            values = target[column].to_numpy()
            total = float(totals[column])
            agg_total = float(w_agg @ values)
            if attr == "p_set":
                kept = values * (total / agg_total) if agg_total > 0 else values
            else:
                kept = fill_to_total(values, w_agg, total)
            scaled[column] = kept
            reached = float(w_agg @ kept)
            if total > 0 and abs(reached - total) > 1e-9 * total:
                logger.warning(
                    "aggregation: %s %s keeps %.4f %% of its energy (%.6g of %.6g %s)",
                    attr,
                    column,
                    100 * reached / total,
                    reached,
                    total,
                    "MWh" if attr == "p_set" else "MWh per MW",
                )
        dynamic[attr] = scaled
    return m


def typical_days(n: pypsa.Network, k: int, linked: bool = False) -> pypsa.Network:
    """K typical days (tsam, hierarchical clustering, medoid days taken from the year itself),
    in calendar order; each hour weighs as many hours as days its cluster stands for, while
    the state of charge advances by one hour per hour. ``linked``: record in ``n.meta`` which
    typical day stands for each day of the window (:data:`LINKED_DAYS`), for the inter-day
    storage level of :mod:`energy.model.storage_linking`."""
    import tsam
    from tsam import ClusterConfig

    data = time_series(n)
    data.columns = [f"{a}|{b}" for a, b in data.columns]
    if len(data) % 24 or len(data) // 24 < k:
        raise InputError([f"resolution days:{k} needs a window of whole days, at least {k}"])
    result = tsam.aggregate(
        data,
        n_clusters=k,
        period_duration=24,
        cluster=ClusterConfig(method="hierarchical", representation="medoid"),
        preserve_column_means=False,
    )
    days = data.to_numpy().reshape(-1, 24 * data.shape[1])
    chosen = {}
    for cluster, count in result.cluster_counts.items():
        day = day_of(result, cluster, days)
        chosen[day] = chosen.get(day, 0) + count
    hours = np.concatenate([np.arange(day * 24, day * 24 + 24) for day in sorted(chosen)])
    weights = np.repeat([chosen[day] for day in sorted(chosen)], 24).astype(float)
    m = n.copy()
    selected = n.snapshots[hours]
    m.set_snapshots(selected)  # keeps every time series at the selected hours
    m.snapshot_weightings = pd.DataFrame(
        {"objective": weights, "generators": weights, "stores": 1.0}, index=selected
    )
    if linked:
        order = sorted(chosen)
        medoid = {c: order.index(day_of(result, c, days)) for c in result.cluster_counts}
        m.meta = dict(n.meta) | {
            LINKED_DAYS: [medoid[c] for c in result.cluster_assignments],
            MEDOID_DAYS: order,
        }
    return m


LINKED_DAYS = "linked_days"  # n.meta key: the typical day (0 … K-1) of each day of the window
MEDOID_DAYS = "medoid_days"  # n.meta key: the day of the window each typical day is taken from


def day_of(result, cluster, days: np.ndarray) -> int:
    """The day of the window closest to ``cluster``'s medoid (its representative day)."""
    medoid = result.cluster_representatives.loc[cluster].to_numpy().reshape(-1)
    return int(np.argmin(np.abs(days - medoid).sum(axis=1)))


def modelled_years(n: pypsa.Network) -> float:
    """Hours the snapshots stand for, in years of 8,760 h (1.0 for a full year)."""
    return float(n.snapshot_weightings["objective"].sum()) / 8760.0
