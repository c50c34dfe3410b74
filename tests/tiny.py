"""Write tiny, hand-solvable input folders for tests (same schema as ``inputs/``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

HOURS = pd.date_range("2030-01-01", periods=8760, freq="h")
REPO = Path(__file__).resolve().parent.parent

# a full cost table; tests override single values
COSTS = {
    ("onwind", "investment"): (1000.0, "EUR/kW"),
    ("onwind", "FOM"): (0.0, "%/year"),
    ("onwind", "lifetime"): (25.0, "years"),
    ("solar-utility", "investment"): (500.0, "EUR/kW"),
    ("solar-utility", "FOM"): (0.0, "%/year"),
    ("solar-utility", "lifetime"): (25.0, "years"),
    ("offwind", "investment"): (2000.0, "EUR/kW"),
    ("offwind", "FOM"): (0.0, "%/year"),
    ("offwind", "lifetime"): (25.0, "years"),
    ("offwind", "grid-connection-km"): (0.0, "km"),
    ("offwind-ac-station", "investment"): (0.0, "EUR/kW"),
    ("offwind-ac-station", "lifetime"): (25.0, "years"),
    ("offwind-ac-connection-submarine", "investment"): (0.0, "EUR/MW/km"),
    ("offwind-ac-connection-submarine", "lifetime"): (25.0, "years"),
    ("battery storage", "investment"): (100.0, "EUR/kWh"),
    ("battery storage", "lifetime"): (25.0, "years"),
    ("battery inverter", "investment"): (100.0, "EUR/kW"),
    ("battery inverter", "lifetime"): (25.0, "years"),
    ("battery inverter", "efficiency"): (1.0, "per unit"),
    ("battery", "max_hours"): (4.0, "h"),
    ("OCGT", "investment"): (500.0, "EUR/kW"),
    ("OCGT", "lifetime"): (25.0, "years"),
    ("OCGT", "efficiency"): (0.4, "per unit"),
    ("CCGT", "investment"): (1000.0, "EUR/kW"),
    ("CCGT", "lifetime"): (25.0, "years"),
    ("CCGT", "efficiency"): (0.6, "per unit"),
    ("coal", "investment"): (2000.0, "EUR/kW"),
    ("coal", "lifetime"): (40.0, "years"),
    ("hydro", "investment"): (2000.0, "EUR/kW"),
    ("hydro", "lifetime"): (80.0, "years"),
    ("HVDC submarine", "investment"): (3000.0, "EUR/MW/km"),
    ("HVDC submarine", "lifetime"): (40.0, "years"),
    ("HVDC submarine", "efficiency-static"): (1.0, "per unit"),
    ("HVDC submarine", "efficiency-per-1000km"): (1.0, "per unit"),
    ("HVDC overhead", "investment"): (600.0, "EUR/MW/km"),
    ("HVDC overhead", "lifetime"): (40.0, "years"),
    ("HVAC overhead", "investment"): (700.0, "EUR/MW/km"),
    ("HVAC overhead", "lifetime"): (40.0, "years"),
    ("HVDC inverter pair", "investment"): (600.0, "EUR/kW"),
    ("HVDC inverter pair", "lifetime"): (40.0, "years"),
    ("discount rate", "value"): (0.07, "per unit"),
}
CARRIERS = [
    ("coal", "thermal", "coal", False),
    ("CCGT", "thermal", "gas", False),
    ("OCGT", "thermal", "gas", False),
    ("gas-steam", "thermal", "gas", False),
    ("hydro", "hydro", "", True),
    ("onwind", "variable", "", True),
    ("solar", "variable", "", True),
    ("offwind", "variable", "", True),
    ("battery", "storage", "", False),
]


def frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    df["source"] = "test fixture"
    return df


def crf(rate: float, years: float) -> float:
    """Capital recovery factor written out by hand: r(1+r)^n / ((1+r)^n − 1); 1/n at r = 0."""
    if rate == 0:
        return 1.0 / years
    growth = (1 + rate) ** years
    return rate * growth / (growth - 1)


def write_inputs(
    folder: Path,
    *,
    nodes: list[dict],
    demand: list[dict],
    fleet: list[dict] = (),
    potentials: list[dict] = (),
    links: list[dict] = (),
    markets: list[dict] = (),
    costs: dict | None = None,
    fuels: list[dict] | None = None,
    profiles: dict[str, dict] | None = None,
    scenarios: dict[str, str] | None = None,
    price_shape: list[dict] = (),
) -> Path:
    """Write a complete input folder; profiles map carrier -> {node: 8760 values}.

    Missing profile columns are constant 0 (1 for load); a fuel row without ``pricing`` is
    written for both pricings, a market row without ``direction`` is an export step."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "profiles").mkdir(exist_ok=True)
    node_rows = [
        {"name": r["node"], "country": r["node"], "role": "domestic", "lat": 0.0, "lon": 0.0, **r}
        for r in nodes
    ]
    frame(node_rows, ["node", "name", "country", "role", "lat", "lon"]).to_csv(
        folder / "nodes.csv", index=False
    )
    demand_rows = [{"period": "2030", "year": 2030, "peak_mw": 0.0, **r} for r in demand]
    frame(demand_rows, ["node", "period", "year", "demand_twh", "peak_mw"]).to_csv(
        folder / "demand.csv", index=False
    )
    frame(
        [
            dict(zip(["carrier", "kind", "fuel", "renewable"], c))
            | {"nice_name": c[0], "color": "#000000"}
            for c in CARRIERS
        ],
        ["carrier", "nice_name", "kind", "fuel", "renewable", "color"],
    ).to_csv(folder / "carriers.csv", index=False)
    fleet_rows = [{"period": "2030", "efficiency": "", "availability": 1.0, **r} for r in fleet]
    frame(
        fleet_rows, ["node", "carrier", "period", "p_nom_mw", "efficiency", "availability"]
    ).to_csv(folder / "fleet.csv", index=False)
    fuel_rows = (
        fuels
        if fuels is not None
        else [
            {"fuel": "gas", "country": "*", "price_eur_per_mwh_th": 20.0, "co2_t_per_mwh_th": 0.2},
            {"fuel": "coal", "country": "*", "price_eur_per_mwh_th": 8.0, "co2_t_per_mwh_th": 0.34},
        ]
    )
    fuel_rows = [
        {"pricing": pricing, **r}
        for r in fuel_rows
        for pricing in ((r["pricing"],) if "pricing" in r else ("economic", "tariff"))
    ]
    frame(
        [{"year": 2030, **r} for r in fuel_rows],
        ["fuel", "country", "pricing", "price_eur_per_mwh_th", "co2_t_per_mwh_th", "year"],
    ).to_csv(folder / "fuels.csv", index=False)
    frame([], ["country", "price_eur_per_t", "year"]).to_csv(folder / "co2_prices.csv", index=False)
    frame(list(potentials), ["node", "carrier", "potential_gw", "cf_annual"]).to_csv(
        folder / "potentials.csv", index=False
    )
    link_rows = [
        {
            "type": "hvdc-submarine",
            "length_km": 0.0,
            "p_nom_mw": 0.0,
            "extendable": True,
            "p_nom_max_mw": 1e5,
            "capex_factor": 1.0,
            "in_service_year": "",
            "module_mw": "",
            **r,
        }
        for r in links
    ]
    frame(
        link_rows,
        [
            "link",
            "bus0",
            "bus1",
            "type",
            "length_km",
            "p_nom_mw",
            "extendable",
            "p_nom_max_mw",
            "capex_factor",
            "in_service_year",
            "module_mw",
        ],
    ).to_csv(folder / "links.csv", index=False)
    frame(
        [{"direction": "export", **r} for r in markets],
        ["node", "direction", "step", "price_eur_per_mwh", "max_mw"],
    ).to_csv(folder / "markets.csv", index=False)
    frame(list(price_shape), ["node", "month", "hour", "factor"]).to_csv(
        folder / "market_price_shape.csv", index=False
    )
    table = dict(COSTS)
    table.update({k: (v, COSTS.get(k, (0, "per unit"))[1]) for k, v in (costs or {}).items()})
    frame(
        [
            {"technology": t, "parameter": p, "value": v, "unit": u}
            for (t, p), (v, u) in table.items()
        ],
        ["technology", "parameter", "value", "unit"],
    ).to_csv(folder / "costs.csv", index=False)
    names = [r["node"] for r in nodes]
    for carrier in ("onwind", "solar", "offwind", "hydro", "load"):
        given = (profiles or {}).get(carrier, {})
        data = {
            node: np.asarray(
                given.get(node, np.full(8760, 1.0 if carrier == "load" else 0.0)), dtype=float
            )
            for node in names
        }
        pd.DataFrame(data, index=pd.Index(HOURS, name="snapshot")).to_csv(
            folder / "profiles" / f"{carrier}.csv"
        )
    for name, text in (scenarios or {}).items():
        (folder / "scenarios").mkdir(exist_ok=True)
        (folder / "scenarios" / f"{name}.yaml").write_text(text)
    return folder


