"""A base year's published months in the cross-check LP, read afresh from the inputs: demand
held to demand_months.csv, hydro to hydro_months.csv, and the fixed flows of
boundary_flows.csv (see :mod:`.data`)."""

from __future__ import annotations

import pandas as pd

from energy.data.inputs import Inputs

MIN_CF = 0.01  # capacity factors below this are read as 0 (as documented for the model)


def month_factors(inputs: Inputs, period: str, demand: pd.Series) -> pd.DataFrame:
    """Month × node factor on the load profile: a month range of demand_months.csv gets the
    published energy over what the profile puts there; the months left share the rest of the
    annual demand; 1 where a node has no rows."""
    full = inputs.profiles["load"].reindex(columns=demand.index).fillna(0.0)
    monthly = full.groupby(full.index.month).sum() * demand * 1e6 / 8760.0  # MWh
    factors = pd.DataFrame(1.0, index=range(1, 13), columns=demand.index)
    if inputs.demand_months is None:
        return factors
    table = inputs.demand_months.reset_index(drop=True)
    rows = table[(table["period"] == period) & table["node"].isin(demand.index)]
    for node, ranges in rows.groupby("node"):
        left = set(range(1, 13))
        for first, last, twh in ranges[["first_month", "last_month", "demand_twh"]].to_numpy():
            months = list(range(int(first), int(last) + 1))
            factors.loc[months, node] = twh * 1e6 / monthly.loc[months, node].sum()
            left -= set(months)
        if left:
            rest = (demand[node] - ranges["demand_twh"].sum()) * 1e6
            factors.loc[sorted(left), node] = rest / monthly.loc[sorted(left), node].sum()
    return factors


def hydro_factors(inputs: Inputs, period: str, mw: pd.Series) -> pd.DataFrame:
    """Month × node factor on the hydro profile: a month range of hydro_months.csv gets its
    published output over what the profile gives there at the node's existing ``mw``; 1 in
    the months without a row."""
    full = inputs.profiles["hydro"].reindex(columns=mw.index).fillna(0.0)
    full = full.where(full >= MIN_CF, 0.0)
    monthly = full.groupby(full.index.month).sum() * mw  # MWh
    factors = pd.DataFrame(1.0, index=range(1, 13), columns=mw.index)
    if inputs.hydro_months is None:
        return factors
    table = inputs.hydro_months.reset_index(drop=True)
    rows = table.loc[(table["period"] == period) & table["node"].isin(mw.index)]
    for node, first, last, twh in rows[
        ["node", "first_month", "last_month", "hydro_twh"]
    ].to_numpy():
        months = list(range(int(first), int(last) + 1))
        given = monthly.loc[months, node].sum()
        if given > 0:
            factors.loc[months, node] = twh * 1e6 / given
    return factors


def fixed_inflow(
    inputs: Inputs, period: str, hourly: pd.DatetimeIndex, nodes: pd.Index
) -> pd.DataFrame:
    """Hour × node MW taken from neighbours outside the model: each boundary_flows.csv row of
    ``period`` spreads its energy evenly over the hours of its months in the profile year."""
    year = inputs.profiles["load"].index
    hours_in = pd.Series(year.month).value_counts().reindex(range(1, 13), fill_value=0)
    flow = pd.DataFrame(0.0, index=hourly, columns=nodes)
    if inputs.boundary_flows is None:
        return flow
    table = inputs.boundary_flows.reset_index(drop=True)
    for node, first, last, twh in table.loc[
        (table["period"] == period) & table["node"].isin(nodes),
        ["node", "first_month", "last_month", "import_twh"],
    ].to_numpy():
        months = range(int(first), int(last) + 1)
        inside = hourly.month.isin(months)
        flow.loc[inside, node] += twh * 1e6 / hours_in.loc[list(months)].sum()
    return flow
