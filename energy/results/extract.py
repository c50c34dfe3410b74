"""Extract result tables from a solved network: plain DataFrames and xarray, no PyPSA objects.

Energies are totals over the modelled snapshots (a full year unless the scenario sets a
window), weighted by the hours each snapshot stands for. Money is EUR2025; the capital cost
of new capacity is annualised (and, for a window, charged pro rata).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa
import xarray as xr

from energy.config.scenario import Scenario
from energy.data.inputs import Inputs
from energy.model.markets import step_prices
from energy.model.naming import (
    BOUNDARY,
    NOT_CAPACITY,
    VARIABLE,
    boundary_loads,
    corridor_of,
    demand_loads,
    export_generators,
    import_generators,
    is_forward,
    load_shedding_generators,
)
from energy.results.folder import Results

TWH = 1e-6  # MWh -> TWh
NOISE_MW = 1e-2  # interior-point solutions leave ~1e-6 MW on unused candidates: report 0


def node_carrier(n: pypsa.Network, component: str) -> pd.DataFrame:
    """Node and carrier of every unit of ``component``."""
    static = n.c[component].static
    return pd.DataFrame({"node": static["bus"], "carrier": static["carrier"]})


def hours(n: pypsa.Network) -> pd.Series:
    """Hours each snapshot stands for."""
    return n.snapshot_weightings["generators"]


def weighted_sum(n: pypsa.Network, df: pd.DataFrame) -> pd.Series:
    """Σ_t w_t · x_t per column (MW → MWh)."""
    return df.mul(hours(n), axis=0).sum()


def capacities_table(n: pypsa.Network) -> pd.DataFrame:
    """Existing and optimal capacity by node and carrier (generators and storage), MW.

    The optimum is PyPSA's ``n.statistics.optimal_capacity``; the existing capacity is the
    fixed ``p_nom`` of units that are not candidates."""
    frames = []
    for component in ("Generator", "StorageUnit"):
        static = n.c[component].static
        static = static[~static["carrier"].isin(NOT_CAPACITY)]
        existing = static["p_nom"].where(~static["p_nom_extendable"], 0.0)
        frames.append(node_carrier(n, component).loc[static.index].assign(existing_mw=existing))
    table = pd.concat(frames).groupby(["node", "carrier"], as_index=False).sum()
    optimal = (
        n.statistics.optimal_capacity(
            components=["Generator", "StorageUnit"], groupby=["bus", "carrier"], nice_names=False
        )
        .groupby(level=["bus", "carrier"])
        .sum()
    )
    key = pd.MultiIndex.from_frame(table[["node", "carrier"]])
    table["optimal_mw"] = optimal.reindex(key, fill_value=0.0).to_numpy()
    table["optimal_mw"] = table["optimal_mw"].where(table["optimal_mw"] >= NOISE_MW, 0.0)
    table["added_mw"] = table["optimal_mw"] - table["existing_mw"]
    return table.round(3)


def energy_balance_table(n: pypsa.Network) -> pd.DataFrame:
    """Supply positive, withdrawal negative, TWh; every node's rows sum to zero."""
    gen = weighted_sum(n, n.c.generators.dynamic["p"])
    rows = [node_carrier(n, "Generator").assign(energy_twh=gen * TWH)]
    loads = n.c.loads.static
    load = weighted_sum(n, n.c.loads.dynamic["p_set"])
    carrier = np.where(loads["carrier"] == BOUNDARY, BOUNDARY, "load")
    rows.append(pd.DataFrame({"node": loads["bus"], "carrier": carrier, "energy_twh": -load * TWH}))
    if not n.c.storage_units.static.empty:
        store = weighted_sum(n, n.c.storage_units.dynamic["p"])
        rows.append(node_carrier(n, "StorageUnit").assign(energy_twh=store * TWH))
    links = n.c.links.static
    p0 = weighted_sum(n, n.c.links.dynamic["p0"])
    p1 = weighted_sum(n, n.c.links.dynamic["p1"])
    rows.append(
        pd.DataFrame({"node": links["bus0"], "carrier": "link export", "energy_twh": -p0 * TWH})
    )
    rows.append(
        pd.DataFrame({"node": links["bus1"], "carrier": "link import", "energy_twh": -p1 * TWH})
    )
    table = pd.concat(rows).groupby(["node", "carrier"], as_index=False)["energy_twh"].sum()
    table.loc[table["carrier"] == "export", "carrier"] = "market export"
    table.loc[table["carrier"] == "import", "carrier"] = "market import"
    return table[table["energy_twh"].abs() > 1e-9].reset_index(drop=True)


