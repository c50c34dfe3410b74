"""Build the design year (inputs/profiles/*.csv) and the weather ensemble (inputs/weather/).

Run ``python -m tools.profiles`` (or ``python tools/profiles/make.py``) from the repository
root.  Method and measured targets: docs/profiles.md.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

if __package__ in (None, ""):  # python tools/profiles/make.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    __package__ = "tools.profiles"

from .common import DECIMALS, INPUTS, SEED, distance_km, rng_for, snapshots, write_profile
from .hydro_load import hydro_profiles, load_profiles
from .solar import solar_profiles
from .stats import MONTH, evaluate, interannual_cv
from .wind import all_sites, wind_profiles

WIND = ("onwind", "offwind")
CF_CARRIERS = (*WIND, "solar", "hydro")
ANNUAL_KM = 1500.0  # correlation length of annual anomalies between zones (L)


@dataclass
class Setup:
    """Domestic nodes (country, lat, lon), design-year annual CF per carrier (hydro: every
    node, 0 without hydro), load peak ratios, the target table and the hydro month shares
    (node -> 12 shares of the annual output, where the targets give them)."""

    nodes: pd.DataFrame
    cf: dict[str, pd.Series]
    peak_ratio: pd.Series
    targets: pd.DataFrame
    hydro_months: dict[str, np.ndarray] = field(default_factory=dict)


def read_setup(inputs: Path = INPUTS, only: list[str] | None = None) -> Setup:
    """Columns as the model needs them; annual CF from profile_targets.csv, checked against
    potentials.csv for wind and solar.  ``only`` keeps a subset of nodes."""
    nodes = pd.read_csv(inputs / "nodes.csv").query("role == 'domestic'").set_index("node")
    nodes = nodes.loc[[n for n in nodes.index if only is None or n in only]]
    pot = pd.read_csv(inputs / "potentials.csv").set_index(["carrier", "node"])["cf_annual"]
    fleet = pd.read_csv(inputs / "fleet.csv")
    targets = pd.read_csv(inputs / "profile_targets.csv", keep_default_na=False)
    targets[["low", "high"]] = targets[["low", "high"]].apply(pd.to_numeric, errors="coerce")
    cf_t = targets[targets["statistic"] == "cf_annual"].set_index(["carrier", "node"])["value"]
    cf = {}
    for c in (*WIND, "solar"):
        p = pot[c][pot[c] > 0]
        cf[c] = p.reindex([n for n in nodes.index if n in p.index]).astype(float)
        bad = [n for n in cf[c].index if abs(float(cf_t.get((c, n), -1)) - cf[c][n]) > 1e-9]
        if bad:
            raise ValueError(f"profile_targets.csv cf_annual != potentials.csv: {c} {bad}")
    hydro_mw = fleet[fleet["carrier"].isin(["hydro", "ror"])].groupby("node")["p_nom_mw"].sum()
    has = [n for n in nodes.index if hydro_mw.get(n, 0) > 0]
    if missing := [n for n in has if ("hydro", n) not in cf_t.index]:
        raise ValueError(f"hydro capacity in fleet.csv but no hydro cf_annual target: {missing}")
    cf["hydro"] = pd.Series({n: float(cf_t["hydro", n]) if n in has else 0.0 for n in nodes.index})
    d = pd.read_csv(inputs / "demand.csv").query("period.astype('str') == '2030'").set_index("node")
    ratio = (d["peak_mw"] / (d["demand_twh"] * 1e6 / 8760.0)).reindex(nodes.index).dropna()
    months = hydro_month_shares(targets, list(nodes.index))
    return Setup(nodes, cf, ratio, targets, months)


def hydro_month_shares(targets: pd.DataFrame, nodes: list[str]) -> dict[str, np.ndarray]:
    """node -> the 12 ``month_share_MM`` values of its hydro rows in profile_targets.csv; a node
    with any such row needs all twelve, each >= 0, summing to 1 (+-0.001)."""
    rows = targets[(targets["carrier"] == "hydro") & targets["statistic"].str.startswith(MONTH)]
    out = {}
    for node, g in rows[rows["node"].isin(nodes)].groupby("node"):
        where = f"profile_targets.csv rows {[i + 2 for i in g.index]} (node {node}, column value)"
        got = sorted(g["statistic"])
        if got != [f"{MONTH}{m:02d}" for m in range(1, 13)]:
            raise ValueError(f"{where}: need {MONTH}01..12 once each, got {got}")
        shares = pd.to_numeric(g.set_index("statistic")["value"], errors="coerce").sort_index()
        if shares.isna().any() or (shares < 0).any() or abs(shares.sum() - 1) > 1e-3:
            raise ValueError(
                f"{where}: shares must be numbers >= 0 summing to 1, sum {shares.sum()}"
            )
        out[node] = shares.to_numpy(float)
    return out


def zone_positions(setup: Setup) -> pd.DataFrame:
    """'carrier:node' -> lat, lon: wind-area centres for wind, node coordinates otherwise."""
    sites = all_sites([(n, c) for c in WIND for n in setup.cf[c].index], setup.nodes)
    pos = sites.groupby(["carrier", "node"])[["lat", "lon"]].mean()
    pos.index = [f"{c}:{n}" for c, n in pos.index]
    for c in ("solar", "hydro"):
        for n in setup.cf[c].index[setup.cf[c] > 0]:
            pos.loc[f"{c}:{n}"] = setup.nodes.loc[n, ["lat", "lon"]].to_numpy(float)
    return pos


def annual_anomalies(setup: Setup, years: list[str]) -> pd.DataFrame:
    """Relative annual-CF anomaly per year (rows) and 'carrier:node' (columns): normal draws
    correlated as exp(-d / ANNUAL_KM) within wind, solar and hydro, standardised over the
    years and scaled to each carrier's ``interannual_cv`` target (ensemble mean = design)."""
    pos, out = zone_positions(setup), []
    cv = setup.targets.query("statistic == 'interannual_cv'").set_index("carrier")["value"]
    for family in (WIND, ("solar",), ("hydro",)):
        cols = [k for k in pos.index if k.split(":")[0] in family]
        if not cols:
            continue
        corr = np.exp(-distance_km(*pos.loc[cols, ["lat", "lon"]].to_numpy().T) / ANNUAL_KM)
        chol = np.linalg.cholesky(corr + 1e-9 * np.eye(len(cols)))
        z = (
            np.vstack([rng_for(y, "annual", family[0]).standard_normal(len(cols)) for y in years])
            @ chol.T
        )
        if len(years) > 1:
            z = (z - z.mean(axis=0)) / z.std(axis=0)
        sigma = np.array([float(cv[k.split(":")[0]]) for k in cols])
        out.append(pd.DataFrame(z * sigma, index=years, columns=cols))
    return pd.concat(out, axis=1)


