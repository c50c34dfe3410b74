"""Hydro availability (monthly inflow regime) and load shapes (mean 1, given peak ratio)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .common import (
    ar1,
    bisect,
    calibrate_capped,
    knots_for_month_shares,
    monthly_to_hourly,
    rng_for,
    seasonal_cos,
)
from .common import solar_hour as local_hour

# Relative monthly inflow, Jan..Dec, where no monthly statistics are shipped (L): snowmelt-fed
# rivers (Irtysh, Syr/Amu Darya tributaries) peak May-July; the Kura below Mingachevir
# reservoir is regulated and flatter. A node with month_share rows in profile_targets.csv
# (Georgia: ISET-PI monthly hydro output 2018-2020) takes its regime from them instead.
SNOWMELT = np.array([0.60, 0.58, 0.70, 0.95, 1.35, 1.65, 1.60, 1.30, 0.95, 0.80, 0.75, 0.70])
REGULATED = np.array([0.85, 0.85, 0.95, 1.15, 1.25, 1.15, 1.05, 0.95, 0.90, 0.90, 0.95, 0.95])
HYDRO_REGIME = {"AZ": REGULATED}
MELT_SHIFT_SD = 10.0  # days: early or late snowmelt in a weather year (one regional value)

# Load seasonality per country: (winter heating amplitude, summer cooling amplitude).
LOAD_SEASON = {"KZ": (0.22, 0.03), "GE": (0.22, 0.05), "UZ": (0.12, 0.20), "AZ": (0.08, 0.18)}
LOAD_SEASON_DEFAULT = (0.15, 0.08)


def hydro_profiles(
    times: pd.DatetimeIndex,
    countries: pd.Series,
    cf: pd.Series,
    year: str,
    month_shares: dict[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Hydro p_max_pu per node: monthly regime (the node's ``month_shares`` of the annual
    output where given, else its country's coded regime), shifted by the year's melt timing,
    scaled and capped at 1 so that the annual mean equals ``cf`` (0 gives zeros)."""
    shift = 0.0 if year == "design" else MELT_SHIFT_SD * rng_for(year, "melt").standard_normal()
    shares = month_shares or {}
    out = {}
    for node, country in countries.items():
        knots = (
            knots_for_month_shares(times, shares[node])
            if node in shares
            else HYDRO_REGIME.get(country, SNOWMELT)
        )
        out[node] = calibrate_capped(
            monthly_to_hourly(times, knots, shift), float(cf.get(node, 0.0))
        )
    return pd.DataFrame(out, index=times)


def bump(x: np.ndarray, centre: float, width: float) -> np.ndarray:
    """Gaussian bump on the 24-h circle."""
    return np.exp(-0.5 * (((x - centre + 12) % 24 - 12) / width) ** 2)


def base_load(times: pd.DatetimeIndex, lon: float, country: str, noise: np.ndarray) -> np.ndarray:
    """Unscaled positive load shape: seasonal x daily x weekly x noise (local solar time)."""
    winter, summer = LOAD_SEASON.get(country, LOAD_SEASON_DEFAULT)
    heat = np.clip(seasonal_cos(times, 20), 0, None)
    cool = np.clip(seasonal_cos(times, 205), 0, None) ** 3
    h = local_hour(times, lon)
    daily = (
        1
        - 0.20 * bump(h, 3.5, 2.5)
        + 0.10 * bump(h, 8.5, 1.5)
        + 0.18 * bump(h, 19.5, 2.0)
        + 0.5 * summer * cool * bump(h, 15.0, 3.0)
    )
    local_day = (times + pd.to_timedelta(lon / 15, unit="h")).dayofweek.to_numpy()
    weekly = np.select([local_day == 5, local_day == 6], [0.95, 0.90], 1.0)
    return (1 + winter * heat + summer * cool) * daily * weekly * np.exp(0.03 * noise)


def shape_to_peak_ratio(base: np.ndarray, ratio: float) -> np.ndarray:
    """``base ** g / mean`` with g bisected so that max/mean equals ``ratio`` (mean exactly 1)."""
    if ratio <= 1:
        raise ValueError(f"peak ratio {ratio} must exceed 1")

    def peak(g: float) -> float:
        y = base**g
        return y.max() / y.mean()

    hi = 1.0
    while peak(hi) < ratio:
        hi *= 2
        if hi > 1e3:
            raise ValueError(f"peak ratio {ratio} unreachable")
    y = base ** bisect(peak, ratio, 0.0, hi, tol=1e-8)
    return y / y.mean()


def load_profiles(
    times: pd.DatetimeIndex, nodes: pd.DataFrame, peak_ratio: pd.Series, year: str
) -> pd.DataFrame:
    """Load shape (mean 1) per node with max/mean = ``peak_ratio``; noise differs by year (the
    design year keeps the seeds of energy/profiles.py, so its load is unchanged)."""
    out = {}
    for node, ratio in peak_ratio.items():
        key = ("load", node) if year == "design" else (year, "load", node)
        noise = ar1(rng_for(*key).standard_normal(len(times)), 0.97)
        row = nodes.loc[node]
        base = base_load(times, float(row["lon"]), row["country"], noise)
        out[node] = shape_to_peak_ratio(base, float(ratio))
    return pd.DataFrame(out, index=times)