def existing_link_capacity(static: pd.DataFrame) -> pd.Series:
    """Capacity in place of every link, MW: ``p_nom_min`` of an expandable corridor's links
    (their existing capacity), ``p_nom`` of a fixed one."""
    return static["p_nom_min"].where(static["p_nom_extendable"], static["p_nom"])


def links_table(n: pypsa.Network, inputs: Inputs) -> pd.DataFrame:
    """One row per corridor: capacity read once (forward link), flows of both directions."""
    static = n.c.links.static
    corridor = corridor_of(static)
    forward = is_forward(static)
    p0, p1 = n.c.links.dynamic["p0"], n.c.links.dynamic["p1"]
    price = n.c.buses.dynamic["marginal_price"]
    w = hours(n)
    cap_part = static["p_nom_opt"].where(static["p_nom_opt"] >= NOISE_MW, 0.0)
    rent = price[static["bus1"]].to_numpy() * -p1 - price[static["bus0"]].to_numpy() * p0
    part = pd.DataFrame(
        {
            "corridor": corridor,
            "forward": forward,
            "capacity_mw": cap_part,
            "existing_mw": existing_link_capacity(static),
            "sent_twh": weighted_sum(n, p0) * TWH,
            "losses_twh": weighted_sum(n, p0 + p1) * TWH,
            "rent_eur": weighted_sum(n, rent),
        }
    )
    # a snapshot is congested when either direction runs at its full (existing + new) capacity
    direction = [corridor, forward]
    flow_dir = p0.T.groupby(direction).sum().T
    cap_dir = cap_part.groupby(direction).sum()
    at_limit = flow_dir.ge(cap_dir * (1 - 1e-4) - 1e-3, axis=1) & (cap_dir > 0)
    congested = at_limit.T.groupby(level=0).any().T
    info = inputs.links
    fwd = part[part["forward"]].groupby("corridor")
    bwd = part[~part["forward"]].groupby("corridor")
    table = pd.DataFrame(index=info.index)
    table["from"] = info["bus0"]
    table["to"] = info["bus1"]
    table["type"] = info["type"]
    table["length_km"] = info["length_km"]
    table["existing_mw"] = fwd["existing_mw"].sum().reindex(info.index).fillna(0.0)
    table["optimal_mw"] = fwd["capacity_mw"].sum().reindex(info.index).fillna(0.0)
    table["added_mw"] = table["optimal_mw"] - table["existing_mw"]
    table["flow_forward_twh"] = fwd["sent_twh"].sum().reindex(info.index).fillna(0.0)
    table["flow_backward_twh"] = bwd["sent_twh"].sum().reindex(info.index).fillna(0.0)
    capacity_twh = table["optimal_mw"] * w.sum() * TWH
    table["utilisation"] = (
        (table["flow_forward_twh"] + table["flow_backward_twh"])
        / capacity_twh.where(capacity_twh > 0)
    ).fillna(0.0)
    table["congestion_hours"] = congested.mul(w, axis=0).sum().reindex(info.index).fillna(0.0)
    both = part.groupby("corridor")[["losses_twh", "rent_eur"]].sum().reindex(info.index)
    table["losses_twh"] = both["losses_twh"].fillna(0.0)
    table["congestion_rent_eur"] = both["rent_eur"].fillna(0.0)
    return table.rename_axis("link").reset_index().round(6)