def build_year(setup: Setup, year: str, anomaly: pd.Series | None = None):
    """Profiles of one weather year ({carrier: DataFrame}) and the hourly GHI by-product."""
    times = snapshots()
    a = pd.Series(dtype=float) if anomaly is None else anomaly
    cf = {
        c: s * (1 + np.array([a.get(f"{c}:{n}", 0.0) for n in s.index]))
        for c, s in setup.cf.items()
    }
    wind, daily = wind_profiles(
        times, {(n, c): v for c in WIND for n, v in cf[c].items()}, setup.nodes, year
    )
    solar, ghi = solar_profiles(times, setup.nodes, cf["solar"], daily, year)
    profiles = {c: wind[c][setup.cf[c].index] for c in WIND if c in wind}
    profiles["solar"] = solar
    profiles["hydro"] = hydro_profiles(
        times, setup.nodes["country"], cf["hydro"], year, setup.hydro_months
    )
    profiles["load"] = load_profiles(times, setup.nodes, setup.peak_ratio, year)
    return profiles, ghi


def annual_row(
    year: str, profiles: dict[str, pd.DataFrame], setup: Setup, anomaly: pd.Series | None
) -> dict[str, object]:
    """One years.csv row: a plain-words label and the annual CF of each written series."""
    words = "design (median) year: inputs/profiles/*.csv"
    if anomaly is not None:
        cv = setup.targets.query("statistic == 'interannual_cv'").set_index("carrier")["value"]
        parts = []
        for fam, (lo, mid, hi) in {
            "onwind": ("calm", "average wind", "windy"),
            "solar": ("dull", "average sun", "sunny"),
            "hydro": ("dry", "average water", "wet"),
        }.items():
            m = anomaly.filter(like=f"{fam}:").mean()
            z = m / float(cv[fam])
            parts.append(f"{lo if z < -0.5 else hi if z > 0.5 else mid} ({fam} {m:+.1%})")
        words = ", ".join(parts)
    cfs = {
        f"{c}_cf_{n}": round(float(profiles[c][n].round(DECIMALS).mean()), 4)
        for c in CF_CARRIERS
        if c in profiles
        for n in setup.cf[c].index[setup.cf[c] > 0]
    }
    return {"weather_year": year, "label": words, **cfs}


