"""Corridor rules added to the linopy model, one ``define_*`` function per rule.

Each rule reads component identity from the custom columns of :mod:`energy.model.naming`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pypsa
import xarray as xr

from energy.config.scenario import Scenario
from energy.model.naming import corridor_of, export_generators, green_pool, is_forward, is_new
from energy.model.timeseries import modelled_years


def define_tied_corridors(n: pypsa.Network) -> None:
    """Both directions of an expanded corridor have one capacity: p_nom(rev) = p_nom(fwd)."""
    links = n.c.links.static
    new = links[links["p_nom_extendable"] & is_new(links)]
    forward, backward = new[is_forward(new)], new[~is_forward(new)]
    if forward.empty:
        return
    reverse = pd.Series(backward.index, index=corridor_of(backward)).loc[corridor_of(forward)]
    p_nom = n.model["Link-p_nom"]
    lhs = p_nom.sel(name=forward.index.tolist()) - p_nom.sel(name=reverse.tolist()).assign_coords(
        name=forward.index.tolist()
    )
    n.model.add_constraints(lhs == 0, name="Link-corridor_tie")


def define_shared_corridor_capacity(n: pypsa.Network) -> None:
    """Both directions of a corridor share one capacity: forward + backward flow ≤ capacity.

    Each one-way part is already bounded by its own capacity; this rule stops power from
    circulating both ways at once, which no line does and which would otherwise let green
    certificates travel against the physical flow."""
    links = n.c.links.static
    if links.empty:
        return
    corridor = corridor_of(links)
    flows = (
        n.model["Link-p"]
        .groupby(
            xr.DataArray(
                corridor.values, coords={"name": links.index.values}, dims="name", name="corridor"
            )
        )
        .sum()
    )
    existing = (
        links["p_nom"].where(~links["p_nom_extendable"], 0.0).groupby(corridor).sum() / 2.0
    ).reindex(flows.indexes["corridor"])  # both directions were summed
    new = links.index[links["p_nom_extendable"] & is_forward(links)]
    lhs = flows
    if len(new):
        p_nom = (
            (1.0 * n.model["Link-p_nom"].sel(name=new.tolist()))
            .rename({"name": "corridor"})
            .assign_coords(corridor=corridor[new].values)
        )
        lhs = flows - p_nom.reindex(corridor=flows.indexes["corridor"]).fillna(0)
    rhs = xr.DataArray(existing.values, coords={"corridor": existing.index.values}, dims="corridor")
    n.model.add_constraints(lhs <= rhs, name="Link-corridor_shared_capacity")


def exported_power(n: pypsa.Network) -> Any:
    """Linear expression of the power bought by all markets in each snapshot (MW, ≥ 0)."""
    p = n.model["Generator-p"].sel(name=export_generators(n).tolist())
    return -p.sum("name")


def by_bus(expr: Any, buses: pd.Series, all_buses: pd.Index) -> Any:
    """Sum a (snapshot, name) expression per bus; buses without terms get an empty sum."""
    grouped = expr.groupby(
        xr.DataArray(buses.values, coords={"name": buses.index.values}, dims="name", name="bus")
    ).sum()
    return grouped.reindex(bus=all_buses.values).fillna(0)


def define_green_export(n: pypsa.Network, scenario: Scenario) -> None:
    """Green exports along a contract path (CBAM reading of corridor power).

    Every hour, the power a market buys must be traceable to eligible renewable generation
    (``green_pool``) over links that carry at least that much power in that direction:
    a "green" flow ``g`` on every one-way link with ``0 ≤ g ≤ p`` and, at every bus,

        eligible generation + Σ η·g_in − Σ g_out − exports ≥ 0.

    Green energy not exported is used locally (the slack). Without a physical path, a
    renewable plant cannot back an export, so coal or gas power cannot be sold as green.
    """
    rule = scenario.green_export
    if not rule.enabled or export_generators(n, rule.markets).empty:
        return
    m = n.model
    buses = n.c.buses.static.index
    links = n.c.links.static
    p_link = m["Link-p"]
    green = m.add_variables(
        lower=0, coords=[p_link.indexes["snapshot"], links.index], name="green_flow"
    )
    m.add_constraints(green - p_link <= 0, name="green_flow_within_flow")
    efficiency = xr.DataArray(
        links["efficiency"].values, coords={"name": links.index.values}, dims="name"
    )
    gens = n.c.generators.static
    exports = export_generators(n, rule.markets)
    pool = green_pool(n, rule.countries, rule.pool)
    p_gen = m["Generator-p"]
    balance = (
        by_bus(green * efficiency, links["bus1"], buses)
        - by_bus(green, links["bus0"], buses)
        + by_bus(p_gen.sel(name=exports.tolist()), gens.loc[exports, "bus"], buses)
    )
    if not pool.empty:
        balance = balance + by_bus(p_gen.sel(name=pool.tolist()), gens.loc[pool, "bus"], buses)
    m.add_constraints(balance >= 0, name="green_export_matching")


def define_export_target(
    n: pypsa.Network, scenario: Scenario, shortfall_penalty: float | None = None
) -> None:
    """Annual exports (weighted) equal the target, scaled to the modelled share of the year.

    With ``shortfall_penalty`` (EUR/MWh, diagnosis only) the target may be missed at that
    price; the variable ``export_shortfall`` says by how much."""
    if scenario.export_target_twh is None:
        return
    weights = n.snapshot_weightings["generators"]
    years = modelled_years(n)
    target_mwh = scenario.export_target_twh * 1e6 * years
    delivered = (exported_power(n) * weights.rename_axis("snapshot")).sum("snapshot")
    if shortfall_penalty is not None:
        shortfall = n.model.add_variables(lower=0, name="export_shortfall")
        n.model.objective += shortfall_penalty * shortfall
        delivered = delivered + shortfall
    n.model.add_constraints(delivered == target_mwh, name="export_target")


def add_corridor_constraints(
    n: pypsa.Network, scenario: Scenario, export_shortfall_penalty: float | None = None
) -> None:
    """Every corridor rule, in order, on the model of ``n`` (after ``create_model``)."""
    define_tied_corridors(n)
    define_shared_corridor_capacity(n)
    define_green_export(n, scenario)
    define_export_target(n, scenario, export_shortfall_penalty)
