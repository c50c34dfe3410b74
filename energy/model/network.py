"""Build the corridor as a ``pypsa.Network`` from validated inputs and a scenario.

One small ``add_*`` per component family: buses, carriers, loads and the slack here; supply in
:mod:`.supply`, markets in :mod:`.markets`, corridors in :mod:`.corridors`. Identity (new or
existing capacity; a link's corridor and direction) is stored in custom columns, see
:mod:`energy.model.naming`:

- ``{node} {carrier}``: existing (fixed) capacity; ``{node} {carrier} new``: expansion;
- ``{node} export {step}`` / ``{node} import {step}``: a market's price steps;
- ``{node} boundary {partner}``: a fixed flow from a neighbour the model leaves out;
- ``{link}``, ``{link} reverse``: a two-way corridor as two lossy one-way links, existing
  capacity as their ``p_nom_min`` and, if expandable, the two capacities tied.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pypsa

from energy.config.scenario import Scenario
from energy.data.inputs import Inputs
from energy.data.months import range_factors
from energy.model import economics as eco
from energy.model.corridors import add_links, export_seasons
from energy.model.markets import add_markets
from energy.model.naming import BOUNDARY, EXPORT, IMPORT, LOAD_SHEDDING
from energy.model.stages import apply_modules
from energy.model.supply import (
    add_batteries,
    add_renewables,
    add_thermal,
    add_thermal_candidates,
)
from energy.model.timeseries import aggregate, modelled_years, window_index

pypsa.options.general.allow_network_requests = False
pypsa.options.api.legacy_string_dtype = True
logger = logging.getLogger(__name__)


def add_buses(n: pypsa.Network, inputs: Inputs, scenario: Scenario) -> None:
    """One AC bus per node, located in its country, with its export season (months,
    NaN = none; see :func:`energy.model.constraints.define_export_seasons`)."""
    nodes = inputs.nodes
    season = export_seasons(inputs, scenario).reindex(nodes.index)
    n.add("Carrier", ["AC", "DC"])
    n.add(
        "Bus",
        nodes.index,
        x=nodes["lon"],
        y=nodes["lat"],
        carrier="AC",
        location=nodes["country"],
        export_first_month=season["first_month"],
        export_last_month=season["last_month"],
    )


def add_carriers(n: pypsa.Network, inputs: Inputs) -> None:
    """Carriers with their CO2 intensity (t/MWh_th of the fuel), colours and names."""
    carriers = inputs.carriers
    co2 = (
        carriers["fuel"]
        .map(
            inputs.fuels.xs("*", level="country").groupby(level="fuel")["co2_t_per_mwh_th"].first()
        )
        .fillna(0.0)
    )
    n.add(
        "Carrier",
        carriers.index,
        co2_emissions=co2,
        color=carriers["color"],
        nice_name=carriers["nice_name"],
        kind=carriers["kind"],
    )
    n.add(
        "Carrier",
        [EXPORT, IMPORT, LOAD_SHEDDING, BOUNDARY],
        color=["#6a3d9a", "#b15928", "#000000", "#8c6d31"],
    )


def load_shape(inputs: Inputs, period: str, annual_twh: pd.Series) -> pd.DataFrame:
    """The hourly load profile (its whole year) of each node of ``annual_twh``, rescaled month
    range by month range so that the ranges of demand_months.csv hold their published energy
    and the other months the rest of the annual demand."""
    shape = inputs.profiles["load"].reindex(columns=annual_twh.index).fillna(0.0)
    if inputs.demand_months is None or inputs.demand_months.empty:
        return shape
    table = inputs.demand_months.reset_index(drop=True)
    rows = table[(table["period"] == period) & table["node"].isin(annual_twh.index)]
    month = shape.index.month.to_numpy()
    for node, ranges in rows.groupby("node"):
        mwh = shape[node].to_numpy() * annual_twh[node] * 1e6 / 8760.0
        rest = (annual_twh[node] - ranges["demand_twh"].sum()) * 1e6
        shape[node] = shape[node].to_numpy() * range_factors(mwh, month, ranges, "demand_twh", rest)
    return shape


def add_loads(n: pypsa.Network, inputs: Inputs, period: str) -> None:
    """Demand of each domestic node: the annual energy spread over the load shape (held to
    the published months of demand_months.csv where it has rows)."""
    demand = inputs.demand[inputs.demand["period"] == period].set_index("node")
    demand = demand[demand.index.isin(inputs.domestic_nodes)]
    shape = load_shape(inputs, period, demand["demand_twh"]).loc[n.snapshots]
    p_set = shape * (demand["demand_twh"] * 1e6 / 8760.0)
    n.add("Load", demand.index, suffix=" load", bus=demand.index, p_set=p_set)


def boundary_flows(inputs: Inputs, period: str, hours: pd.DatetimeIndex) -> pd.DataFrame:
    """MW that each node takes from each outside partner (columns: node, partner) in every
    hour of ``hours``: a boundary_flows.csv row's energy spread evenly over its months."""
    table = inputs.boundary_flows
    if table is None:
        return pd.DataFrame(index=hours)
    rows = table.reset_index(drop=True)
    rows = rows[rows["period"] == period]
    month = hours.month.to_numpy()
    mw = {}
    for r in rows.itertuples():
        inside = (month >= r.first_month) & (month <= r.last_month)
        flat = np.where(inside, r.import_twh * 1e6 / max(int(inside.sum()), 1), 0.0)
        key = (r.node, r.partner)
        mw[key] = mw.get(key, 0.0) + flat
    return pd.DataFrame(mw, index=hours)