def costs_table(n: pypsa.Network) -> pd.DataFrame:
    """Annualised capex of new capacity and opex by node and carrier (export revenue is a
    negative opex of carrier 'export'). EUR. Capacity in place costs nothing (sunk): capex
    is charged on ``p_nom_opt − p_nom``, which is the expansion of an extendable component
    (its ``p_nom`` is the existing capacity) and 0 for a fixed one."""
    rows = []
    for component in ("Generator", "StorageUnit", "Link"):
        c = n.c[component]
        static = c.static
        if static.empty:
            continue
        capex = static["capital_cost"] * (static["p_nom_opt"] - static["p_nom"])
        power = c.dynamic["p0"] if component == "Link" else c.dynamic["p"]
        opex = (
            weighted_sum(n, power * n.get_switchable_as_dense(component, "marginal_cost"))
            if power.shape[1]
            else pd.Series(0.0, index=static.index)
        )
        node = static["bus0"] if component == "Link" else static["bus"]
        carrier = ("link " + corridor_of(static)) if component == "Link" else static["carrier"]
        rows.append(
            pd.DataFrame(
                {
                    "node": node,
                    "carrier": carrier,
                    "capex_eur": capex,
                    "opex_eur": opex.reindex(static.index).fillna(0.0),
                }
            )
        )
    table = pd.concat(rows).groupby(["node", "carrier"], as_index=False).sum()
    table["total_eur"] = table["capex_eur"] + table["opex_eur"]
    return (
        table[(table[["capex_eur", "opex_eur"]].abs() > 0.5).any(axis=1)]
        .round(2)
        .reset_index(drop=True)
    )


def co2_emissions_t(n: pypsa.Network) -> float:
    """Σ fuel use × CO2 intensity of the fuel, t over the modelled period."""
    gens = n.c.generators.static
    intensity = gens["carrier"].map(n.c.carriers.static["co2_emissions"]).fillna(0.0)
    fuel_use = weighted_sum(n, n.c.generators.dynamic["p"]) / gens["efficiency"]
    return float((fuel_use * intensity).sum())


def curtailment_twh(n: pypsa.Network) -> float:
    """Available minus dispatched variable renewable energy, TWh (≥ 0): PyPSA's
    ``n.statistics.curtailment`` of the variable carriers."""
    by_carrier = n.statistics.curtailment(
        components="Generator", groupby="carrier", nice_names=False
    )
    return float(by_carrier.reindex(list(VARIABLE), fill_value=0.0).sum()) * TWH


