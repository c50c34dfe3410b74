"""Zonal wind CF from many correlated sub-sites and a multi-turbine power curve.

A zone's fleet is spread over a wind area (an ellipse around the sites of the data brief,
section 3); the zone's CF is the mean output of its sub-sites, so lulls and full-load hours are
rarer than for one turbine.  All sub-sites share a synoptic field correlated as
exp(-(d / SYN_KM)^SYN_POWER) and a mesoscale field correlated as exp(-d / MESO_KM): the
correlation length shrinks with the time scale (St. Martin et al. 2015).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .common import bisect, correlated_noise, seasonal_cos, solar_hour

# (node, carrier): wind area (centre lat, lon; E-W, N-S half axes km; sub-sites), seasonal
# cycle of mean speed (relative amplitude, day of maximum), diurnal cycle of hub-height speed
# (relative amplitude, local solar hour of maximum).  Areas (L) from the brief's sites: KZ-N
# Khromtau-Arshaly-Yereymentau; KZ-S Zhambyl-Shelek-Zhungar Gate; KZ-W Fort-Shevchenko-Aktau-
# Kuryk-Atyrau; UZ Nukus-Uchkuduk-Zarafshan-Bash; AZ Khizi-Absheron-Garadagh-Neftchala; AZ
# offshore zones north of Absheron; GE Kartli-Samtskhe (assumed).  Night maximum over steppe and
# desert (stable nights, low-level jets); weak afternoon maximum on the coast and in valleys.
ZONES = {
    ("KZ-N", "onwind"): ((51.0, 68.0, 500, 150, 10), (0.12, 20), (0.10, 1.0)),
    ("KZ-S", "onwind"): ((44.0, 77.0, 450, 120, 10), (0.08, 40), (0.10, 1.0)),
    ("KZ-W", "onwind"): ((44.8, 51.3, 120, 250, 10), (0.10, 50), (0.07, 2.0)),
    ("UZ", "onwind"): ((41.6, 62.5, 280, 120, 10), (0.08, 105), (0.10, 1.0)),
    ("AZ", "onwind"): ((40.3, 49.3, 70, 90, 6), (0.05, 30), (0.04, 15.0)),
    ("AZ", "offwind"): ((40.8, 50.1, 25, 20, 3), (0.05, 30), (0.02, 15.0)),
    ("GE", "onwind"): ((41.8, 43.9, 150, 60, 6), (0.08, 45), (0.05, 15.0)),
}
DEFAULT_ZONE = ((np.nan, np.nan, 100, 100, 5), (0.08, 30), (0.05, 15.0))  # centred on the node
SYN_SD, SYN_PHI, SYN_KM, SYN_POWER = 0.28, 0.985, 850.0, 1.8  # e-folding ~3 days
MESO_SD, MESO_PHI, MESO_KM = 0.26, 0.93, 120.0  # e-folding ~14 h
CUT_IN, RATED, CUT_OUT = 3.0, 11.0, 25.0
SPREAD = 0.12  # within-farm speed spread (relative sd) of the multi-turbine curve
LOSSES = 0.90  # availability 0.97 x wake and electrical 0.93


def turbine_curve(v: np.ndarray) -> np.ndarray:
    """Single-turbine power curve (p.u.): cubic from cut-in to rated, zero from cut-out."""
    p = np.clip((v**3 - CUT_IN**3) / (RATED**3 - CUT_IN**3), 0.0, 1.0)
    return np.where(v >= CUT_OUT, 0.0, p)


def farm_curve(v: np.ndarray) -> np.ndarray:
    """Turbine curve averaged over a Gaussian speed spread, times losses: the multi-turbine
    curve of Nørgaard and Holttinen (2004)."""
    z, w = np.polynomial.hermite_e.hermegauss(15)
    grid = np.linspace(0.0, 40.0, 801)
    curve = turbine_curve(grid[:, None] * (1 + SPREAD * z[None, :])) @ (w / w.sum())
    return LOSSES * np.interp(v, grid, curve)


def sub_sites(node: str, carrier: str, centre: tuple[float, float] = (0, 0)) -> pd.DataFrame:
    """Sub-site positions on a sunflower pattern filling the zone's wind-area ellipse."""
    (lat0, lon0, rx, ry, n), _, _ = ZONES.get((node, carrier), DEFAULT_ZONE)
    lat0, lon0 = (lat0, lon0) if np.isfinite(lat0) else centre
    k = np.arange(n)
    r, theta = np.sqrt((k + 0.5) / n), k * np.pi * (3 - np.sqrt(5))
    lat = lat0 + ry * r * np.cos(theta) / 111.0
    lon = lon0 + rx * r * np.sin(theta) / (111.0 * np.cos(np.radians(lat0)))
    keys = [f"{node}:{carrier}:{i}" for i in k]
    return pd.DataFrame({"node": node, "carrier": carrier, "lat": lat, "lon": lon}, index=keys)