def green_corridor_inputs(
    folder: Path, ab_max_mw: float = 1e5, scenarios: dict[str, str] | None = None
) -> Path:
    """Three nodes: new wind at A (KZ, cf 1), 1,000 MW of load and 5 GW of OCGT at B (AZ), market
    EU buying up to 400 MW at 100 EUR/MWh over a fixed 500 MW link B→EU; link A→B (100 km)
    may be built up to ``ab_max_mw`` (not at all for 0)."""
    return write_inputs(
        folder,
        nodes=[
            {"node": "A", "country": "KZ"},
            {"node": "B", "country": "AZ"},
            {"node": "EU", "role": "market"},
        ],
        demand=[
            {"node": "A", "demand_twh": 0.0},
            {"node": "B", "demand_twh": 8.76, "peak_mw": 1000.0},
        ],
        fleet=[{"node": "B", "carrier": "OCGT", "p_nom_mw": 5000, "efficiency": 0.5}],
        potentials=[{"node": "A", "carrier": "onwind", "potential_gw": 100, "cf_annual": 1.0}],
        links=[
            {
                "link": "ab",
                "bus0": "A",
                "bus1": "B",
                "length_km": 100,
                "p_nom_max_mw": ab_max_mw,
                "extendable": ab_max_mw > 0,
            },
            {
                "link": "beu",
                "bus0": "B",
                "bus1": "EU",
                "p_nom_mw": 500,
                "extendable": False,
                "p_nom_max_mw": 500,
            },
        ],
        markets=[{"node": "EU", "step": 1, "price_eur_per_mwh": 100, "max_mw": 400}],
        profiles={"onwind": {"A": np.ones(8760)}},
        scenarios=scenarios,
    )


def copy_real_inputs(folder: Path) -> Path:
    """A private copy of the shipped inputs (tests may edit it)."""
    shutil.copytree(REPO / "inputs", folder)
    return folder


def set_cost_unit(folder: Path, technology: str, parameter: str, unit: str) -> None:
    """Change the unit of one row of ``costs.csv`` in a folder written by write_inputs."""
    path = folder / "costs.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = (table["technology"] == technology) & (table["parameter"] == parameter)
    assert row.sum() == 1, f"no single costs row {technology}/{parameter}"
    table.loc[row, "unit"] = unit
    table.to_csv(path, index=False)


def write_co2_prices(folder: Path, rows: list[dict]) -> None:
    """Fill ``co2_prices.csv`` (write_inputs leaves it empty) with ``rows``."""
    frame([{"year": 2030, **r} for r in rows], ["country", "price_eur_per_t", "year"]).to_csv(
        folder / "co2_prices.csv", index=False
    )