def generate(setup: Setup, out: Path, n_years: int = 10) -> tuple[dict, pd.DataFrame]:
    """Write the design year to ``out/profiles`` and ``n_years`` weather years plus years.csv
    to ``out/weather``; return the design profiles and the years table."""
    design, _ = build_year(setup, "design")
    for carrier, df in design.items():
        write_profile(df, out / "profiles" / f"{carrier}.csv")
    years = [f"year-{i:02d}" for i in range(1, n_years + 1)]
    anomalies = annual_anomalies(setup, years) if years else None
    rows = [annual_row("design", design, setup, None)]
    for year in years:
        profiles, _ = build_year(setup, year, anomalies.loc[year])
        for carrier, df in profiles.items():
            write_profile(df, out / "weather" / year / f"{carrier}.csv.gz")
        rows.append(annual_row(year, profiles, setup, anomalies.loc[year]))
    table = pd.DataFrame(rows)
    table["source"] = f"synthetic: python -m tools.profiles (seed {SEED}); docs/profiles.md"
    table["note"] = ["annual CF = cf_annual of inputs/profile_targets.csv"] + [
        f"inputs/weather/{y}/*.csv.gz; annual anomaly scaled to the interannual_cv targets"
        for y in years
    ]
    if years:
        table.to_csv(out / "weather" / "years.csv", index=False, lineterminator="\n")
    return design, table


def main(argv: list[str] | None = None) -> None:
    """Command line: regenerate the files and print the check against the targets."""
    ap = argparse.ArgumentParser(prog="python -m tools.profiles", description=__doc__)
    ap.add_argument("--years", type=int, default=10, help="weather years (default 10)")
    ap.add_argument("--inputs", type=Path, default=INPUTS, help="folder of the input tables")
    ap.add_argument("--out", type=Path, help="output folder (default: --inputs)")
    ap.add_argument("--nodes", help="comma-separated subset of nodes (quick look)")
    args = ap.parse_args(argv)
    setup = read_setup(args.inputs, args.nodes.split(",") if args.nodes else None)
    design, table = generate(setup, args.out or args.inputs, args.years)
    lons = {tuple(k.split(":")[::-1]): v for k, v in zone_positions(setup)["lon"].items()}
    check = evaluate(setup.targets, design, lons)
    cols = ["node", "carrier", "statistic", "value", "low", "high", "measured", "ok"]
    print(check[cols].to_string(index=False))
    if args.years > 1:
        cf = table.set_index("weather_year").drop(index="design").filter(like="_cf_")
        print("\ninter-annual std/mean of annual CF:\n" + interannual_cv(cf).round(4).to_string())
    print(f"\n{int(check['ok'].sum())} of {len(check)} design-year targets met")


if __name__ == "__main__":
    main()