def all_sites(zones: list[tuple[str, str]], nodes: pd.DataFrame) -> pd.DataFrame:
    """Sub-sites of every (node, carrier) zone (``nodes`` gives lat/lon for unknown zones)."""
    return pd.concat([sub_sites(n, c, tuple(nodes.loc[n, ["lat", "lon"]])) for n, c in zones])


def log_speed_noise(sites: pd.DataFrame, n: int, year: str) -> np.ndarray:
    """(n, sites) log-speed anomaly: synoptic + mesoscale fields, zero mean in exp()."""
    lat, lon, keys = sites["lat"].to_numpy(), sites["lon"].to_numpy(), list(sites.index)
    syn = correlated_noise(
        [f"{year}:syn:{k}" for k in keys], lat, lon, n, SYN_PHI, SYN_KM, SYN_POWER
    )
    meso = correlated_noise([f"{year}:meso:{k}" for k in keys], lat, lon, n, MESO_PHI, MESO_KM)
    return SYN_SD * syn + MESO_SD * meso - (SYN_SD**2 + MESO_SD**2) / 2


def speed_shape(times: pd.DatetimeIndex, node: str, carrier: str, lon: float) -> np.ndarray:
    """Seasonal x diurnal modulation of mean speed (the diurnal cycle is stronger in summer)."""
    _, (amp, peak), (d_amp, d_peak) = ZONES.get((node, carrier), DEFAULT_ZONE)
    d_amp = d_amp * (1 + 0.5 * seasonal_cos(times, 196))
    diurnal = 1 + d_amp * np.cos(2 * np.pi * (solar_hour(times, lon) - d_peak) / 24)
    return (1 + amp * seasonal_cos(times, peak)) * diurnal


def zone_cf(shape: np.ndarray, noise: np.ndarray, target: float) -> np.ndarray:
    """Mean over sub-sites of farm_curve(V x shape x exp(noise)); V (m/s) is bisected so that
    the annual mean equals ``target``."""
    rel = shape[:, None] * np.exp(noise)

    def cf(v_mean: float) -> np.ndarray:
        return farm_curve(v_mean * rel).mean(axis=1)

    if cf(20.0).mean() < target:
        raise ValueError(f"wind CF {target} unreachable")
    return cf(bisect(lambda v: cf(v).mean(), target, 1.0, 20.0))


def wind_profiles(
    times: pd.DatetimeIndex, targets: dict[tuple[str, str], float], nodes: pd.DataFrame, year: str
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """CF per carrier (columns = nodes) for (node, carrier) -> annual CF ``targets``, and the
    daily mean synoptic anomaly per node (for the wind-cloud link of the solar model)."""
    sites = all_sites(list(targets), nodes)
    noise = log_speed_noise(sites, len(times), year)
    out: dict[str, dict[str, np.ndarray]] = {}
    daily: dict[str, np.ndarray] = {}
    for (node, carrier), target in targets.items():
        cols = np.flatnonzero((sites["node"] == node) & (sites["carrier"] == carrier))
        shape = speed_shape(times, node, carrier, float(sites["lon"].iloc[cols].mean()))
        out.setdefault(carrier, {})[node] = zone_cf(shape, noise[:, cols], target)
        daily.setdefault(node, noise[:, cols].mean(axis=1).reshape(-1, 24).mean(axis=1))
    return {c: pd.DataFrame(v, index=times) for c, v in out.items()}, pd.DataFrame(daily)
