"""Profiles from a reanalysis cutout (ERA5 in atlite's netCDF layout) for the model's nodes.

A cutout is a netCDF file on a regular grid (dims ``time``, ``y`` = latitude, ``x`` =
longitude) with, as atlite names them: ``wnd100m`` (wind speed at 100 m, m/s), ``roughness``
(surface roughness length, m), ``influx`` (global horizontal irradiance, W/m²) or
``influx_direct`` + ``influx_diffuse``, and ``temperature`` (2 m air, K). Implemented with
numpy and xarray only (no atlite, no download):

- **Sites.** Every (node, carrier) that needs a profile (``potentials.csv``, ``cf_annual`` > 0)
  gets sites with capacities: the rows of a layout table ``node, carrier, lat, lon,
  capacity_mw`` if given, else every grid cell within :data:`RADIUS_KM` of the node, equal
  capacities. The zone's profile is the capacity-weighted mean of its sites' output.
- **Wind.** ``wnd100m`` brought to the hub height with the logarithmic profile of the cell's
  roughness, through the power curve of the Vestas V112 3 MW (hub 80 m) of atlite's turbine
  library, normalised by its rated power.
- **PV.** Global horizontal irradiance on a horizontal c-Si module, the Huld et al. (2010) model
  with atlite's ``CSi`` coefficients (module temperature = ambient + 0.035 K/(W/m²) × G),
  inverter efficiency 0.9, normalised to the output at 1,000 W/m² and 25 °C. Horizontal (no
  transposition) keeps it dependency-free; it understates tilted-module yield in winter.

The tables are checked like the shipped profiles (:func:`energy.data.inputs.read_profile`:
8,760 consecutive hours, values in [0, 1]; a column for every node that needs one). A leap-year
cutout loses 29 February; the hours are stamped on the model's year.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from energy.errors import InputError

RADIUS_KM = 150.0
HUB_HEIGHT_M = 80.0
# atlite resources/windturbine/Vestas_V112_3MW.yaml (manufacturer brochure): speed m/s -> MW
V112_SPEED = np.array([0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 25, 25.0001])
V112_MW = np.array(
    [0, 0, 0.005, 0.15, 0.3, 0.525, 0.905, 1.375, 1.95, 2.58, 2.96, 3.05, 3.06, 3.06, 0.0]
)
# atlite resources/solarpanel/CSi.yaml (Huld et al. 2010)
HULD_K = (-0.017162, -0.040289, -0.004681, 0.000148, 0.000169, 0.000005)
C_TEMP_IRRAD, T_REF_K, G_REF, INVERTER = 0.035, 298.0, 1000.0, 0.9
NEEDS = {
    "onwind": (("wnd100m",), ("roughness",)),
    "offwind": (("wnd100m",), ("roughness",)),
    "solar": (("influx", "influx_direct"), ("temperature",)),
}


def missing_variables(variables: set[str], carriers: list[str]) -> list[str]:
    """The variables the cutout lacks for ``carriers`` (one message per gap)."""
    gaps = []
    for carrier in carriers:
        for options in NEEDS[carrier]:
            if not any(v in variables for v in options):
                gaps.append(f"'{options[0]}' (for {carrier})")
        if carrier == "solar" and "influx" not in variables and "influx_direct" in variables:
            if "influx_diffuse" not in variables:
                gaps.append("'influx_diffuse' (for solar, with influx_direct)")
    return sorted(set(gaps))


def open_cutout(path: Path | str, carriers: list[str]):
    """The cutout as an xarray Dataset on (time, y, x); InputError naming what is missing."""
    import xarray as xr

    path = Path(path)
    try:
        ds = xr.open_dataset(path)
    except (OSError, ValueError) as err:
        raise InputError([f"{path.name}: cannot be read as netCDF ({err})"]) from None
    ds = ds.rename({k: v for k, v in {"lat": "y", "lon": "x"}.items() if k in ds.dims})
    problems = [f"{path.name}: no dimension '{d}'" for d in ("time", "y", "x") if d not in ds.dims]
    gaps = missing_variables(set(ds.data_vars), carriers)
    if gaps:
        problems.append(f"{path.name}: missing variable(s) {', '.join(gaps)}")
    if problems:
        raise InputError(problems)
    return ds


def wind_cf(speed_100m: np.ndarray, roughness: np.ndarray) -> np.ndarray:
    """Capacity factor of the V112 at hub height (log profile from 100 m)."""
    z0 = np.clip(roughness, 1e-4, None)
    speed = speed_100m * np.log(HUB_HEIGHT_M / z0) / np.log(100.0 / z0)
    return np.interp(speed, V112_SPEED, V112_MW) / V112_MW.max()


def huld_relative(g: np.ndarray, t_module: np.ndarray) -> np.ndarray:
    """Huld efficiency model: output relative to STC per unit of irradiance G/1000."""
    gp = np.clip(g / G_REF, 1e-9, None)
    lg, tp = np.log(gp), t_module - T_REF_K
    k1, k2, k3, k4, k5, k6 = HULD_K
    return 1 + k1 * lg + k2 * lg**2 + k3 * tp + k4 * tp * lg + k5 * tp * lg**2 + k6 * tp**2


def solar_cf(ghi: np.ndarray, temperature_k: np.ndarray) -> np.ndarray:
    """Capacity factor of a horizontal c-Si module (Huld), after the inverter."""
    g = np.clip(ghi, 0.0, None)
    t_module = temperature_k + C_TEMP_IRRAD * g
    out = g / G_REF * huld_relative(g, t_module) * INVERTER
    return np.clip(np.where(g > 0, out, 0.0), 0.0, 1.0)


def distance_km(lat0: float, lon0: float, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Great-circle distance (haversine), km."""
    p0, p, dl = np.radians(lat0), np.radians(lat), np.radians(lon - lon0)
    a = np.sin((p - p0) / 2) ** 2 + np.cos(p0) * np.cos(p) * np.sin(dl / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a))