def add_boundary_flows(n: pypsa.Network, inputs: Inputs, period: str) -> None:
    """The period's flows from neighbours the model leaves out (boundary_flows.csv), as
    Loads of carrier ``boundary`` with negative ``p_set``: fixed supply at their bus."""
    mw = boundary_flows(inputs, period, inputs.profiles["load"].index).loc[n.snapshots]
    if mw.columns.empty:
        return
    nodes, partners = mw.columns.get_level_values(0), mw.columns.get_level_values(1)
    names = nodes + " boundary " + partners
    n.add(
        "Load",
        names,
        bus=nodes,
        carrier=BOUNDARY,
        partner=partners,
        p_set=-mw.set_axis(names, axis=1),
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
    """The corridor network at the scenario's window and resolution (a multi-period
    pathway, see :mod:`energy.model.pathway`, if the scenario lists ``periods``)."""
    if scenario.periods:
        from energy.model.pathway import build_pathway_network

        return build_pathway_network(inputs, scenario)
    hourly = inputs.profiles["load"].index
    window = scenario.window
    sns = window_index(hourly, window.start if window else None, window.end if window else None)
    rates = eco.discount_rates(inputs, scenario.discount_rate, scenario.discount_rates)
    n = pypsa.Network(name=scenario.name)
    n.set_snapshots(sns)
    years = modelled_years(n)  # capital costs are charged for the modelled share of a year
    add_buses(n, inputs, scenario)
    add_carriers(n, inputs)
    add_loads(n, inputs, scenario.period)
    add_boundary_flows(n, inputs, scenario.period)
    add_thermal(n, inputs, scenario)
    add_thermal_candidates(n, inputs, scenario, years, rates)
    add_renewables(n, inputs, scenario, years, rates)
    add_batteries(n, inputs, scenario, years, rates)
    add_markets(n, inputs, scenario)
    add_load_shedding(n, inputs, scenario)
    add_links(n, inputs, scenario, years, rates["interconnector"])
    apply_modules(n, inputs, scenario)
    add_co2_cap(n, scenario, years)
    n.meta = {"scenario": scenario.name, "discount_rates": rates, "modelled_years": years}
    return aggregate(n, scenario.resolution)
