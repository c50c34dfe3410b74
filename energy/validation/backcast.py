"""The backcast: ``inputs/scenarios/backcast.yaml`` solved and its generation by country and
carrier compared with the published figures of ``inputs/statistics.csv`` (``energy
validate``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from energy.config.scenario import load_scenario
from energy.data.inputs import Inputs
from energy.errors import InputError
from energy.model import economics as eco
from energy.model.naming import BOUNDARY
from energy.paths import DEFAULT_INPUTS
from energy.results.folder import Results
from energy.run.pipeline import prepare_inputs, run_scenario

STATISTICS = DEFAULT_INPUTS / "statistics.csv"
CATEGORIES = {
    "coal": ("coal",),
    "gas": ("CCGT", "OCGT", "gas-steam"),
    "hydro": ("hydro",),
    "wind": ("onwind", "offwind"),
    "solar": ("solar",),
}
SHARE_CHECKS = {country: ("coal", "gas", "hydro") for country in ("KZ", "UZ", "AZ")}
TOTAL_CHECKS = ("KZ", "UZ", "AZ", "GE")
NET_IMPORT_CHECKS = ("KZ", "UZ", "AZ", "GE")  # net exports by country, where published
SHARE_TOLERANCE_PP = 5.0
TOTAL_TOLERANCE = 0.05
NET_IMPORT_TOLERANCE_TWH = 1.5  # a border-flow check


def read_statistics(path: Path | str = STATISTICS, period: str = "base") -> pd.DataFrame:
    """Published annual, all-border figures of ``period``: one row per country and carrier
    ('total', 'demand', 'net_imports', a category of :data:`CATEGORIES` or several joined by
    '+'); value in TWh or % of the country's generation. Monthly rows, rows of one border
    (``partner``) and gross imports/exports are left to the notes."""
    stats = pd.read_csv(
        path,
        dtype={"period": str, "year": str, "month": str, "partner": str},
        keep_default_na=False,
        encoding="utf-8",
    )
    stats = stats[(stats["period"] == period) & (stats["month"] == "") & (stats["partner"] == "")]
    known = ("total", "demand", "net_imports", "other", *CATEGORIES)
    stats = stats[stats["carrier"].map(lambda c: all(p in known for p in c.split("+")))]
    check_rows(stats, path)
    return stats.assign(value=pd.to_numeric(stats["value"]))


def check_rows(stats: pd.DataFrame, path: Path | str) -> None:
    """InputError naming file and row for a unit other than TWh or % or a missing source."""
    row = pd.Series(stats.index, index=stats.index) + 2  # the file's line of each row
    problems = [
        f"{Path(path).name}, row {r}, column 'unit': '{u}' (use TWh or %)"
        for r, u in zip(row, stats["unit"])
        if u not in ("TWh", "%")
    ]
    problems += [
        f"{Path(path).name}, row {r}, column 'source': empty"
        for r, src in zip(row, stats["source"].fillna(""))
        if not str(src).strip()
    ]
    if problems:
        raise InputError(problems)


def category_of(carriers: pd.Series) -> pd.Series:
    """Map carriers to the statistics categories of :data:`CATEGORIES` (NaN for others)."""
    lookup = {c: cat for cat, members in CATEGORIES.items() for c in members}
    return carriers.map(lookup)


def modelled(results: Results, inputs: Inputs) -> dict[str, pd.DataFrame | pd.Series]:
    """Per country: generation by category (TWh), demand, unserved energy, net imports, CO2."""
    bal = results.energy_balance
    country = bal["node"].map(inputs.nodes["country"])
    gen = (
        bal.assign(country=country, category=category_of(bal["carrier"]))
        .dropna(subset=["category"])
        .groupby(["country", "category"])["energy_twh"]
        .sum()
        .unstack(fill_value=0.0)
    )
    by_carrier = bal.assign(country=country).groupby(["country", "carrier"])["energy_twh"].sum()
    demand = -by_carrier.xs("load", level="carrier")
    shed = (
        by_carrier.xs("load-shedding", level="carrier")
        if "load-shedding" in set(bal["carrier"])
        else pd.Series(dtype=float)
    )
    return {
        "generation": gen,
        "demand": demand,
        "unserved": shed,
        "net_imports": net_imports(results, inputs),
        "co2": co2_by_country(results, inputs),
    }


def net_imports(results: Results, inputs: Inputs) -> pd.Series:
    """Energy received minus energy sent over corridors that cross a border, plus the fixed
    flows from neighbours outside the model, TWh."""
    links = results.links.set_index("link")
    info = inputs.links.loc[links.index]
    eff = eco.link_efficiency(inputs, info)
    c0 = info["bus0"].map(inputs.nodes["country"])
    c1 = info["bus1"].map(inputs.nodes["country"])
    cross = c0 != c1
    fwd, bwd = links["flow_forward_twh"], links["flow_backward_twh"]
    into = pd.concat(
        [(fwd * eff)[cross].groupby(c1[cross]).sum(), (bwd * eff)[cross].groupby(c0[cross]).sum()]
    )
    out = pd.concat([fwd[cross].groupby(c0[cross]).sum(), bwd[cross].groupby(c1[cross]).sum()])
    bal = results.energy_balance
    fixed = bal[bal["carrier"] == BOUNDARY]  # from neighbours outside the model
    into = pd.concat(
        [into, fixed.groupby(fixed["node"].map(inputs.nodes["country"]))["energy_twh"].sum()]
    )
    return into.groupby(level=0).sum().sub(out.groupby(level=0).sum(), fill_value=0.0)


def co2_by_country(results: Results, inputs: Inputs) -> pd.Series:
    """Fuel CO2 of existing thermal units, Mt (fuel use = output / efficiency)."""
    ts = results.timeseries
    energy = pd.Series(
        (ts["dispatch"] * ts["weight"]).sum("snapshot").to_numpy(), index=ts["generator"].to_numpy()
    )
    fleet = inputs.fleet.reset_index(drop=True)
    fleet.index = fleet["node"] + " " + fleet["carrier"]
    fleet = fleet[
        fleet["carrier"].map(inputs.carriers["kind"]).eq("thermal") & fleet.index.isin(energy.index)
    ]
    fleet = fleet[~fleet.index.duplicated()]
    if fleet.empty:
        return pd.Series(dtype=float)
    country = fleet["node"].map(inputs.nodes["country"])
    fuel = eco.fuel_table(inputs, country, fleet["carrier"].map(inputs.carriers["fuel"]))
    t = energy[fleet.index] / fleet["efficiency"] * fuel["co2_t_per_mwh_th"]
    return t.groupby(country).sum() * 1e-6


def published_twh(stats: pd.DataFrame) -> pd.DataFrame:
    """Statistics with value_twh and share_pct (of the country's published total)."""
    total = stats[stats["carrier"] == "total"].set_index("country")["value"]
    rows = stats.assign(total=stats["country"].map(total))
    share = rows["unit"] == "%"
    rows["value_twh"] = np.where(share, rows["value"] / 100 * rows["total"], rows["value"])
    rows["share_pct"] = np.where(share, rows["value"], rows["value"] / rows["total"] * 100)
    return rows


def validation_table(
    stats: pd.DataFrame,
    model: dict,
    detail: pd.DataFrame | None = None,
    held: dict[str, set[int]] | None = None,
) -> pd.DataFrame:
    """Modelled vs published, one row per statistic (then the sub-year and per-border rows
    of ``detail``, :mod:`energy.validation.detail`), with the tolerance verdict. ``held``:
    per country, the months whose hydro output is an input (hydro_months.csv)."""
    gen = model["generation"]
    rows = []
    for r in published_twh(stats).itertuples():
        country, carrier = r.country, r.carrier
        g = gen.loc[country] if country in gen.index else pd.Series(dtype=float)
        total = float(g.sum())
        if carrier == "total":
            value, share = total, np.nan
        elif carrier in ("demand", "net_imports"):
            value, share = float(model[carrier].get(country, 0.0)), np.nan
        elif carrier == "other":
            value, share = np.nan, np.nan
        else:
            value = float(sum(g.get(c, 0.0) for c in carrier.split("+")))
            share = value / total * 100 if total else np.nan
        rows.append(
            {
                "country": country,
                "carrier": carrier,
                "year": r.year,
                "published_twh": r.value_twh,
                "model_twh": value,
                "published_share": r.share_pct
                if carrier not in ("total", "demand", "net_imports")
                else np.nan,
                "model_share": share,
                "input": carrier == "hydro"
                and set(range(1, 13)) <= (held or {}).get(country, set()),
            }
        )
    table = pd.concat([pd.DataFrame(rows), detail], ignore_index=True)
    return judge(table)


def judge(table: pd.DataFrame) -> pd.DataFrame:
    """Add deviation (pp for shares, % for totals), tolerance and status (``ok``, ``MISS``;
    ``-`` for rows shown only, ``input`` for a fixed flow from outside the model or hydro
    output held to its published months)."""
    share_rows = table.apply(lambda r: r["carrier"] in SHARE_CHECKS.get(r["country"], ()), axis=1)
    total_rows = (table["carrier"] == "total") & table["country"].isin(TOTAL_CHECKS)
    trade_rows = (table["carrier"] == "net_imports") & table["country"].isin(NET_IMPORT_CHECKS)
    pp = table["model_share"] - table["published_share"]
    pct = (table["model_twh"] / table["published_twh"] - 1) * 100
    twh = table["model_twh"] - table["published_twh"]
    table["deviation"] = np.select([table["carrier"] == "total", trade_rows], [pct, twh], pp)
    table["tolerance"] = np.select(
        [share_rows, total_rows, trade_rows],
        [
            f"±{SHARE_TOLERANCE_PP:g} pp",
            f"±{TOTAL_TOLERANCE:.0%}",
            f"±{NET_IMPORT_TOLERANCE_TWH:g} TWh",
        ],
        "",
    )
    ok = np.select(
        [share_rows, trade_rows],
        [pp.abs() <= SHARE_TOLERANCE_PP, twh.abs() <= NET_IMPORT_TOLERANCE_TWH],
        pct.abs() <= TOTAL_TOLERANCE * 100,
    )
    checked = share_rows | total_rows | trade_rows
    fixed = table["input"].eq(True) if "input" in table else False
    table["status"] = np.where(checked, np.where(ok, "ok", "MISS"), np.where(fixed, "input", "-"))
    return table


def extra_rows(model: dict) -> pd.DataFrame:
    """Modelled quantities without a published counterpart: CO2, unserved energy."""
    countries = sorted(model["generation"].index)
    return pd.DataFrame(
        {
            "co2_mt": model["co2"].reindex(countries).fillna(0.0),
            "unserved_twh": model["unserved"].reindex(countries).fillna(0.0),
            "net_imports_twh": model["net_imports"].reindex(countries).fillna(0.0),
        },
        index=pd.Index(countries, name="country"),
    )


def format_table(table: pd.DataFrame) -> str:
    """The validation table as aligned text: TWh, shares in %, deviation, tolerance, status."""

    def fmt(value, pattern):
        return "" if pd.isna(value) else pattern.format(value)

    shown = pd.DataFrame(
        {
            "country": table["country"],
            "carrier": table["carrier"],
            "year": table["year"],
            "published TWh": [fmt(v, "{:.2f}") for v in table["published_twh"]],
            "model TWh": [fmt(v, "{:.2f}") for v in table["model_twh"]],
            "published %": [fmt(v, "{:.1f}") for v in table["published_share"]],
            "model %": [fmt(v, "{:.1f}") for v in table["model_share"]],
            "deviation": [
                deviation_text(v, c) for v, c in zip(table["deviation"], table["carrier"])
            ],
            "tolerance": table["tolerance"],
            "status": table["status"],
        }
    )
    return shown.to_string(index=False)


def deviation_text(value: float, carrier: str) -> str:
    """A deviation with its unit: % for totals, TWh for net imports, pp for shares."""
    if pd.isna(value):
        return ""
    return f"{value:+.1f}" + {"total": " %", "net_imports": " TWh"}.get(carrier, " pp")


def missed_checks(table: pd.DataFrame) -> list[str]:
    """One line per missed check: country, carrier, period, deviation and tolerance."""
    misses = table[table["status"] == "MISS"]
    return [
        f"{r.country} {r.carrier} {r.year}: {deviation_text(r.deviation, r.carrier)} "
        f"(tolerance {r.tolerance})"
        for r in misses.itertuples()
    ]


def run_backcast(
    resolution: str | None = None,
    inputs_dir: Path | str = DEFAULT_INPUTS,
    scenario: str = "backcast",
    period: str = "base",
) -> tuple[pd.DataFrame, pd.DataFrame, Results]:
    """Solve the backcast for ``period`` (``base``, or ``base-prior`` out of sample: the same
    scenario and calibration, an earlier year) and return (validation table, modelled
    extras, results)."""
    changes = {"period": period} | ({"resolution": resolution} if resolution else {})
    sc = load_scenario(scenario, inputs_dir, **changes)
    inputs = prepare_inputs(sc, inputs_dir)
    results = run_scenario(sc, inputs_dir=inputs_dir, write=False)
    from energy.validation.detail import detail_rows, hydro_input_months

    model = modelled(results, inputs)
    path = Path(inputs_dir) / "statistics.csv"
    stats = read_statistics(path, period)
    detail = detail_rows(path, period, results, inputs)
    held = hydro_input_months(inputs, period)
    return validation_table(stats, model, detail, held), extra_rows(model), results