def default_layout(ds, nodes: pd.DataFrame, zones: list[tuple[str, str]]) -> pd.DataFrame:
    """Every cell within RADIUS_KM of its node (the nearest cell if none), equal capacity."""
    lat, lon = np.meshgrid(ds["y"].values, ds["x"].values, indexing="ij")
    rows = []
    for node, carrier in zones:
        d = distance_km(nodes.at[node, "lat"], nodes.at[node, "lon"], lat.ravel(), lon.ravel())
        near = np.flatnonzero(d <= RADIUS_KM)
        near = near if len(near) else np.array([int(np.argmin(d))])
        rows += [(node, carrier, lat.ravel()[i], lon.ravel()[i], 1.0) for i in near]
    return pd.DataFrame(rows, columns=["node", "carrier", "lat", "lon", "capacity_mw"])


def at_sites(field, layout: pd.DataFrame) -> np.ndarray:
    """(time, site) values of ``field`` at the nearest cell of every site (time: 1 if static)."""
    import xarray as xr

    sites = xr.DataArray(np.arange(len(layout)), dims="site")
    y = xr.DataArray(layout["lat"].to_numpy(), dims="site", coords={"site": sites})
    x = xr.DataArray(layout["lon"].to_numpy(), dims="site", coords={"site": sites})
    values = field.sel(y=y, x=x, method="nearest")
    if "time" not in values.dims:  # a static field (roughness) broadcasts over time
        values = values.expand_dims(time=1)
    return values.transpose("time", "site").values


def site_cf(ds, layout: pd.DataFrame, carrier: str) -> np.ndarray:
    """(time, site) capacity factors of ``carrier`` at the layout's sites."""
    if carrier == "solar":
        ghi = ds["influx"] if "influx" in ds else ds["influx_direct"] + ds["influx_diffuse"]
        return solar_cf(at_sites(ghi, layout), at_sites(ds["temperature"], layout))
    return wind_cf(at_sites(ds["wnd100m"], layout), at_sites(ds["roughness"], layout))