def kpi_table(
    n: pypsa.Network, inputs: Inputs, scenario: Scenario, links: pd.DataFrame, balance: pd.DataFrame
) -> pd.DataFrame:
    """``kpi, value, unit``: costs, exports, emissions, shares, cable sizes, prices.

    ``objective`` (and ``system_cost``) count the capital cost of new capacity only, plus
    fuel, O&M, CO2 and imports less export revenue; the annuity of capacity in place of an
    expandable corridor is sunk and reported apart as ``sunk_capital_cost``."""
    gens = n.c.generators.static
    p = n.c.generators.dynamic["p"]
    exports, imports = export_generators(n), import_generators(n)
    export_mwh = -weighted_sum(n, p[exports])
    price = step_prices(inputs, scenario, n.snapshots)  # at market prices, also with a target
    revenue = float(-weighted_sum(n, p[exports] * price[exports]).sum())
    import_cost = float(weighted_sum(n, p[imports] * price[imports]).sum())
    objective = float(n.objective)
    rows = [
        ("objective", objective, "EUR"),
        (
            "system_cost",
            objective + (0.0 if scenario.export_target_twh is not None else revenue),
            "EUR",
        ),
        ("sunk_capital_cost", float(n.objective_constant or 0.0), "EUR"),
        ("export_revenue", revenue, "EUR"),
        ("export_energy", float(export_mwh.sum()) * TWH, "TWh"),
    ]
    green = export_mwh[gens.loc[exports, "bus"].isin(scenario.green_export.markets)]
    rows.append(("green_export_energy", float(green.sum()) * TWH, "TWh"))
    for market, mwh in export_mwh.groupby(gens.loc[exports, "bus"]).sum().items():
        rows.append((f"export_energy_{market}", float(mwh) * TWH, "TWh"))
    if len(imports):
        import_mwh = weighted_sum(n, p[imports])
        rows += [
            ("import_energy", float(import_mwh.sum()) * TWH, "TWh"),
            ("import_cost", import_cost, "EUR"),
        ]
    rows += [
        ("co2_emissions", co2_emissions_t(n) * 1e-6, "Mt"),
        ("curtailment", curtailment_twh(n), "TWh"),
        ("demand", -float(balance.loc[balance["carrier"] == "load", "energy_twh"].sum()), "TWh"),
        ("link_losses", float(links["losses_twh"].sum()), "TWh"),
    ]
    if (fixed := balance["carrier"] == BOUNDARY).any():  # from neighbours outside the model
        rows.append(
            ("boundary_import_energy", float(balance.loc[fixed, "energy_twh"].sum()), "TWh")
        )
    renewable = inputs.carriers.index[inputs.carriers["renewable"]]
    generation = balance[balance["carrier"].isin(inputs.carriers.index)]
    generation = generation.assign(country=generation["node"].map(inputs.nodes["country"]))
    for country, group in generation.groupby("country"):
        total = group["energy_twh"].clip(lower=0).sum()
        res = group.loc[group["carrier"].isin(renewable), "energy_twh"].sum()
        rows.append((f"res_share_{country}", res / total if total else np.nan, "share"))
    candidates = inputs.links.index[inputs.links["extendable"]]
    for link in candidates:
        rows.append(
            (f"capacity_{link}", float(links.set_index("link").at[link, "optimal_mw"]), "MW")
        )
    if scenario.load_shedding_eur_per_mwh is not None:
        shed = load_shedding_generators(n)
        rows.append(("unserved_energy", float(weighted_sum(n, p[shed]).sum()) * TWH, "TWh"))
    if scenario.export_target_twh is not None:
        dual = float(n.model.constraints["export_target"].dual)
        rows.append(("export_break_even_price", dual, "EUR/MWh"))
    prices = n.c.buses.dynamic["marginal_price"]
    mean_price = prices.mul(hours(n), axis=0).sum(min_count=1) / hours(n).sum()  # NaN: no duals
    for node, value in mean_price.items():
        rows.append((f"price_mean_{node}", float(value), "EUR/MWh"))
    rows += [
        ("modelled_hours", float(hours(n).sum()), "h"),
        ("snapshots", float(len(n.snapshots)), "count"),
        ("resolution", float(hours(n).sum()) / len(n.snapshots), "h"),
    ]
    return pd.DataFrame(rows, columns=["kpi", "value", "unit"])


def timeseries_dataset(n: pypsa.Network) -> xr.Dataset:
    """Prices, load, dispatch, link flows and storage per snapshot, with weights (and the
    fixed flows from neighbours outside the model, if any)."""
    loads, p_set = n.c.loads.static, n.get_switchable_as_dense("Load", "p_set")
    demand, boundary = p_set[demand_loads(n)], boundary_loads(n)

    def da(df: pd.DataFrame, dim: str, unit: str) -> xr.DataArray:
        arr = xr.DataArray(
            df.to_numpy(dtype=float),
            dims=("snapshot", dim),
            coords={"snapshot": df.index.to_numpy(), dim: df.columns.to_numpy()},
        )
        arr.attrs["units"] = unit
        return arr

    ds = xr.Dataset(
        {
            "marginal_price": da(n.c.buses.dynamic["marginal_price"], "node", "EUR/MWh"),
            "load": da(demand.T.groupby(loads.loc[demand.columns, "bus"]).sum().T, "node", "MW"),
            "dispatch": da(n.c.generators.dynamic["p"], "generator", "MW"),
            "link_flow": da(n.c.links.dynamic["p0"], "link", "MW"),
            "storage_dispatch": da(n.c.storage_units.dynamic["p"], "storage_unit", "MW"),
            "state_of_charge": da(
                n.c.storage_units.dynamic["state_of_charge"], "storage_unit", "MWh"
            ),
            "weight": xr.DataArray(hours(n).to_numpy(), dims="snapshot", attrs={"units": "h"}),
        }
    )
    if len(boundary):  # MW into the node from a neighbour outside the model
        ds["boundary_flow"] = da(-p_set[boundary], "boundary", "MW")
        ds["boundary_node"] = ("boundary", loads.loc[boundary, "bus"].to_numpy())
        ds["boundary_partner"] = ("boundary", loads.loc[boundary, "partner"].to_numpy())
    ds["generator_node"] = ("generator", n.c.generators.static["bus"].to_numpy())
    ds["generator_carrier"] = ("generator", n.c.generators.static["carrier"].to_numpy())
    links = n.c.links.static
    ds["link_corridor"] = ("link", corridor_of(links).to_numpy(dtype=str))
    ds["link_reverse"] = ("link", (~is_forward(links)).to_numpy(dtype=bool))
    return ds


