"""Build the corridor as a ``pypsa.Network`` from validated inputs and a scenario.

One small ``add_*`` per component family. Identity (new or existing capacity; a link's
corridor and direction) is stored in custom columns, see :mod:`energy.model.naming`:

- ``{node} {carrier}``: existing (fixed) capacity; ``{node} {carrier} new``: expansion;
- ``{node} export {step}``: a market's price step (a buyer: ``p`` ≤ 0, cost = −revenue);
- ``{link}``, ``{link} reverse``: an existing two-way corridor as two lossy one-way links;
  ``{link} new``, ``{link} new reverse``: its expansion, the two capacities tied.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pypsa

from energy.config.scenario import Scenario
from energy.data.inputs import Inputs
from energy.model import economics as eco
from energy.model.naming import EXPORT, LOAD_SHEDDING, VARIABLE, corridor_part_name, new_name
from energy.model.timeseries import aggregate, modelled_years, window_index

pypsa.options.general.allow_network_requests = False
pypsa.options.api.legacy_string_dtype = True
logger = logging.getLogger(__name__)

MIN_CF = 0.01  # capacity factors below this are set to 0 (narrows the LP)


def node_profile(inputs: Inputs, carrier: str, nodes: pd.Index, sns: pd.Index) -> pd.DataFrame:
    """Hourly profile of ``carrier`` for ``nodes`` (columns) over snapshots ``sns``."""
    profile = inputs.profiles[carrier].reindex(columns=nodes).fillna(0.0).loc[sns]
    if carrier != "load":
        profile = profile.where(profile >= MIN_CF, 0.0)
    return profile


def add_buses(n: pypsa.Network, inputs: Inputs) -> None:
    """One AC bus per node, located in its country."""
    nodes = inputs.nodes
    n.add("Carrier", ["AC", "DC"])
    n.add(
        "Bus", nodes.index, x=nodes["lon"], y=nodes["lat"], carrier="AC", location=nodes["country"]
    )


def add_carriers(n: pypsa.Network, inputs: Inputs) -> None:
    """Carriers with their CO2 intensity (t/MWh_th of the fuel), colours and names."""
    carriers = inputs.carriers
    co2 = (
        carriers["fuel"]
        .map(inputs.fuels[inputs.fuels["country"] == "*"].set_index("fuel")["co2_t_per_mwh_th"])
        .fillna(0.0)
    )
    n.add(
        "Carrier",
        carriers.index,
        co2_emissions=co2,
        color=carriers["color"],
        nice_name=carriers["nice_name"],
    )
    n.add("Carrier", [EXPORT, LOAD_SHEDDING], color=["#6a3d9a", "#000000"])


def add_loads(n: pypsa.Network, inputs: Inputs, period: str) -> None:
    """Demand of each domestic node: the annual energy spread over the load shape."""
    demand = inputs.demand[inputs.demand["period"] == period].set_index("node")
    demand = demand[demand.index.isin(inputs.domestic_nodes)]
    shape = node_profile(inputs, "load", demand.index, n.snapshots)
    p_set = shape * (demand["demand_twh"] * 1e6 / 8760.0)
    n.add("Load", demand.index, suffix=" load", bus=demand.index, p_set=p_set)


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
    fuel = eco.fuel_table(inputs, country, fleet["carrier"].map(inputs.carriers["fuel"]))
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
    fleet: pd.DataFrame, country: pd.Series, sns: pd.Index, scenario: Scenario
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
    n: pypsa.Network, inputs: Inputs, scenario: Scenario, years: float, rate: float
) -> None:
    """New OCGT/CCGT at every domestic node, if the scenario lists them as expandable."""
    carriers = [c for c in ("OCGT", "CCGT") if c in scenario.expandable and scenario.expansion]
    nodes = inputs.domestic_nodes
    for carrier in carriers:
        country = pd.Series(inputs.nodes.loc[nodes, "country"].values, index=nodes)
        fuel = eco.fuel_table(
            inputs, country, pd.Series(inputs.carriers.at[carrier, "fuel"], index=nodes)
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
            capital_cost=eco.generator_capital_cost(inputs, carrier, rate) * years,
        )


def add_renewables(
    n: pypsa.Network, inputs: Inputs, scenario: Scenario, years: float, rate: float
) -> None:
    """Hydro and variable renewables: existing capacity fixed, expansion up to the potential."""
    fleet = fleet_for(inputs, scenario.period, ("hydro", "variable"))
    for carrier, group in fleet.groupby("carrier"):
        profile = node_profile(inputs, carrier, pd.Index(group["node"]), n.snapshots)
        profile = profile * group.set_index("node")["availability"]
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
            capital_cost=eco.generator_capital_cost(inputs, carrier, rate) * years,
            marginal_cost=vom(inputs, carrier),
        )


def vom(inputs: Inputs, carrier: str) -> float:
    """Variable O&M of a carrier, EUR/MWh (0 where costs.csv has none)."""
    key = (eco.COST_TECHNOLOGY[carrier], "VOM")
    return inputs.cost(*key) if key in inputs.costs.index else 0.0


def add_batteries(
    n: pypsa.Network, inputs: Inputs, scenario: Scenario, years: float, rate: float
) -> None:
    """Existing batteries and, if expandable, a candidate battery at every domestic node."""
    capital_cost, hours = eco.battery_capital_cost(inputs, rate)
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


def market_steps(inputs: Inputs, scenario: Scenario) -> pd.DataFrame:
    """Market steps with the scenario's prices (first step set, others scaled alike)."""
    steps = inputs.markets.reset_index(drop=True).sort_values(["node", "step"])
    first = steps.groupby("node")["price_eur_per_mwh"].transform("first")
    wanted = steps["node"].map(scenario.export_prices_eur_per_mwh).fillna(first)
    steps["price_eur_per_mwh"] = steps["price_eur_per_mwh"] * wanted / first
    steps.index = steps["node"] + " export " + steps["step"].astype(str)
    return steps


