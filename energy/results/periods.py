"""Results of a multi-period pathway: one single-year view of the solved network per
investment period, extracted with the single-year tables and stacked with a ``period`` column.

A period's view holds the units in service in that period under their candidate names
(``KZ-W onwind new``, ``trans-caspian new``): the capacity of all copies built so far is
summed, existing units carry that period's fleet capacity, and the capital cost is the
capacity-weighted cost of the copies (each at the cost of its build year). Energies, costs
and KPIs are per modelled year of the period (undiscounted); the discounted total of the
pathway is the objective in ``metadata.json`` (``objective_eur``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa

OUTPUTS = {
    "Generator": ("p", "marginal_cost", "p_max_pu"),
    "StorageUnit": ("p", "p_dispatch", "p_store", "state_of_charge", "marginal_cost"),
    "Link": ("p0", "p1", "p_max_pu"),
    "Load": ("p_set",),
}


def period_snapshots(n: pypsa.Network, period: int) -> pd.MultiIndex:
    """The snapshots of one investment period."""
    return n.snapshots[n.snapshots.get_level_values("period") == period]


def view_component(
    view: pypsa.Network, n: pypsa.Network, component: str, period: int, sns: pd.MultiIndex
) -> None:
    """Add ``component`` of ``n`` as in service in ``period`` to the single-year ``view``."""
    static = n.c[component].static
    if static.empty:  # keep the identity columns (corridor, reverse, new) of an empty table
        target = view.c[component].static
        for column in static.columns.difference(target.columns):
            target[column] = pd.Series(dtype=static[column].dtype)
        return
    if component == "Load":
        live = static.index
        source = pd.Series(live, index=live)
    else:
        live = static.index[n.components[component].get_active_assets(period)]
        source = pd.Series(n.meta["units"][component]).reindex(live)
    rows = static.loc[live].copy()
    rows["source"] = source.to_numpy()
    if component != "Load":
        existing = pd.Series(n.meta["period_p_nom"][component][str(period)], dtype=float)
        fixed = ~rows["p_nom_extendable"]
        rows.loc[fixed, "p_nom"] = rows.loc[fixed, "source"].map(existing).fillna(0.0)
        rows.loc[fixed, "p_nom_opt"] = rows.loc[fixed, "p_nom"]
        # the stacked network carries a fixed unit's period capacity in p_max_pu
        unscale = (static.loc[live, "p_nom"] / rows["p_nom"].where(rows["p_nom"] > 0)).where(
            fixed, 1.0
        )
        rows["cost_mw"] = rows["capital_cost"] * rows["p_nom_opt"]
    first = rows.groupby("source", sort=False).first()
    if component != "Load":
        total = rows.groupby("source", sort=False)[["p_nom_opt", "cost_mw"]].sum()
        first["p_nom_opt"] = total["p_nom_opt"]
        first["capital_cost"] = (
            total["cost_mw"] / total["p_nom_opt"].where(lambda s: s > 0)
        ).fillna(first["capital_cost"])
        first = first.drop(columns=["cost_mw", "build_year", "lifetime"], errors="ignore")
    keep = [c for c in first.columns if c not in ("sub_network",)]
    series = {}
    for attr in OUTPUTS[component]:
        if attr in ("marginal_cost", "p_max_pu", "p_set"):
            values = n.get_switchable_as_dense(component, attr).loc[sns, live]
            if attr == "p_max_pu":
                values = values * unscale.fillna(0.0)
            values = values.T.groupby(rows["source"].to_numpy(), sort=False).first().T
        else:
            values = n.c[component].dynamic[attr].reindex(columns=live, fill_value=0.0).loc[sns]
            values = values.T.groupby(rows["source"].to_numpy(), sort=False).sum().T
        values.index = view.snapshots
        series[attr] = values.reindex(columns=first.index)
    inputs = {c: first[c] for c in keep if c not in ("p_nom_opt",)}
    view.add(component, first.index, **inputs)
    view.c[component].static["p_nom_opt"] = first["p_nom_opt"] if "p_nom_opt" in first else 0.0
    for attr, values in series.items():
        view.c[component].dynamic[attr] = values


def period_view(n: pypsa.Network, period: int) -> pypsa.Network:
    """The solved pathway ``n`` seen as the single-year network of ``period``."""
    sns = period_snapshots(n, period)
    view = pypsa.Network(name=f"{n.name} {period}")
    view.set_snapshots(pd.DatetimeIndex(sns.get_level_values("timestep"), name="snapshot"))
    view.snapshot_weightings = n.snapshot_weightings.loc[sns].set_axis(view.snapshots)
    for component in ("Carrier", "Bus"):
        static = n.c[component].static
        view.add(component, static.index, **{c: static[c] for c in static.columns})
    weight = float(n.investment_period_weightings.at[period, "objective"])
    prices = n.c.buses.dynamic["marginal_price"].loc[sns] / weight
    prices.index = view.snapshots
    view.c.buses.dynamic["marginal_price"] = prices
    for component in OUTPUTS:
        view_component(view, n, component, period, sns)
    view.meta = dict(n.meta)
    view._objective = float(
        np.nansum(view.statistics.capex().to_numpy()) + np.nansum(view.statistics.opex().to_numpy())
    )
    return view
