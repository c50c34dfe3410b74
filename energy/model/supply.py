"""Supply components: existing thermal plants (fuel at the scenario's pricing, CO2 price,
seasonal rules), thermal candidates, hydro and variable renewables (existing and up to the
potential), batteries."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa

from energy.config.scenario import Scenario
from energy.data.inputs import Inputs
from energy.data.months import range_factors
from energy.model import economics as eco
from energy.model.naming import VARIABLE, new_name

MIN_CF = 0.01  # capacity factors below this are set to 0 (narrows the LP)


def node_profile(inputs: Inputs, carrier: str, nodes: pd.Index, sns: pd.Index) -> pd.DataFrame:
    """Hourly profile of ``carrier`` for ``nodes`` (columns) over snapshots ``sns``."""
    profile = inputs.profiles[carrier].reindex(columns=nodes).fillna(0.0).loc[sns]
    if carrier != "load":
        profile = profile.where(profile >= MIN_CF, 0.0)
    return profile


def hydro_profile(inputs: Inputs, period: str, mw: pd.Series, sns: pd.Index) -> pd.DataFrame:
    """Hydro availability over ``sns`` of the nodes of ``mw`` (their existing MW): the profile,
    held month range by month range to the output hydro_months.csv publishes for ``period``
    (the year's own hydrology); months without a row keep the profile."""
    hourly = inputs.profiles["hydro"].index
    profile = node_profile(inputs, "hydro", mw.index, hourly)
    table = inputs.hydro_months
    if table is None or table.empty:
        return profile.loc[sns]
    table = table.reset_index(drop=True)
    rows = table[(table["period"] == period) & table["node"].isin(mw.index)]
    month = hourly.month.to_numpy()
    for node, ranges in rows.groupby("node"):
        mwh = profile[node].to_numpy() * mw[node]
        profile[node] = profile[node].to_numpy() * range_factors(mwh, month, ranges, "hydro_twh")
    return profile.loc[sns]


def fleet_for(inputs: Inputs, period: str, kinds: tuple[str, ...]) -> pd.DataFrame:
    """Existing capacity of ``kinds`` in ``period``, one row per ``<node> <carrier>``."""
    fleet = inputs.fleet[inputs.fleet["period"] == period].reset_index(drop=True)
    fleet["kind"] = fleet["carrier"].map(inputs.carriers["kind"])
    fleet = fleet[fleet["kind"].isin(kinds) & (fleet["p_nom_mw"] > 0)]
    fleet.index = fleet["node"] + " " + fleet["carrier"]
    return fleet


def add_thermal(n: pypsa.Network, inputs: Inputs, scenario: Scenario) -> None:
    """Existing fuel-burning plants, one aggregated unit per node and carrier."""
    fleet = fleet_for(inputs, scenario.period, ("thermal",))
    if fleet.empty:
        return
    country = fleet["node"].map(inputs.nodes["country"])
    fuel = eco.fuel_table(
        inputs, country, fleet["carrier"].map(inputs.carriers["fuel"]), scenario.fuel_pricing
    )
    variable_om = fleet["carrier"].map(lambda c: vom(inputs, c))
    co2_price = eco.co2_price(inputs, country, scenario.co2_price_eur_per_t)
    marginal = (fuel["price_eur_per_mwh_th"] + co2_price * fuel["co2_t_per_mwh_th"]) / fleet[
        "efficiency"
    ] + variable_om
    p_max_pu, p_min_pu = seasonal_limits(fleet, country, n.snapshots, scenario)
    n.add(
        "Generator",
        fleet.index,
        bus=fleet["node"],
        carrier=fleet["carrier"],
        p_nom=fleet["p_nom_mw"],
        p_max_pu=p_max_pu,
        p_min_pu=p_min_pu,
        efficiency=fleet["efficiency"],
        marginal_cost=marginal,
        new=False,
    )


def seasonal_limits(
    fleet: pd.DataFrame,
    country: pd.Series,
    sns: pd.Index,
    scenario: Scenario,
) -> tuple[pd.Series | pd.DataFrame, float | pd.DataFrame]:
    """(p_max_pu, p_min_pu) of existing thermal units: fleet availability and no must-run,
    changed by the scenario's ``thermal_rules`` in their months."""
    if not scenario.thermal_rules:
        return fleet["availability"], 0.0
    p_max = pd.DataFrame(
        np.tile(fleet["availability"].to_numpy(), (len(sns), 1)), index=sns, columns=fleet.index
    )
    p_min = pd.DataFrame(0.0, index=sns, columns=fleet.index)
    for rule in scenario.thermal_rules:
        rows = sns.month.isin(rule.months)
        cols = fleet.index[country.isin(rule.countries) & fleet["carrier"].isin(rule.carriers)]
        if rule.p_max_pu is not None:
            p_max.loc[rows, cols] = rule.p_max_pu
        if rule.p_min_pu is not None:
            p_min.loc[rows, cols] = rule.p_min_pu
    return p_max, p_min.clip(upper=p_max)


def add_thermal_candidates(
    n: pypsa.Network, inputs: Inputs, scenario: Scenario, years: float, rates: dict[str, float]
) -> None:
    """New OCGT/CCGT at every domestic node, if the scenario lists them as expandable."""
    carriers = [c for c in ("OCGT", "CCGT") if c in scenario.expandable and scenario.expansion]
    nodes = inputs.domestic_nodes
    for carrier in carriers:
        country = pd.Series(inputs.nodes.loc[nodes, "country"].values, index=nodes)
        fuel = eco.fuel_table(
            inputs,
            country,
            pd.Series(inputs.carriers.at[carrier, "fuel"], index=nodes),
            scenario.fuel_pricing,
        )
        efficiency = inputs.cost(carrier, "efficiency")
        co2_price = eco.co2_price(inputs, country, scenario.co2_price_eur_per_t)
        marginal = (
            fuel["price_eur_per_mwh_th"] + co2_price * fuel["co2_t_per_mwh_th"]
        ) / efficiency + vom(inputs, carrier)
        n.add(
            "Generator",
            new_name(nodes + f" {carrier}"),
            bus=nodes,
            carrier=carrier,
            p_nom_extendable=True,
            new=True,
            efficiency=efficiency,
            marginal_cost=marginal.values,
            capital_cost=eco.generator_capital_cost(
                inputs, carrier, rates[eco.ASSET_CLASS[carrier]]
            )
            * years,
        )


def add_renewables(
    n: pypsa.Network, inputs: Inputs, scenario: Scenario, years: float, rates: dict[str, float]
) -> None:
    """Hydro and variable renewables: existing capacity fixed, expansion up to the potential."""
    fleet = fleet_for(inputs, scenario.period, ("hydro", "variable"))
    for carrier, group in fleet.groupby("carrier"):
        rows = group.set_index("node")
        if carrier == "hydro":
            mw = rows["p_nom_mw"] * rows["availability"]
            profile = hydro_profile(inputs, scenario.period, mw, n.snapshots)
        else:
            profile = node_profile(inputs, carrier, rows.index, n.snapshots)
        profile = profile * rows["availability"]
        profile.columns = group.index
        n.add(
            "Generator",
            group.index,
            bus=group["node"],
            carrier=carrier,
            p_nom=group["p_nom_mw"],
            p_max_pu=profile,
            marginal_cost=vom(inputs, carrier),
            new=False,
        )
    if not scenario.expansion:
        return
    potentials = inputs.potentials.reset_index(drop=True)
    potentials = potentials[
        potentials["carrier"].isin(VARIABLE) & potentials["carrier"].isin(scenario.expandable)
    ]
    existing = (potentials["node"] + " " + potentials["carrier"]).map(fleet["p_nom_mw"])
    potentials = potentials.assign(room_mw=potentials["potential_gw"] * 1e3 - existing.fillna(0))
    potentials = potentials[potentials["room_mw"] > 0]
    for carrier, group in potentials.groupby("carrier"):
        names = new_name(pd.Index(group["node"] + f" {carrier}"))
        profile = node_profile(inputs, carrier, pd.Index(group["node"]), n.snapshots)
        profile.columns = names
        n.add(
            "Generator",
            names,
            bus=group["node"].values,
            carrier=carrier,
            p_nom_extendable=True,
            new=True,
            p_nom_max=group["room_mw"].values,
            p_max_pu=profile,
            capital_cost=eco.generator_capital_cost(
                inputs, carrier, rates[eco.ASSET_CLASS[carrier]]
            )
            * years,
            marginal_cost=vom(inputs, carrier),
        )


def vom(inputs: Inputs, carrier: str) -> float:
    """Variable O&M of a carrier, EUR/MWh (0 where costs.csv has none)."""
    key = (eco.COST_TECHNOLOGY[carrier], "VOM")
    return inputs.cost(*key) if key in inputs.costs.index else 0.0


def add_batteries(
    n: pypsa.Network, inputs: Inputs, scenario: Scenario, years: float, rates: dict[str, float]
) -> None:
    """Existing batteries and, if expandable, a candidate battery at every domestic node."""
    capital_cost, hours = eco.battery_capital_cost(inputs, rates["storage"])
    efficiency = inputs.cost("battery inverter", "efficiency")
    fleet = fleet_for(inputs, scenario.period, ("storage",))
    common = dict(
        carrier="battery",
        max_hours=hours,
        efficiency_store=efficiency,
        efficiency_dispatch=efficiency,
        cyclic_state_of_charge=True,
    )
    n.add(
        "StorageUnit", fleet.index, bus=fleet["node"], p_nom=fleet["p_nom_mw"], new=False, **common
    )
    if scenario.expansion and "battery" in scenario.expandable:
        nodes = inputs.domestic_nodes
        n.add(
            "StorageUnit",
            new_name(nodes + " battery"),
            bus=nodes,
            p_nom_extendable=True,
            new=True,
            capital_cost=capital_cost * years,
            **common,
        )
