"""Data summaries of a results folder that plots, the report and notebooks share: node
coordinates, link ends, corridor flows, a node's dispatch, duration curves, export totals.
Tables only (pandas); no plotting here."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from energy.model.naming import EXPORT
from energy.paths import DEFAULT_INPUTS
from energy.results.folder import Results

KPI_UNITS = {
    "capacity_": "MW",
    "price_mean_": "EUR/MWh",
    "export_energy": "TWh",
    "green_export_energy": "TWh",
    "import_energy": "TWh",
    "import_cost": "EUR",
    "res_share_": "share",
    "export_revenue": "EUR",
    "system_cost": "EUR",
    "objective": "EUR",
    "co2_emissions": "Mt",
    "curtailment": "TWh",
    "demand": "TWh",
    "link_losses": "TWh",
    "unserved_energy": "TWh",
    "export_break_even_price": "EUR/MWh",
}


def carriers(inputs_dir: Path = DEFAULT_INPUTS) -> pd.DataFrame:
    """carriers.csv (nice_name, color), in file order."""
    return pd.read_csv(Path(inputs_dir) / "carriers.csv", index_col="carrier")


def kpi_unit(name: str, res: Results | None = None) -> str:
    """Unit of a KPI: from the run's kpis table, else from its name."""
    if res is not None and "kpis" in res.tables:
        units = res.kpis.set_index("kpi")["unit"]
        if name in units.index:
            return str(units[name])
    return next((u for prefix, u in KPI_UNITS.items() if name.startswith(prefix)), "")


def node_coordinates(res: Results) -> pd.DataFrame:
    """lon/lat per node from the run's network.nc, else from inputs/nodes.csv; with role."""
    nodes = pd.read_csv(DEFAULT_INPUTS / "nodes.csv", index_col="node")
    coords = nodes[["lon", "lat", "role"]].copy()
    buses = res.network.get("buses")
    if buses is not None:
        coords = coords.reindex(buses.index.union(coords.index))
        coords.loc[buses.index, "lon"] = buses["x"]
        coords.loc[buses.index, "lat"] = buses["y"]
        coords["role"] = coords["role"].fillna("domestic")
    return coords


def link_ends(res: Results) -> pd.DataFrame:
    """bus0, bus1, efficiency per model link (forward, reverse and new parts)."""
    links = res.network.get("links")
    if links is not None:
        return links[["bus0", "bus1", "efficiency"]]
    ds = res.timeseries
    names = pd.Index(ds["link"].to_numpy())
    corridor = res.links.set_index("link")
    base, reverse = ds["link_corridor"].to_numpy(), ds["link_reverse"].to_numpy()
    frm, to = corridor.loc[base, "from"].to_numpy(), corridor.loc[base, "to"].to_numpy()
    return pd.DataFrame(
        {"bus0": np.where(reverse, to, frm), "bus1": np.where(reverse, frm, to), "efficiency": 1.0},
        index=names,
    )


def corridor_flow(res: Results) -> pd.DataFrame:
    """Net flow per corridor, MW, positive in the links table's from → to direction."""
    ds = res.timeseries
    flow = ds["link_flow"].to_pandas()
    sign = np.where(ds["link_reverse"].to_numpy(), -1.0, 1.0)
    corridor = ds["link_corridor"].to_numpy()
    return (flow * sign).T.groupby(corridor).sum().T


def duration(values: pd.Series, weight: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Duration curve: values sorted high → low against cumulative hours."""
    order = np.argsort(-values.to_numpy(), kind="stable")
    return np.cumsum(weight.to_numpy()[order]), values.to_numpy()[order]


def node_dispatch(res: Results, node: str) -> pd.DataFrame:
    """Power balance of one node per snapshot, MW: supply columns ≥ 0, withdrawals ≤ 0."""
    ds = res.timeseries
    at_node = ds["generator_node"].to_numpy() == node
    gen = ds["dispatch"].isel(generator=at_node).to_pandas()
    gen = gen.T.groupby(ds["generator_carrier"].to_numpy()[at_node]).sum().T
    parts = {c: gen[c] for c in gen.columns}
    if "export" in parts:
        parts["market export"] = parts.pop("export")
    storage = res.network.get("storage_units")
    units = ds["storage_unit"].to_numpy()
    at_node = (
        storage["bus"].reindex(units).to_numpy() == node
        if storage is not None
        else pd.Index(units).str.startswith(f"{node} ")
    )
    store = ds["storage_dispatch"].isel(storage_unit=at_node).to_pandas().sum(axis=1)
    parts["battery"], parts["battery charge"] = store.clip(lower=0), store.clip(upper=0)
    ends = link_ends(res)
    flow = ds["link_flow"].to_pandas()[ends.index]
    parts["link import"] = (
        flow.loc[:, ends["bus1"] == node] * ends.loc[ends["bus1"] == node, "efficiency"]
    ).sum(axis=1)
    parts["link export"] = -flow.loc[:, ends["bus0"] == node].sum(axis=1)
    table = pd.DataFrame(parts)
    return table.loc[:, table.abs().max() > 1e-3]


def week_start(res: Results, node: str | None = None) -> pd.Timestamp:
    """Start of the 7 days with the most market exports (first snapshot if none)."""
    ds = res.timeseries
    exports = ds["generator_carrier"].to_numpy() == EXPORT
    flow = -ds["dispatch"].isel(generator=exports).to_pandas().sum(axis=1)
    snapshots = flow.index
    if flow.abs().sum() == 0 or snapshots[-1] - snapshots[0] <= pd.Timedelta(days=7):
        return snapshots[0]
    weekly = flow.rolling("7D").sum().shift(-1)  # window ending at t → start at t - 7 days
    end = weekly.idxmax()
    return max(snapshots[0], end - pd.Timedelta(days=7))


def export_summary(res: Results) -> pd.DataFrame:
    """Per market: export volume (TWh), revenue (million EUR), average price (EUR/MWh)."""
    balance, costs = res.energy_balance, res.costs
    volume = -balance[balance["carrier"] == "market export"].set_index("node")["energy_twh"]
    revenue = -costs[costs["carrier"] == "export"].set_index("node")["opex_eur"] / 1e6
    table = pd.DataFrame({"volume_twh": volume, "revenue_meur": revenue}).fillna(0.0)
    table["price_eur_per_mwh"] = (table["revenue_meur"] / table["volume_twh"]).where(
        table["volume_twh"] > 0
    )
    return table.rename_axis("market")
