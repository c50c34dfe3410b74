"""Measure profile statistics named in ``inputs/profile_targets.csv`` and check their bands."""

from __future__ import annotations

import numpy as np
import pandas as pd

SEASONS = {
    12: "DJF",
    1: "DJF",
    2: "DJF",
    3: "MAM",
    4: "MAM",
    5: "MAM",
    6: "JJA",
    7: "JJA",
    8: "JJA",
    9: "SON",
    10: "SON",
    11: "SON",
}
MONTH = "month_share_"  # month_share_MM: the month's share of the year's total (01-12)
PROFILE_STATS = (
    "cf_annual",
    "share_below_0.1",
    "share_above_0.8",
    "diurnal_peak_hour",
    "peak_season",
    "ratio_djf_jja",
    "corr_hourly",
    *(f"{MONTH}{m:02d}" for m in range(1, 13)),
)


def diurnal_peak_hour(series: pd.Series, lon: float) -> float:
    """Local solar time (h, 0-24) of the maximum of the first 24-h harmonic of ``series``."""
    profile = series.groupby(series.index.hour).mean().reindex(range(24)).to_numpy()
    hours = np.arange(24) + 0.5 + lon / 15.0
    phase = np.angle(np.sum(profile * np.exp(1j * 2 * np.pi * hours / 24)))
    return float((phase * 24 / (2 * np.pi)) % 24)


def season_means(s: pd.Series) -> pd.Series:
    """Mean per meteorological season (DJF, MAM, JJA, SON)."""
    return s.groupby(s.index.month.map(SEASONS)).mean()


def measure(
    profiles: dict[str, pd.DataFrame],
    node: str,
    carrier: str,
    stat: str,
    lons: dict[tuple[str, str], float],
) -> float | str:
    """One statistic of the profiles; pairs are written 'A|B' with carriers 'c1|c2'."""
    if stat == "corr_hourly":
        (a, b), (ca, cb) = node.split("|"), carrier.split("|")
        return float(np.corrcoef(profiles[ca][a], profiles[cb][b])[0, 1])
    s = profiles[carrier][node]
    if stat == "cf_annual":
        return float(s.mean())
    if stat.startswith("share_below_"):
        return float((s < float(stat.rsplit("_", 1)[1])).mean())
    if stat.startswith("share_above_"):
        return float((s > float(stat.rsplit("_", 1)[1])).mean())
    if stat.startswith(MONTH):
        return float(s[s.index.month == int(stat.removeprefix(MONTH))].sum() / s.sum())
    if stat == "diurnal_peak_hour":
        return diurnal_peak_hour(s, lons[node, carrier])
    seasons = season_means(s)
    if stat == "peak_season":
        return str(seasons.idxmax())
    if stat == "ratio_djf_jja":
        return float(seasons["DJF"] / seasons["JJA"])
    raise ValueError(f"unknown statistic {stat}")


def within(value: float | str, row: pd.Series) -> bool:
    """Is ``value`` inside the row's band?  Categories: one of 'A|B'; hours: low > high wraps."""
    if isinstance(value, str):
        return value in str(row["value"]).split("|")
    low, high = float(row["low"]), float(row["high"])
    if row["statistic"] == "diurnal_peak_hour" and low > high:
        return value >= low or value <= high
    return low <= value <= high


def evaluate(
    targets: pd.DataFrame, profiles: dict[str, pd.DataFrame], lons: dict[tuple[str, str], float]
) -> pd.DataFrame:
    """Target rows that the profiles can answer, with ``measured`` and ``ok`` columns."""
    rows = targets[targets["statistic"].isin(PROFILE_STATS)].copy()
    have = [
        all(
            c in profiles and n in profiles[c]
            for n, c in zip(r.node.split("|"), r.carrier.split("|"))
        )
        for r in rows.itertuples()
    ]
    rows = rows[have]
    rows["measured"] = [
        measure(profiles, r.node, r.carrier, r.statistic, lons) for r in rows.itertuples()
    ]
    rows["ok"] = [within(m, r) for m, (_, r) in zip(rows["measured"], rows.iterrows())]
    return rows


def interannual_cv(annual: pd.DataFrame) -> pd.Series:
    """std / mean across weather years (rows) of each annual-CF column (ddof 0)."""
    return annual.std(ddof=0) / annual.mean()
