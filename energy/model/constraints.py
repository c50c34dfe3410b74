"""Corridor rules added to the linopy model, one ``define_*`` function per rule.

Each rule reads component identity from the custom columns of :mod:`energy.model.naming`.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pandas as pd
import pypsa
import xarray as xr

from energy.config.scenario import Scenario
from energy.model.naming import (
    corridor_of,
    export_generators,
    forward_links,
    green_pool,
    is_forward,
    opposite_links,
)
from energy.model.timeseries import modelled_years


def define_tied_corridors(n: pypsa.Network) -> None:
    """Both directions of an expanded corridor have one capacity: p_nom(rev) = p_nom(fwd)."""
    links = n.c.links.static
    extendable = links[links["p_nom_extendable"]]
    backward = extendable[~is_forward(extendable)]
    if backward.empty:
        return
    forward = forward_links(links).loc[corridor_of(backward)]
    p_nom = n.model["Link-p_nom"]
    lhs = p_nom.sel(name=forward.tolist()) - p_nom.sel(name=backward.index.tolist()).assign_coords(
        name=forward.tolist()
    )
    n.model.add_constraints(lhs == 0, name="Link-corridor_tie")


def define_shared_corridor_capacity(n: pypsa.Network) -> None:
    """Both directions of a corridor share one capacity: forward + backward flow ≤ capacity
    (the forward link's ``p_nom``, a variable if the corridor may be expanded).

    This rule stops power from circulating both ways at once, which no line does and which
    would otherwise let green certificates travel against the physical flow. With flows ≥ 0
    it also bounds each direction by the capacity, so PyPSA's own upper-bound rows of the
    extendable links (``Link-ext-p-upper``) are redundant and removed."""
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
    forward = links.loc[forward_links(links).reindex(flows.indexes["corridor"]).to_numpy()]
    fixed = forward["p_nom"].where(~forward["p_nom_extendable"], 0.0)
    lhs = flows
    extendable = forward.index[forward["p_nom_extendable"]]
    if len(extendable):
        p_nom = (
            (1.0 * n.model["Link-p_nom"].sel(name=extendable.tolist()))
            .rename({"name": "corridor"})
            .assign_coords(corridor=corridor[extendable].values)
        )
        lhs = flows - p_nom.reindex(corridor=flows.indexes["corridor"]).fillna(0)
    rhs = xr.DataArray(
        fixed.to_numpy(), coords={"corridor": corridor[forward.index].to_numpy()}, dims="corridor"
    )
    n.model.add_constraints(lhs <= rhs, name="Link-corridor_shared_capacity")
    drop_implied_link_bounds(n)


def drop_implied_link_bounds(n: pypsa.Network) -> None:
    """Remove ``Link-ext-p-upper`` (p ≤ p_nom per extendable link and snapshot) when every
    extendable link belongs to a corridor with a shared-capacity row, has ``p_max_pu`` 1 and
    its corridor's two capacities are tied: p_fwd + p_rev ≤ p_nom, p ≥ 0 imply it."""
    name = "Link-ext-p-upper"
    links = n.c.links.static
    extendable = links[links["p_nom_extendable"]]
    if name not in n.model.constraints or extendable.empty:
        return
    dynamic_max = n.c.links.dynamic.get("p_max_pu", pd.DataFrame())
    plain = (
        extendable["corridor"].notna().all()
        and (extendable["p_max_pu"] == 1.0).all()
        and dynamic_max.columns.intersection(extendable.index).empty
    )
    if plain:
        n.model.remove_constraints(name)


def useful_green_links(n: pypsa.Network, sources: pd.Index, markets: pd.Index) -> pd.Index:
    """Links that lie on a simple path from a bus with eligible generation (``sources``) to a
    bus of a green market (``markets``), in their direction of flow.

    Only these links need a green flow: green flow around a cycle only loses energy (it can
    be cancelled, every bus on the cycle keeps its balance), and a flow that ends where no
    market buys is used locally (the slack); what remains decomposes into simple paths from
    sources to markets. A link pointing away from every market, or into a dead end (RU), or
    back towards the source side (GE → AZ), lies on no such path."""
    links = n.c.links.static
    graph = nx.DiGraph()
    graph.add_nodes_from(n.c.buses.static.index)
    graph.add_edges_from(zip(links["bus0"], links["bus1"]))
    targets = set(markets)
    edges: set[tuple[str, str]] = set()
    for source in set(sources):
        for path in nx.all_simple_paths(graph, source, targets - {source}):
            edges.update(zip(path[:-1], path[1:]))
    used = pd.Series(list(zip(links["bus0"], links["bus1"])), index=links.index).isin(edges)
    return links.index[used.to_numpy()]


def may_flow(m: Any, names: pd.Index) -> pd.Index:
    """The links of ``names`` whose flow is not fixed at 0 in every snapshot (a pathway's
    later link copies, whose corridor flow the earliest copy carries)."""
    p = m["Link-p"]
    upper = p.upper.sel(name=names.tolist())
    lower = p.lower.sel(name=names.tolist())
    live = ((upper != 0) | (lower != 0)) & (p.labels.sel(name=names.tolist()) >= 0)
    return names[live.any("snapshot").to_numpy()]


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
    a "green" flow ``g`` with ``0 ≤ g ≤ p`` on every link that can carry green power towards
    a market (:func:`useful_green_links`) and, at every bus that has such a link or a green
    market,

        eligible generation + Σ η·g_in − Σ g_out − exports ≥ 0.

    Green energy not exported is used locally (the slack). Without a physical path, a
    renewable plant cannot back an export, so coal or gas power cannot be sold as green.
    """
    rule = scenario.green_export
    exports = export_generators(n, rule.markets) if rule.enabled else pd.Index([])
    if exports.empty:
        return
    m = n.model
    gens = n.c.generators.static
    pool = green_pool(n, rule.countries, rule.pool)
    markets = pd.Index(gens.loc[exports, "bus"].unique())
    links = n.c.links.static.loc[may_flow(m, useful_green_links(n, gens.loc[pool, "bus"], markets))]
    all_buses = n.c.buses.static.index
    buses = all_buses[all_buses.isin(markets.union(links["bus0"]).union(links["bus1"]))]
    p_gen = m["Generator-p"]
    balance = by_bus(p_gen.sel(name=exports.tolist()), gens.loc[exports, "bus"], buses)
    if not links.empty:
        p_link = m["Link-p"].sel(name=links.index.tolist())
        green = m.add_variables(
            lower=0,
            coords=[m["Link-p"].indexes["snapshot"], links.index],
            name="green_flow",
            mask=p_link.labels >= 0,  # a pathway's link copy out of service has no flow
        )
        m.add_constraints(green - p_link <= 0, name="green_flow_within_flow")
        efficiency = xr.DataArray(
            links["efficiency"].values, coords={"name": links.index.values}, dims="name"
        )
        balance = (
            balance
            + by_bus(green * efficiency, links["bus1"], buses)
            - by_bus(green, links["bus0"], buses)
        )
    pool = pool[gens.loc[pool, "bus"].isin(buses)]
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


def define_trade_schedules(n: pypsa.Network) -> None:
    """Each scheduled link sends at most ``schedule_max_twh`` a year, and at least
    ``schedule_min_twh`` net of the flow back (so that no schedule is met by power sent out
    and straight back); both pro rata to the modelled share of the year, weighted flows at
    the sending end."""
    links = n.c.links.static
    if "schedule_min_twh" not in links:
        return
    weights = n.snapshot_weightings["generators"].rename_axis("snapshot")
    years = modelled_years(n)

    def sent(names: pd.Index) -> Any:
        flow = n.model["Link-p"].sel(name=names.tolist()) * weights
        return flow.sum("snapshot").assign_coords(name=names.values)

    def annual(bound: pd.Series) -> xr.DataArray:
        return xr.DataArray(bound.to_numpy() * 1e6 * years, coords={"name": bound.index.values})

    most = links["schedule_max_twh"].dropna()
    if not most.empty:
        n.model.add_constraints(sent(most.index) <= annual(most), name="Link-schedule_max")
    least = links["schedule_min_twh"].dropna()
    if not least.empty:
        back = opposite_links(links.loc[least.index])
        net = sent(least.index) - sent(back).assign_coords(name=least.index.values)
        n.model.add_constraints(net >= annual(least), name="Link-schedule_min")


def define_export_seasons(n: pypsa.Network) -> None:
    """A bus with an export season (``export_first_month`` … ``export_last_month``) sends no
    net exports in the snapshots of other months: what its links take from it is at most what
    they deliver to it (after losses), so transit through it stays free."""
    buses = n.c.buses.static
    if "export_first_month" not in buses:
        return
    season = buses[["export_first_month", "export_last_month"]].dropna()
    if season.empty:
        return
    links = n.c.links.static
    bus = pd.Index(season.index, name="bus")
    sends = pd.DataFrame({b: links["bus0"] == b for b in bus}, dtype=float)
    takes = pd.DataFrame({b: links["bus1"] == b for b in bus}, dtype=float)
    net = sends.sub(takes.mul(links["efficiency"], axis=0))
    net = net[(net != 0).any(axis=1)]
    coef = xr.DataArray(net.to_numpy(), coords={"name": net.index.values, "bus": bus.values})
    flow = n.model["Link-p"].sel(name=net.index.tolist())
    exported = (flow * coef).sum("name")
    month = xr.DataArray(n.snapshots.month, coords={"snapshot": n.snapshots})
    first = xr.DataArray(season["export_first_month"].to_numpy(), coords={"bus": bus.values})
    last = xr.DataArray(season["export_last_month"].to_numpy(), coords={"bus": bus.values})
    outside = (month < first) | (month > last)
    n.model.add_constraints(exported <= 0, name="Bus-export_season", mask=outside)


def define_thermal_residual(n: pypsa.Network) -> None:
    """A bus with an export season exports only its surplus: in every snapshot its existing
    thermal units serve at most its residual load, the load less what its existing hydro,
    wind and solar could give and less its fixed flows from outside the model (boundary
    Loads, negative) (``Bus-thermal_residual``). Where they could cover the load the thermal
    units stand down; where not, they fill the gap and no more."""
    buses = n.c.buses.static
    if "export_first_month" not in buses:
        return
    season = buses.index[buses["export_first_month"].notna()]
    carriers = n.c.carriers.static
    if "kind" not in carriers:
        return
    gens = n.c.generators.static
    kind = gens["carrier"].map(carriers["kind"])
    here = gens["bus"].isin(season) & ~gens["p_nom_extendable"]
    thermal = gens.index[here & (kind == "thermal")]
    if thermal.empty:
        return
    renewable = gens.index[here & kind.isin(["hydro", "variable"])]
    sns = n.snapshots
    could = (
        n.get_switchable_as_dense("Generator", "p_max_pu", sns)[renewable]
        * gens.loc[renewable, "p_nom"]
    )
    could = could.T.groupby(gens.loc[renewable, "bus"]).sum().T
    loads = n.c.loads.static
    load = n.get_switchable_as_dense("Load", "p_set", sns).T.groupby(loads["bus"]).sum().T
    bus = pd.Index(sorted(set(gens.loc[thermal, "bus"])), name="bus")
    residual = load.reindex(columns=bus, fill_value=0.0) - could.reindex(
        columns=bus, fill_value=0.0
    )
    at = pd.DataFrame({b: gens.loc[thermal, "bus"] == b for b in bus}, dtype=float)
    coef = xr.DataArray(at.to_numpy(), coords={"name": thermal.values, "bus": bus.values})
    served = (n.model["Generator-p"].sel(name=thermal.tolist()) * coef).sum("name")
    bound = xr.DataArray(
        residual.clip(lower=0.0).to_numpy(), coords={"snapshot": sns, "bus": bus.values}
    )
    n.model.add_constraints(served <= bound, name="Bus-thermal_residual")


def add_corridor_constraints(
    n: pypsa.Network, scenario: Scenario, export_shortfall_penalty: float | None = None
) -> None:
    """Every corridor rule, in order, on the model of ``n`` (after ``create_model``)."""
    define_tied_corridors(n)
    define_shared_corridor_capacity(n)
    define_green_export(n, scenario)
    define_export_target(n, scenario, export_shortfall_penalty)
    define_trade_schedules(n)
    define_export_seasons(n)
    define_thermal_residual(n)