def extract_pathway(
    n: pypsa.Network, inputs: Inputs, scenario: Scenario, metadata: dict
) -> Results:
    """The tables of every investment period (see :mod:`energy.results.periods`), stacked
    with a leading ``period`` column; the time series gain a ``period`` dimension."""
    from energy.model.pathway import inputs_for_period, scenario_for_period
    from energy.results.periods import period_view

    parts = {}
    for period in n.investment_periods:
        view = period_view(n, int(period))
        parts[int(period)] = extract(
            view,
            inputs_for_period(inputs, int(period)),
            scenario_for_period(scenario, int(period)),
            metadata,
        )
    tables = {
        name: pd.concat(
            [r.tables[name].assign(period=p) for p, r in parts.items()], ignore_index=True
        )
        for name in next(iter(parts.values())).tables
    }
    tables = {k: t[["period", *t.columns.drop("period")]] for k, t in tables.items()}
    identity = ["generator_node", "generator_carrier", "link_corridor", "link_reverse"]
    series = xr.concat(
        [r.series.drop_vars(identity).assign_coords(period=p) for p, r in parts.items()],
        dim="period",
        join="outer",
    )
    # units not in service in a period have no flow; snapshots a period lacks (typical days
    # chosen per period) keep a missing weight
    flows = [v for v in series.data_vars if v not in ("weight", "marginal_price")]
    series = series.fillna({v: 0.0 for v in flows})
    for name in identity:  # the union over the periods, first seen first
        values = pd.concat([r.series[name].to_series() for r in parts.values()])
        values = values[~values.index.duplicated()]
        dim = values.index.name
        series[name] = (dim, values.reindex(series.indexes[dim]).to_numpy())
    return Results(tables=tables, metadata=metadata, series=series)


def extract(n: pypsa.Network, inputs: Inputs, scenario: Scenario, metadata: dict) -> Results:
    """All result tables of a solved network (per period for a pathway)."""
    if isinstance(n.snapshots, pd.MultiIndex):
        return extract_pathway(n, inputs, scenario, metadata)
    balance = energy_balance_table(n)
    links = links_table(n, inputs)
    tables = {
        "kpis": kpi_table(n, inputs, scenario, links, balance),
        "capacities": capacities_table(n),
        "energy_balance": balance,
        "links": links,
        "costs": costs_table(n),
    }
    if metadata.get("mip_gap") is not None:  # a MILP (modular links): gap, bound, proven?
        solve_rows = pd.DataFrame(
            [
                ("mip_gap", float(metadata["mip_gap"]), "share"),
                ("mip_bound", float(metadata["mip_bound_eur"]), "EUR"),
                ("proven_optimal", float(bool(metadata.get("optimal", True))), "flag"),
            ],
            columns=["kpi", "value", "unit"],
        )
        tables["kpis"] = pd.concat([tables["kpis"], solve_rows], ignore_index=True)
    return Results(tables=tables, metadata=metadata, series=timeseries_dataset(n))
