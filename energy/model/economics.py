"""Cost arithmetic: annuities, annualised capital costs, link costs and losses, marginal costs.

All money is EUR2025; capital costs come out per MW (or MWh) and year, as PyPSA expects.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from energy.data.inputs import Inputs

# carrier -> row of costs.csv that prices it (gas-steam units have no technology-data row:
# they are existing assets only, so just their VOM is needed; CCGT's is used)
COST_TECHNOLOGY = {
    "onwind": "onwind",
    "solar": "solar-utility",
    "offwind": "offwind",
    "coal": "coal",
    "CCGT": "CCGT",
    "OCGT": "OCGT",
    "gas-steam": "CCGT",
    "hydro": "hydro",
}
LINE_TECHNOLOGY = {
    "hvdc-submarine": "HVDC submarine",
    "hvdc-overhead": "HVDC overhead",
    "hvac-overhead": "HVAC overhead",
}
CONVERTER = "HVDC inverter pair"
TO_PER_MW = {
    "EUR/kW": 1e3,
    "EUR/MW": 1.0,
    "EUR/kWh": 1e3,
    "EUR/MWh": 1.0,
    "EUR/MW/km": 1.0,
    "EUR/kW/km": 1e3,
}


def annuity(rate: float, lifetime_years: float) -> float:
    """Capital recovery factor: the yearly payment that repays 1 EUR over the lifetime."""
    if rate == 0:
        return 1.0 / lifetime_years
    return rate / (1.0 - (1.0 + rate) ** -lifetime_years)


# asset classes financed at their own rate (costs.csv 'discount rate' rows; 'value' is the
# default for a class without a row)
ASSET_CLASSES = ("interconnector", "renewable", "storage", "thermal")
ASSET_CLASS = {
    "onwind": "renewable",
    "solar": "renewable",
    "offwind": "renewable",
    "hydro": "renewable",
    "battery": "storage",
    "OCGT": "thermal",
    "CCGT": "thermal",
    "coal": "thermal",
    "gas-steam": "thermal",
}


def discount_rates(
    inputs: Inputs, single: float | None = None, by_class: dict[str, float] | None = None
) -> dict[str, float]:
    """Discount rate of every asset class: ``single`` for all if given (a sensitivity), else
    the scenario's ``by_class``, else costs.csv's rate of the class, else its default."""
    if single is not None:
        return dict.fromkeys(ASSET_CLASSES, single)
    default = inputs.cost("discount rate", "value")
    table = {
        c: inputs.cost("discount rate", c)
        if ("discount rate", c) in inputs.costs.index
        else default
        for c in ASSET_CLASSES
    }
    return table | dict(by_class or {})


def investment_per_mw(inputs: Inputs, technology: str) -> float:
    """Overnight investment in EUR per MW (or per MWh, or per MW and km)."""
    unit = str(inputs.costs.at[(technology, "investment"), "unit"])
    return inputs.cost(technology, "investment") * TO_PER_MW.get(unit, 1.0)


def annualised_cost(inputs: Inputs, technology: str, rate: float) -> float:
    """(annuity + fixed O&M share) × investment, EUR per MW (MWh, MW·km) and year."""
    fom = (
        inputs.cost(technology, "FOM") / 100.0 if (technology, "FOM") in inputs.costs.index else 0.0
    )
    lifetime = inputs.cost(technology, "lifetime")
    return (annuity(rate, lifetime) + fom) * investment_per_mw(inputs, technology)


def generator_capital_cost(inputs: Inputs, carrier: str, rate: float) -> float:
    """Annualised cost of new capacity of a generator carrier, EUR/MW/a."""
    cost = annualised_cost(inputs, COST_TECHNOLOGY[carrier], rate)
    if carrier == "offwind":  # grid connection to shore: AC substation + submarine cable
        km = inputs.cost("offwind", "grid-connection-km")
        cost += annualised_cost(inputs, "offwind-ac-station", rate)
        cost += km * annualised_cost(inputs, "offwind-ac-connection-submarine", rate)
    return cost


def battery_capital_cost(inputs: Inputs, rate: float) -> tuple[float, float]:
    """(EUR/MW/a of a battery with its standard hours of storage, hours)."""
    hours = inputs.cost("battery", "max_hours")
    cost = annualised_cost(inputs, "battery inverter", rate) + hours * annualised_cost(
        inputs, "battery storage", rate
    )
    return cost, hours


def link_capital_cost(inputs: Inputs, links: pd.DataFrame, rate: float) -> pd.Series:
    """Annualised cost per MW of each corridor: length × per-km line cost + converter pair
    for HVDC, times the corridor's ``capex_factor``. EUR/MW/a."""
    per_km = (
        links["type"]
        .map({t: annualised_cost(inputs, tech, rate) for t, tech in LINE_TECHNOLOGY.items()})
        .fillna(0.0)
    )
    converter = np.where(
        links["type"].str.startswith("hvdc"), annualised_cost(inputs, CONVERTER, rate), 0.0
    )
    return (links["length_km"] * per_km + converter) * links["capex_factor"]


def link_investment(inputs: Inputs, links: pd.DataFrame) -> pd.Series:
    """Overnight investment per MW of each corridor (EUR/MW), for reporting."""
    per_km = (
        links["type"]
        .map({t: investment_per_mw(inputs, tech) for t, tech in LINE_TECHNOLOGY.items()})
        .fillna(0.0)
    )
    converter = np.where(
        links["type"].str.startswith("hvdc"), investment_per_mw(inputs, CONVERTER), 0.0
    )
    return (links["length_km"] * per_km + converter) * links["capex_factor"]


def link_efficiency(inputs: Inputs, links: pd.DataFrame) -> pd.Series:
    """Share of power delivered: static (converter) losses × per-1000-km line losses."""

    def loss_param(tech: str, param: str, default: float) -> float:
        return inputs.cost(tech, param) if (tech, param) in inputs.costs.index else default

    static = links["type"].map(
        {t: loss_param(tech, "efficiency-static", 1.0) for t, tech in LINE_TECHNOLOGY.items()}
        | {"hvdc-b2b": loss_param(CONVERTER, "efficiency-static", 1.0)}
    )
    per_1000km = links["type"].map(
        {t: loss_param(tech, "efficiency-per-1000km", 1.0) for t, tech in LINE_TECHNOLOGY.items()}
        | {"hvdc-b2b": 1.0}
    )
    return static * per_1000km ** (links["length_km"] / 1000.0)


def fuel_table(
    inputs: Inputs, countries: pd.Series, fuels: pd.Series, pricing: str = "economic"
) -> pd.DataFrame:
    """Fuel price and CO2 intensity for each (country, fuel) pair under ``pricing``
    (``economic``: border value; ``tariff``: regulated price); '*' rows are defaults."""
    table = inputs.fuels.xs(pricing, level="pricing")
    rows = []
    for country, fuel in zip(countries, fuels):
        key = (fuel, country) if (fuel, country) in table.index else (fuel, "*")
        rows.append(table.loc[key, ["price_eur_per_mwh_th", "co2_t_per_mwh_th"]])
    return pd.DataFrame(rows, index=countries.index)


def co2_price(inputs: Inputs, countries: pd.Series, override: float | None) -> pd.Series:
    """CO2 price per row's country, EUR/t (0 where none is in force)."""
    if override is not None:
        return pd.Series(override, index=countries.index)
    prices = inputs.co2_prices["price_eur_per_t"]
    return countries.map(prices).fillna(0.0)