def model_hours(times: pd.DatetimeIndex, year: int = 2030) -> tuple[np.ndarray, pd.DatetimeIndex]:
    """Positions of the hours kept (29 February dropped) and their stamps in ``year``."""
    keep = ~((times.month == 2) & (times.day == 29))
    stamps = pd.date_range(f"{year}-01-01", periods=int(keep.sum()), freq="h", name="snapshot")
    return np.flatnonzero(keep), stamps


def cutout_profiles(
    path: Path | str, nodes: pd.DataFrame, zones: list[tuple[str, str]], layout=None
) -> dict[str, pd.DataFrame]:
    """Profiles per carrier (columns = nodes) of the zones from the cutout at ``path``."""
    carriers = sorted({c for _, c in zones})
    ds = open_cutout(path, carriers)
    layout = default_layout(ds, nodes, zones) if layout is None else layout
    unknown = sorted(set(map(tuple, layout[["node", "carrier"]].values)) - set(zones))
    if unknown:
        raise InputError([f"layout: no profile is needed for {n}/{c}" for n, c in unknown])
    keep, stamps = model_hours(pd.DatetimeIndex(ds["time"].values))
    profiles = {}
    for carrier in carriers:
        sites = layout[layout["carrier"] == carrier].reset_index(drop=True)
        cf = site_cf(ds, sites, carrier)[keep]
        weights = sites["capacity_mw"].to_numpy()
        columns = {}
        for node, idx in sites.groupby("node").indices.items():
            w = weights[idx] / weights[idx].sum()
            columns[node] = cf[:, idx] @ w
        profiles[carrier] = pd.DataFrame(columns, index=stamps).round(4)
    return profiles


def needed_zones(inputs_dir: Path | str) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """Nodes (lat, lon) and the (node, carrier) zones with ``cf_annual`` > 0 in potentials.csv."""
    folder = Path(inputs_dir)
    nodes = pd.read_csv(folder / "nodes.csv").set_index("node")
    pot = pd.read_csv(folder / "potentials.csv")
    pot = pot[(pot["cf_annual"] > 0) & pot["carrier"].isin(NEEDS)]
    return nodes, sorted(zip(pot["node"], pot["carrier"]))


def write_cutout_profiles(
    cutout: Path | str, out: Path | str, inputs_dir: Path | str, layout: Path | str | None = None
) -> dict[str, Path]:
    """Convert, validate and write ``<out>/{onwind,offwind,solar}.csv``; nothing is written
    unless every table passes."""
    from energy.data.inputs import read_profile

    nodes, zones = needed_zones(inputs_dir)
    table = None
    if layout is not None:
        table = pd.read_csv(layout)
        missing = {"node", "carrier", "lat", "lon", "capacity_mw"} - set(table.columns)
        if missing:
            raise InputError(
                [f"{Path(layout).name}: missing column(s) {', '.join(sorted(missing))}"]
            )
    profiles = cutout_profiles(cutout, nodes, zones, table)
    out = Path(out)
    staging = out.with_name(f".{out.name}.tmp")
    staging.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    written = {}
    for carrier, df in profiles.items():
        path = staging / f"{carrier}.csv"
        df.to_csv(path, date_format="%Y-%m-%d %H:%M")
        read_profile(path, problems)
        needed = {n for n, c in zones if c == carrier}
        problems += [f"{carrier}.csv: no column for node '{n}'" for n in sorted(needed - set(df))]
        written[carrier] = out / path.name
    if problems:
        for path in staging.iterdir():
            path.unlink()
        staging.rmdir()
        raise InputError(problems)
    out.mkdir(parents=True, exist_ok=True)
    for path in staging.iterdir():
        path.replace(out / path.name)
    staging.rmdir()
    return written
