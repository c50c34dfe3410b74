"""PV capacity factors: pvlib clear sky on a tilted plane x a stochastic clearness index.

The monthly mean clearness index is fitted at Baku to the monthly global horizontal irradiation
of Pirallahi (data brief, section 3) and, lacking monthly data elsewhere (brief, section 10),
the same seasonal shape is used at every node.  Days are clear or cloudy around that mean
(daily AR(1), correlated between nodes as exp(-d / CLOUD_KM), partly driven by the node's daily
synoptic wind anomaly: windy frontal days are cloudier) with an hourly cloud flicker on top.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pvlib

from .common import ar1, calibrate_capped, correlated_noise, rng_for, snapshots

# Pirallahi (Absheron) monthly GHI, MJ/m2, Jan..Dec (data brief section 3; annual 5,679).
PIRALLAHI_GHI = np.array([176, 228, 378, 552, 737, 804, 801, 707, 512, 403, 222, 159], float)
BAKU = (40.41, 49.87)
CLOUD_SD, CLOUD_PHI, CLOUD_KM = 0.6, 0.6, 600.0
WIND_CLOUD = 0.3  # correlation of daily cloudiness with the daily synoptic wind anomaly
FLICKER_SD, FLICKER_PHI = 0.35, 0.7


@lru_cache(maxsize=32)
def clear_sky(lat: float, lon: float, year: int = 2030) -> tuple[np.ndarray, np.ndarray]:
    """Hourly clear-sky (GHI, POA) in kW/m2 at mid-hour; plane south-facing, tilt 0.8 x lat."""
    times = snapshots(year)
    mid = (times + pd.Timedelta(minutes=30)).tz_localize("UTC")
    site = pvlib.location.Location(lat, lon)
    pos = site.get_solarposition(mid)
    cs = site.get_clearsky(mid, model="ineichen", solar_position=pos)
    poa = pvlib.irradiance.get_total_irradiance(
        0.8 * abs(lat),
        180.0 if lat >= 0 else 0.0,
        pos["apparent_zenith"],
        pos["azimuth"],
        cs["dni"],
        cs["ghi"],
        cs["dhi"],
        dni_extra=pvlib.irradiance.get_extra_radiation(mid),
        model="haydavies",
    )["poa_global"].to_numpy()
    up = pos["elevation"].to_numpy() > 0
    return np.where(up, cs["ghi"].to_numpy(), 0.0) / 1e3, np.where(up, np.nan_to_num(poa), 0) / 1e3


def monthly_clearness(year: int = 2030) -> np.ndarray:
    """Monthly mean clearness (GHI / clear-sky GHI) at Baku from the Pirallahi table."""
    ghi_cs, _ = clear_sky(*BAKU, year)
    month = snapshots(year).month.to_numpy() - 1
    clear_mj = np.bincount(month, weights=ghi_cs, minlength=12) * 3.6
    return np.clip(PIRALLAHI_GHI / clear_mj, 0.05, 0.98)


def hourly_clearness(
    times: pd.DatetimeIndex,
    cloud_daily: np.ndarray,
    flicker: np.ndarray,
    typical_weights: np.ndarray | None = None,
) -> np.ndarray:
    """Clearness per hour: 1 - (1 - monthly mean) x lognormal cloudiness (daily, hourly).

    With ``typical_weights`` (clear-sky GHI) the cloudiness is rescaled so that every month's
    GHI-weighted mean clearness is its climatological value, as in a typical meteorological
    year (used for the design year)."""
    month = times.month.to_numpy() - 1
    k_month = monthly_clearness(times[0].year)[month]
    cloudy = np.exp(CLOUD_SD * cloud_daily[times.dayofyear.to_numpy() - 1] - CLOUD_SD**2 / 2)
    cloudy *= np.exp(FLICKER_SD * flicker - FLICKER_SD**2 / 2)
    if typical_weights is not None:
        w = typical_weights
        mean = np.bincount(month, w * cloudy, 12) / np.bincount(month, w, 12)
        cloudy = cloudy / mean[month]
    return np.clip(1 - (1 - k_month) * cloudy, 0.03, 1.0)


def solar_profiles(
    times: pd.DatetimeIndex,
    nodes: pd.DataFrame,
    targets: pd.Series,
    wind_daily: pd.DataFrame,
    year: str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """PV CF per node (mean = ``targets``) and the matching hourly GHI (kW/m2); the design
    year has typical months (see :func:`hourly_clearness`)."""
    sel = nodes.loc[targets.index]
    n_days = len(times) // 24
    own = correlated_noise(
        [f"{year}:cloud:{n}" for n in sel.index],
        sel["lat"].to_numpy(),
        sel["lon"].to_numpy(),
        n_days,
        CLOUD_PHI,
        CLOUD_KM,
    )
    cf, ghi = {}, {}
    for j, (node, row) in enumerate(sel.iterrows()):
        w = wind_daily[node].to_numpy() if node in wind_daily else np.zeros(n_days)
        w = (w - w.mean()) / (w.std() or 1.0)
        daily = WIND_CLOUD * w + np.sqrt(1 - WIND_CLOUD**2) * own[:, j]
        flicker = ar1(rng_for(year, "flicker", node).standard_normal(len(times)), FLICKER_PHI)
        ghi_cs, poa_cs = clear_sky(float(row["lat"]), float(row["lon"]), times[0].year)
        k = hourly_clearness(times, daily, flicker, ghi_cs if year == "design" else None)
        cf[node] = calibrate_capped(poa_cs * k, float(targets[node]))
        ghi[node] = ghi_cs * k
    return pd.DataFrame(cf, index=times), pd.DataFrame(ghi, index=times)