def add_markets(n: pypsa.Network, inputs: Inputs, scenario: Scenario) -> None:
    """Each market step is a buyer of up to ``max_mw`` at its price (revenue = −cost).

    With an export target the prices are set to zero: the target, not the price, drives
    exports, and its dual is the break-even export price."""
    steps = market_steps(inputs, scenario)
    price = 0.0 if scenario.export_target_twh is not None else steps["price_eur_per_mwh"]
    n.add(
        "Generator",
        steps.index,
        bus=steps["node"],
        carrier=EXPORT,
        p_nom=steps["max_mw"],
        p_min_pu=-1.0,
        p_max_pu=0.0,
        marginal_cost=price,
        new=False,
    )


def add_load_shedding(n: pypsa.Network, inputs: Inputs, scenario: Scenario) -> None:
    """Unserved demand at the scenario's value of lost load, if it sets one."""
    if scenario.load_shedding_eur_per_mwh is None:
        return
    nodes = inputs.domestic_nodes
    n.add(
        "Generator",
        nodes + " load-shedding",
        bus=nodes,
        carrier=LOAD_SHEDDING,
        p_nom=1e5,
        marginal_cost=scenario.load_shedding_eur_per_mwh,
        new=False,
    )


def corridor_parts(inputs: Inputs, scenario: Scenario, years: float, rate: float) -> pd.DataFrame:
    """One row per one-way PyPSA link: existing and expansion parts, both directions."""
    links = inputs.links.copy()
    links["efficiency"] = eco.link_efficiency(inputs, links)
    links["capital_cost"] = eco.link_capital_cost(inputs, links, rate) * years
    links["carrier"] = np.where(links["type"].str.startswith("hvdc"), "DC", "AC")
    parts = []
    existing = links[links["p_nom_mw"] > 0]
    expand = links[links["extendable"] & (links["p_nom_max_mw"] > links["p_nom_mw"])]
    if not scenario.expansion:
        expand = expand.iloc[:0]
    for frame, new, reverse in [
        (existing, False, False),
        (existing, False, True),
        (expand, True, False),
        (expand, True, True),
    ]:
        part = pd.DataFrame(
            {
                "corridor": frame.index,
                "new": new,
                "reverse": reverse,
                "bus0": frame["bus1" if reverse else "bus0"].values,
                "bus1": frame["bus0" if reverse else "bus1"].values,
                "efficiency": frame["efficiency"].values,
                "carrier": frame["carrier"].values,
                "p_nom": 0.0 if new else frame["p_nom_mw"].values,
                "p_nom_max": (frame["p_nom_max_mw"] - frame["p_nom_mw"]).values if new else np.inf,
                "capital_cost": frame["capital_cost"].values if new and not reverse else 0.0,
            },
            index=corridor_part_name(frame.index, new, reverse),
        )
        parts.append(part)
    return pd.concat(parts)


def add_links(
    n: pypsa.Network, inputs: Inputs, scenario: Scenario, years: float, rate: float
) -> None:
    """Every corridor as one-way parts (see :func:`corridor_parts`); the rules that tie
    them are in :mod:`energy.model.constraints`."""
    parts = corridor_parts(inputs, scenario, years, rate)
    n.add(
        "Link",
        parts.index,
        bus0=parts["bus0"],
        bus1=parts["bus1"],
        carrier=parts["carrier"],
        efficiency=parts["efficiency"],
        p_nom=parts["p_nom"],
        p_nom_extendable=parts["new"],
        p_nom_max=parts["p_nom_max"],
        capital_cost=parts["capital_cost"],
        p_min_pu=0.0,
        corridor=parts["corridor"],
        reverse=parts["reverse"],
        new=parts["new"],
    )


def add_co2_cap(n: pypsa.Network, scenario: Scenario, years: float) -> None:
    """The scenario's CO2 cap (Mt per year) over the modelled share of the year."""
    if scenario.co2_cap_mt is not None:
        n.add(
            "GlobalConstraint",
            "co2_limit",
            type="primary_energy",
            carrier_attribute="co2_emissions",
            sense="<=",
            constant=scenario.co2_cap_mt * 1e6 * years,
        )


def build_network(inputs: Inputs, scenario: Scenario) -> pypsa.Network:
    """The corridor network at the scenario's window and resolution."""
    hourly = inputs.profiles["load"].index
    window = scenario.window
    sns = window_index(hourly, window.start if window else None, window.end if window else None)
    rate = eco.discount_rate(inputs, scenario.discount_rate)
    n = pypsa.Network(name=scenario.name)
    n.set_snapshots(sns)
    years = modelled_years(n)  # capital costs are charged for the modelled share of a year
    add_buses(n, inputs)
    add_carriers(n, inputs)
    add_loads(n, inputs, scenario.period)
    add_thermal(n, inputs, scenario)
    add_thermal_candidates(n, inputs, scenario, years, rate)
    add_renewables(n, inputs, scenario, years, rate)
    add_batteries(n, inputs, scenario, years, rate)
    add_markets(n, inputs, scenario)
    add_load_shedding(n, inputs, scenario)
    add_links(n, inputs, scenario, years, rate)
    add_co2_cap(n, scenario, years)
    n.meta = {"scenario": scenario.name, "discount_rate": rate, "modelled_years": years}
    return aggregate(n, scenario.resolution)
