"""Synthetic hourly profiles for the model year 2030 (``python -m energy.profiles``).

No weather data can be downloaded at run time, so the profiles under ``inputs/profiles/`` are
generated from simple, documented physical and stochastic models and calibrated to the annual
figures in ``inputs/``.  Snapshots are the 8,760 naive-UTC hours of 2030; a value stands for the
hour that starts at its snapshot, so sun position and local solar time are taken at mid-hour.
Only ``domestic`` nodes get profiles.  Everything is reproducible byte for byte: random numbers
come from ``numpy.random.default_rng([SEED, crc32(key)])`` with a stable key per node/carrier.

Solar PV
    pvlib solar position and Ineichen clear-sky irradiance (climatological Linke turbidity and
    altitude from the files shipped with pvlib) at the node's lat/lon, transposed (Hay-Davies)
    onto a fixed south-facing plane tilted 0.8 x latitude.  A daily clearness index multiplies
    the plane-of-array irradiance: seasonal mean 0.75 -/+ 0.12 (cloudier in winter) plus AR(1)
    day-to-day noise (phi 0.6, sd 0.15, correlated between nodes as exp(-distance / 500 km)),
    clipped to [0.05, 1].  Output is zero while the sun is below the horizon at mid-hour.  No
    temperature derating.  The series is scaled, clipped at 1 (inverter limit) and rescaled
    until its mean equals ``cf_annual`` of ``potentials.csv``.

Wind (onwind, offwind)
    Hourly hub-height speed = V x seasonal x diurnal x exp(noise - var/2).  Seasonal: cosine
    with a per-country amplitude and peak day (winter-strong steppe and Caspian coast).
    Diurnal: cosine in local solar time peaking at 15 h, amplitude 0.10 onshore, 0.03 offshore.
    Noise: a synoptic AR(1) (hourly phi 0.98, sd 0.40, e-folding ~2 days) shared by all wind
    carriers of a node and correlated between nodes as exp(-distance / 600 km), plus a fast
    AR(1) per node and carrier (phi 0.7, sd 0.10).  Generic power curve: cut-in 3 m/s, cubic
    to rated 12 m/s, cut-out 25 m/s, times 0.95 for availability and wake/electrical losses.
    The mean speed V is found by bisection so that the annual mean CF equals ``cf_annual``.

Hydro (p_max_pu of one aggregated plant per node)
    A monthly inflow shape (snowmelt peak May-July for Kazakh, Uzbek and Georgian rivers, a
    flatter, regulated Kura shape for AZ), placed at mid-month and interpolated periodically
    to hours, scaled and capped at 1 until the annual mean equals ``HYDRO_CF``.  Nodes without
    hydro capacity in ``fleet.csv`` get zeros.

Load shape (mean 1)
    Seasonal (heating bump peaking in January; a summer cooling bump peaking late July, large
    in UZ and AZ) x daily profile in local solar time (night trough, morning and evening peaks,
    an afternoon cooling bump in summer) x weekday factor (Sat 0.95, Sun 0.90) x small AR(1)
    noise.  The base shape is raised to a power found by bisection so that max/mean equals
    ``peak_mw / (demand_twh * 1e6 / 8760)`` of the node's 2030 row in ``demand.csv``.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
from scipy.signal import lfilter

SEED = 2030
YEAR = 2030
ROOT = Path(__file__).resolve().parents[1]
INPUTS = ROOT / "inputs"
OUT = INPUTS / "profiles"
DECIMALS = 4
WIND_CARRIERS = ("onwind", "offwind")

# Annual hydro CF = hydro generation / (hydro capacity * 8,760 h), data brief sections 1-2:
#   KZ: 8.6 % x 117.9 TWh / (2.8 GW x 8,760 h) = 0.41 nationally; 0.43 / 0.38 weighted by the
#       fleet.csv hydro capacity reproduces it; the split (Irtysh cascade in
#       the north with large reservoirs higher, southern plants lower) is an assumption.
#   UZ: 8 % x 81.5 TWh / (2.441 GW x 8,760 h) = 0.30
#   AZ: 3,011 GWh / (1,443.5 MW x 8,760 h) = 0.24
#   GE: 79 % x 14.23 TWh / (3.2 GW x 8,760 h) = 0.40
#   KZ-W (Mangystau/Atyrau) has no hydro.
HYDRO_CF = {"KZ-N": 0.43, "KZ-S": 0.38, "KZ-W": 0.0, "UZ": 0.30, "AZ": 0.24, "GE": 0.40}
HYDRO_CARRIERS = ("hydro", "ror")
# Relative monthly inflow, Jan..Dec (scaled in calibration).
SNOWMELT = (0.60, 0.58, 0.70, 0.95, 1.35, 1.65, 1.60, 1.30, 0.95, 0.80, 0.75, 0.70)
REGULATED = (0.85, 0.85, 0.95, 1.15, 1.25, 1.15, 1.05, 0.95, 0.90, 0.90, 0.95, 0.95)
HYDRO_REGIME = {"AZ": REGULATED}  # default SNOWMELT

# Wind seasonality per country: (relative amplitude of mean speed, day of year of the maximum).
WIND_SEASON = {"KZ": (0.15, 15), "AZ": (0.12, 15), "UZ": (0.08, 75), "GE": (0.10, 30)}
WIND_SEASON_DEFAULT = (0.10, 15)
WIND_DIURNAL = {"onwind": 0.10, "offwind": 0.03}
CUT_IN, RATED, CUT_OUT, WIND_LOSS = 3.0, 12.0, 25.0, 0.95

# Load seasonality per country: (winter heating amplitude, summer cooling amplitude).
LOAD_SEASON = {"KZ": (0.22, 0.03), "GE": (0.22, 0.05), "UZ": (0.12, 0.20), "AZ": (0.08, 0.18)}
LOAD_SEASON_DEFAULT = (0.15, 0.08)


def snapshots(year: int = YEAR) -> pd.DatetimeIndex:
    """Hourly naive-UTC snapshots of ``year`` (8,760 for 2030)."""
    return pd.date_range(f"{year}-01-01", f"{year}-12-31 23:00", freq="h", name="snapshot")


def rng_for(key: str) -> np.random.Generator:
    """Generator seeded from SEED and a stable (unsalted) hash of ``key``."""
    return np.random.default_rng([SEED, zlib.crc32(key.encode())])


def ar1(eps: np.ndarray, phi: float) -> np.ndarray:
    """Stationary unit-variance AR(1) along axis 0 driven by standard normal ``eps``."""
    zi = phi * eps[:1]  # filter state after x[0] = eps[0]: stationary start
    x, _ = lfilter([np.sqrt(1 - phi**2)], [1.0, -phi], eps[1:], axis=0, zi=zi)
    return np.concatenate([eps[:1], x])


def distance_km(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Great-circle distance matrix (km)."""
    la, lo = np.radians(lat)[:, None], np.radians(lon)[:, None]
    h = np.sin((la - la.T) / 2) ** 2 + np.cos(la) * np.cos(la.T) * np.sin((lo - lo.T) / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def correlated_ar1(
    nodes: pd.DataFrame, n: int, phi: float, length_km: float, tag: str
) -> np.ndarray:
    """(n, nodes) unit-variance AR(1) series, correlated between nodes as exp(-d / length)."""
    eps = np.column_stack([rng_for(f"{tag}:{node}").standard_normal(n) for node in nodes.index])
    corr = np.exp(-distance_km(nodes["lat"].to_numpy(), nodes["lon"].to_numpy()) / length_km)
    chol = np.linalg.cholesky(corr + 1e-9 * np.eye(len(nodes)))
    return ar1(eps, phi) @ chol.T


def solar_hour(times: pd.DatetimeIndex, lon: float) -> np.ndarray:
    """Local solar time (h) at mid-hour."""
    return (times.hour.to_numpy() + 0.5 + lon / 15.0) % 24


def seasonal_cos(times: pd.DatetimeIndex, peak_doy: float) -> np.ndarray:
    """cos(2 pi (doy - peak) / 365): +1 on ``peak_doy``, -1 half a year later."""
    day = (times.dayofyear + times.hour / 24).to_numpy()
    return np.cos(2 * np.pi * (day - peak_doy) / 365.0)


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


def clearsky_poa(times: pd.DatetimeIndex, lat: float, lon: float) -> np.ndarray:
    """Clear-sky irradiance on a south-facing plane tilted 0.8 x lat (kW/m2, mid-hour)."""
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
    return np.where(pos["elevation"].to_numpy() > 0, np.nan_to_num(poa), 0.0) / 1e3


def daily_clearness(times: pd.DatetimeIndex, noise_daily: np.ndarray) -> np.ndarray:
    """Hourly clearness index from a daily AR(1) noise (one value per day of ``times``)."""
    days = pd.DatetimeIndex(times.normalize().unique())
    k = 0.75 + 0.12 * seasonal_cos(days, 196) + 0.15 * noise_daily
    return np.clip(k, 0.05, 1.0)[times.dayofyear.to_numpy() - 1]


def solar_profiles(nodes: pd.DataFrame, targets: pd.Series) -> pd.DataFrame:
    """Solar CF per node; ``nodes`` indexed by node with lat/lon, ``targets`` node -> cf."""
    times = snapshots()
    sel = nodes.loc[targets.index]
    cloud = correlated_ar1(sel, 365, 0.6, 500.0, "solar-cloud")
    out = {}
    for j, (node, row) in enumerate(sel.iterrows()):
        raw = clearsky_poa(times, row["lat"], row["lon"]) * daily_clearness(times, cloud[:, j])
        out[node] = calibrate_capped(raw, float(targets[node]))
    return pd.DataFrame(out, index=times)


def power_curve(v: np.ndarray) -> np.ndarray:
    """Generic turbine power curve (p.u.), losses included."""
    p = np.clip((v**3 - CUT_IN**3) / (RATED**3 - CUT_IN**3), 0.0, 1.0)
    return WIND_LOSS * np.where(v >= CUT_OUT, 0.0, p)


def wind_shape(
    times: pd.DatetimeIndex,
    lon: float,
    country: str,
    carrier: str,
    synoptic: np.ndarray,
    fast: np.ndarray,
) -> np.ndarray:
    """Relative hourly wind speed (mean 1) before scaling to the site's mean speed."""
    amp, peak = WIND_SEASON.get(country, WIND_SEASON_DEFAULT)
    seasonal = 1 + amp * seasonal_cos(times, peak)
    diurnal = 1 + WIND_DIURNAL[carrier] * np.cos(2 * np.pi * (solar_hour(times, lon) - 15) / 24)
    log_noise = 0.40 * synoptic + 0.10 * fast
    shape = seasonal * diurnal * np.exp(log_noise - log_noise.var() / 2)
    return shape / shape.mean()


def calibrate_wind(shape: np.ndarray, target: float) -> np.ndarray:
    """Bisect the mean speed (m/s) so that mean(power_curve(V * shape)) equals ``target``."""
    lo, hi = 1.0, 14.0
    if power_curve(hi * shape).mean() < target:
        raise ValueError(f"wind CF {target} unreachable")
    for _ in range(100):
        mid = (lo + hi) / 2
        cf = power_curve(mid * shape)
        if abs(cf.mean() - target) < 1e-7:
            break
        lo, hi = (mid, hi) if cf.mean() < target else (lo, mid)
    return cf


def wind_profiles(nodes: pd.DataFrame, targets: pd.Series, carrier: str) -> pd.DataFrame:
    """Wind CF per node for ``carrier`` (onwind/offwind); ``nodes`` needs lat, lon, country."""
    times = snapshots()
    synoptic = correlated_ar1(nodes, len(times), 0.98, 600.0, "wind-synoptic")
    out = {}
    for node in targets.index:
        j, row = nodes.index.get_loc(node), nodes.loc[node]
        fast = ar1(rng_for(f"wind-fast:{node}:{carrier}").standard_normal(len(times)), 0.7)
        shape = wind_shape(times, row["lon"], row["country"], carrier, synoptic[:, j], fast)
        out[node] = calibrate_wind(shape, float(targets[node]))
    return pd.DataFrame(out, index=times)


def monthly_to_hourly(times: pd.DatetimeIndex, monthly: tuple[float, ...]) -> np.ndarray:
    """Periodic linear interpolation of 12 mid-month values to hours."""
    mid_month = pd.date_range(f"{times[0].year}-01-01", periods=12, freq="MS") + pd.Timedelta(
        days=15
    )
    day = (times.dayofyear + times.hour / 24).to_numpy()
    return np.interp(day, mid_month.dayofyear.to_numpy(), monthly, period=365)


def hydro_profiles(nodes: pd.DataFrame, cf: dict[str, float]) -> pd.DataFrame:
    """Hydro availability per node; ``cf`` maps node -> annual mean (0 or missing -> zeros)."""
    times = snapshots()
    out = {}
    for node, row in nodes.iterrows():
        shape = monthly_to_hourly(times, HYDRO_REGIME.get(row["country"], SNOWMELT))
        out[node] = calibrate_capped(shape, cf.get(node, 0.0))
    return pd.DataFrame(out, index=times)


def bump(x: np.ndarray, centre: float, width: float) -> np.ndarray:
    """Gaussian bump on the 24-h circle."""
    d = (x - centre + 12) % 24 - 12
    return np.exp(-0.5 * (d / width) ** 2)


def base_load(times: pd.DatetimeIndex, lon: float, country: str, noise: np.ndarray) -> np.ndarray:
    """Unscaled positive load shape: seasonal x daily x weekly x noise."""
    winter, summer = LOAD_SEASON.get(country, LOAD_SEASON_DEFAULT)
    heat = np.clip(seasonal_cos(times, 20), 0, None)
    cool = np.clip(seasonal_cos(times, 205), 0, None) ** 3
    h = solar_hour(times, lon)
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

    def peak(g: float) -> float:
        y = base**g
        return y.max() / y.mean()

    if ratio <= 1:
        raise ValueError(f"peak ratio {ratio} must exceed 1")
    lo, hi = 0.0, 1.0
    while peak(hi) < ratio:
        lo, hi = hi, 2 * hi
        if hi > 1e3:
            raise ValueError(f"peak ratio {ratio} unreachable")
    for _ in range(100):
        g = (lo + hi) / 2
        if abs(peak(g) - ratio) < 1e-8:
            break
        lo, hi = (g, hi) if peak(g) < ratio else (lo, g)
    y = base**g
    return y / y.mean()


def load_profiles(nodes: pd.DataFrame, peak_ratio: pd.Series) -> pd.DataFrame:
    """Load shape (mean 1) per node with max/mean = ``peak_ratio[node]``."""
    times = snapshots()
    out = {}
    for node in peak_ratio.index:
        row = nodes.loc[node]
        noise = ar1(rng_for(f"load:{node}").standard_normal(len(times)), 0.97)
        base = base_load(times, row["lon"], row["country"], noise)
        out[node] = shape_to_peak_ratio(base, float(peak_ratio[node]))
    return pd.DataFrame(out, index=times)


def peak_ratios(demand: pd.DataFrame, period: str = "2030") -> pd.Series:
    """max/mean load per node: peak_mw / (demand_twh * 1e6 / 8760)."""
    d = demand[demand["period"].astype(str) == period].set_index("node")
    return d["peak_mw"] / (d["demand_twh"] * 1e6 / 8760.0)


def cf_targets(potentials: pd.DataFrame, carrier: str, nodes: pd.Index) -> pd.Series:
    """Node -> cf_annual for ``carrier`` (rows with a positive cf at the given nodes)."""
    p = potentials[potentials["carrier"] == carrier].set_index("node")["cf_annual"]
    p = p.reindex([n for n in nodes if n in p.index]).astype(float)
    return p[p > 0]


def write_profile(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Round, clip tiny negatives and write with a ``snapshot`` first column."""
    df = df.round(DECIMALS).clip(lower=0.0) + 0.0  # + 0.0 turns -0.0 into 0.0
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index_label="snapshot", date_format="%Y-%m-%d %H:%M")
    return df


def print_summary(name: str, df: pd.DataFrame, target: pd.Series, path: Path) -> None:
    """Per-column annual mean, min, max and the calibration target (peak ratio for load)."""
    what = "peak/mean" if name == "load" else "mean"
    print(f"\n{path.name} ({path.stat().st_size / 1e6:.2f} MB, {len(df)} rows)")
    print(
        f"  {'node':6} {'mean':>7} {'min':>7} {'max':>7} {'target ' + what:>17}"
        + (f" {'peak/mean':>9}" if name == "load" else "")
    )
    for node, s in df.items():
        extra = f" {s.max() / s.mean():9.4f}" if name == "load" else ""
        print(
            f"  {node:6} {s.mean():7.4f} {s.min():7.4f} {s.max():7.4f} "
            f"{target.get(node, 0.0):17.4f}{extra}"
        )


def main() -> None:
    nodes = pd.read_csv(INPUTS / "nodes.csv")
    nodes = nodes[nodes["role"] == "domestic"].set_index("node")
    potentials = pd.read_csv(INPUTS / "potentials.csv")
    demand = pd.read_csv(INPUTS / "demand.csv")
    fleet = pd.read_csv(INPUTS / "fleet.csv")

    hydro_mw = fleet[fleet["carrier"].isin(HYDRO_CARRIERS)].groupby("node")["p_nom_mw"].sum()
    has_hydro = set(hydro_mw[hydro_mw > 0].index) & set(nodes.index)
    for node in sorted(has_hydro):
        if HYDRO_CF.get(node, 0.0) <= 0:
            print(f"warning: {node} has hydro capacity in fleet.csv but no HYDRO_CF: zeros")
    targets = {c: cf_targets(potentials, c, nodes.index) for c in ("solar", *WIND_CARRIERS)}
    targets["hydro"] = pd.Series(
        {n: HYDRO_CF.get(n, 0.0) if n in has_hydro else 0.0 for n in nodes.index}
    )
    targets["load"] = peak_ratios(demand).reindex(nodes.index).dropna()

    profiles = {
        "solar": solar_profiles(nodes, targets["solar"]),
        **{c: wind_profiles(nodes, targets[c], c) for c in WIND_CARRIERS},
        "hydro": hydro_profiles(nodes, targets["hydro"].to_dict()),
        "load": load_profiles(nodes, targets["load"]),
    }
    for name, df in profiles.items():
        path = OUT / f"{name}.csv"
        print_summary(name, write_profile(df, path), targets[name], path)


if __name__ == "__main__":
    main()
