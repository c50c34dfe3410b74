"""Shared helpers: time axis, seeded noise, spatial correlation, calibration, file output."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.signal import lfilter

SEED = 2030
DECIMALS = 4
INPUTS = Path(__file__).resolve().parents[2] / "inputs"


def snapshots(year: int = 2030) -> pd.DatetimeIndex:
    """Hourly naive-UTC snapshots of ``year`` (8,760 for 2030)."""
    return pd.date_range(f"{year}-01-01", f"{year}-12-31 23:00", freq="h", name="snapshot")


def rng_for(*key: str) -> np.random.Generator:
    """Generator seeded from SEED and a stable (unsalted) hash of the joined ``key``."""
    return np.random.default_rng([SEED, zlib.crc32(":".join(key).encode())])


def ar1(eps: np.ndarray, phi: float) -> np.ndarray:
    """Stationary unit-variance AR(1) along axis 0 driven by standard normal ``eps``."""
    x, _ = lfilter([np.sqrt(1 - phi**2)], [1.0, -phi], eps[1:], axis=0, zi=phi * eps[:1])
    return np.concatenate([eps[:1], x])


def distance_km(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Chord distance matrix (km): within 1 % of the great-circle distance up to 3,000 km and
    Euclidean, so every exp(-(d / L)^p) with p <= 2 is a valid correlation."""
    la, lo = np.radians(lat), np.radians(lon)
    xyz = 6371.0 * np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])
    return np.sqrt(((xyz[:, None, :] - xyz[None, :, :]) ** 2).sum(-1))


def correlated_noise(
    keys: list[str],
    lat: np.ndarray,
    lon: np.ndarray,
    n: int,
    phi: float,
    length_km: float,
    power: float = 1.0,
) -> np.ndarray:
    """(n, points) unit-variance AR(1) series correlated in space as exp(-(d / L)^power); each
    point's innovations come from its own key."""
    eps = np.column_stack([rng_for(k).standard_normal(n) for k in keys])
    corr = np.exp(-((distance_km(lat, lon) / length_km) ** power))
    return ar1(eps @ np.linalg.cholesky(corr + 1e-6 * np.eye(len(keys))).T, phi)


def seasonal_cos(times: pd.DatetimeIndex, peak_doy: float) -> np.ndarray:
    """cos(2 pi (doy - peak) / 365): +1 on ``peak_doy``, -1 half a year later."""
    day = (times.dayofyear + times.hour / 24).to_numpy()
    return np.cos(2 * np.pi * (day - peak_doy) / 365.0)


def solar_hour(times: pd.DatetimeIndex, lon: float) -> np.ndarray:
    """Local mean solar time (h) at mid-hour."""
    return (times.hour.to_numpy() + 0.5 + lon / 15.0) % 24


def monthly_to_hourly(times: pd.DatetimeIndex, monthly: np.ndarray, shift_days: float = 0.0):
    """Periodic linear interpolation of 12 values placed on the 16th of each month (shifted by
    ``shift_days``) to hours."""
    first = pd.date_range(f"{times[0].year}-01-01", periods=12, freq="MS")
    mid = (first + pd.Timedelta(days=15)).dayofyear.to_numpy() + shift_days
    day = (times.dayofyear + times.hour / 24).to_numpy()
    return np.interp(day, mid, monthly, period=365)


def knots_for_month_shares(times: pd.DatetimeIndex, shares: np.ndarray) -> np.ndarray:
    """The 12 mid-month values whose ``monthly_to_hourly`` interpolation puts ``shares`` of the
    year's total into each month (a 12 x 12 linear solve; ``shares`` are normalised to 1)."""
    month = times.month.to_numpy() - 1
    hours = np.bincount(month, minlength=12)

    def month_means(knots: np.ndarray) -> np.ndarray:
        return np.bincount(month, monthly_to_hourly(times, knots), minlength=12) / hours

    basis = np.column_stack([month_means(k) for k in np.eye(12)])
    target = np.asarray(shares, float) / np.sum(shares) * len(times) / hours
    return np.linalg.solve(basis, target)


def calibrate_capped(x: np.ndarray, target: float, cap: float = 1.0) -> np.ndarray:
    """Scale ``x`` >= 0 and clip at ``cap`` so that the mean equals ``target`` (1e-7)."""
    if target <= 0:
        return np.zeros_like(x)
    if target >= cap * np.mean(x > 0):
        raise ValueError(f"mean {target} unreachable with cap {cap}")
    scale = target / x.mean()
    for _ in range(200):
        y = np.clip(scale * x, 0.0, cap)
        if abs(y.mean() - target) < 1e-7:
            break
        scale *= target / y.mean()
    return y


def bisect(
    f: Callable[[float], float], target: float, lo: float, hi: float, tol: float = 1e-7
) -> float:
    """x in [lo, hi] with f(x) == target for an increasing f."""
    for _ in range(100):
        mid = (lo + hi) / 2
        value = f(mid)
        if abs(value - target) < tol:
            break
        lo, hi = (mid, hi) if value < target else (lo, mid)
    return mid


def write_profile(df: pd.DataFrame, path: Path) -> None:
    """Round to DECIMALS and write with a ``snapshot`` column; ``.gz`` gets gzip with mtime 0
    (reproducible bytes)."""
    df = df.round(DECIMALS).clip(lower=0.0) + 0.0  # + 0.0 turns -0.0 into 0.0
    buf = io.StringIO()
    df.to_csv(buf, index_label="snapshot", date_format="%Y-%m-%d %H:%M", lineterminator="\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".gz":
        with open(path, "wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as gz:
            gz.write(buf.getvalue().encode())
    else:
        path.write_text(buf.getvalue())


def read_profile(path: Path) -> pd.DataFrame:
    """Read a profile (``.csv`` or ``.csv.gz``) indexed by snapshot."""
    return pd.read_csv(path, index_col="snapshot", parse_dates=True)
