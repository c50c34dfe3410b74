"""Figures of a results folder (matplotlib, Agg): every function takes what
:func:`energy.api.load_results` returns and gives back a Figure with title, units and legend.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib

if "ipykernel" not in sys.modules:  # in Jupyter keep the inline backend
    matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import xarray as xr  # noqa: E402
from matplotlib.collections import PatchCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch, Polygon  # noqa: E402

from energy.api import LoadedResults  # noqa: E402
from energy.inputs import DEFAULT_INPUTS  # noqa: E402

GEOJSON = DEFAULT_INPUTS / "geo" / "corridor_countries.geojson"
EXTRA_COLORS = {"link import": "#8fbcd4", "link export": "#3d6f8e", "market export": "#d62728",
                "battery charge": "#6b8f3f", "load-shedding": "#ff00ff", "export": "#d62728"}
LINK_COLORS = {"hvdc-submarine": "#1f3b73", "hvdc-overhead": "#7b3294",
               "hvac-overhead": "#e66101", "hvdc-b2b": "#4d9221"}
MW_PER_POINT = 400.0  # map line width: 1 pt per 400 MW
KPI_UNITS = {"capacity_": "MW", "price_mean_": "EUR/MWh", "export_energy": "TWh",
             "res_share_": "share", "export_revenue": "EUR", "system_cost": "EUR",
             "objective": "EUR", "co2_emissions": "Mt", "curtailment": "TWh", "demand": "TWh",
             "link_losses": "TWh", "unserved_energy": "TWh", "export_break_even_price": "EUR/MWh"}


# ---------------------------------------------------------------- helpers

def carriers(inputs_dir: Path = DEFAULT_INPUTS) -> pd.DataFrame:
    """carriers.csv (nice_name, color), in file order."""
    return pd.read_csv(Path(inputs_dir) / "carriers.csv", index_col="carrier")


def color(carrier: str, table: pd.DataFrame | None = None) -> str:
    table = carriers() if table is None else table
    if carrier in table.index:
        return str(table.at[carrier, "color"])
    return EXTRA_COLORS.get(carrier, "#999999")


def label(carrier: str, table: pd.DataFrame) -> str:
    return str(table.at[carrier, "nice_name"]) if carrier in table.index else carrier.capitalize()


def kpi_unit(name: str, res: LoadedResults | None = None) -> str:
    """Unit of a KPI: from the run's kpis table, else from its name."""
    if res is not None and "kpis" in res.tables:
        units = res.kpis.set_index("kpi")["unit"]
        if name in units.index:
            return str(units[name])
    return next((u for prefix, u in KPI_UNITS.items() if name.startswith(prefix)), "")


def node_coordinates(res: LoadedResults) -> pd.DataFrame:
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


def link_ends(res: LoadedResults) -> pd.DataFrame:
    """bus0, bus1, efficiency per model link (forward, reverse and new parts)."""
    links = res.network.get("links")
    if links is not None:
        return links[["bus0", "bus1", "efficiency"]]
    names = pd.Index(res.timeseries["link"].to_numpy())
    corridor = res.links.set_index("link")
    base = names.str.removesuffix(" reverse").str.removesuffix(" new")
    reverse = names.str.endswith(" reverse")
    frm, to = corridor.loc[base, "from"].to_numpy(), corridor.loc[base, "to"].to_numpy()
    return pd.DataFrame({"bus0": np.where(reverse, to, frm), "bus1": np.where(reverse, frm, to),
                         "efficiency": 1.0}, index=names)


def corridor_flow(res: LoadedResults) -> pd.DataFrame:
    """Net flow per corridor, MW, positive in the links table's from → to direction."""
    flow = res.timeseries["link_flow"].to_pandas()
    reverse = flow.columns.str.endswith(" reverse")
    sign = np.where(reverse, -1.0, 1.0)
    corridor = flow.columns.str.removesuffix(" reverse").str.removesuffix(" new")
    return (flow * sign).T.groupby(corridor).sum().T


def duration(values: pd.Series, weight: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Duration curve: values sorted high → low against cumulative hours."""
    order = np.argsort(-values.to_numpy(), kind="stable")
    return np.cumsum(weight.to_numpy()[order]), values.to_numpy()[order]


def legend_outside(ax, **kwargs) -> None:
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8, **kwargs)


def _figure(width: float = 10, height: float = 5, **kwargs) -> tuple[Figure, plt.Axes]:
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained", **kwargs)
    return fig, ax


def _title(res: LoadedResults, what: str) -> str:
    return f"{what} — scenario '{res.name}'"


# ---------------------------------------------------------------- single run

def capacity_by_node(res: LoadedResults) -> Figure:
    """Stacked bars of generation and storage capacity per node: existing solid, added hatched."""
    table, caps = carriers(), res.capacities
    caps = caps[caps["optimal_mw"] > 0]
    nodes = list(dict.fromkeys(caps["node"]))
    order = [c for c in table.index if c in set(caps["carrier"])] + sorted(
        set(caps["carrier"]) - set(table.index))
    fig, ax = _figure()
    x = np.arange(len(nodes))
    bottom = np.zeros(len(nodes))
    for carrier in order:
        rows = caps[caps["carrier"] == carrier].set_index("node").reindex(nodes).fillna(0.0)
        for part, hatch in (("existing_mw", None), ("added_mw", "///")):
            gw = rows[part].to_numpy() / 1e3
            if gw.any():
                ax.bar(x, gw, bottom=bottom, color=color(carrier, table), hatch=hatch,
                       edgecolor="white", linewidth=0.5)
                bottom += gw
    handles = [Patch(color=color(c, table), label=label(c, table)) for c in order]
    handles += [Patch(facecolor="white", edgecolor="grey", label="existing"),
                Patch(facecolor="white", edgecolor="grey", hatch="///", label="added by model")]
    ax.set_xticks(x, nodes)
    ax.set_xlabel("Node")
    ax.set_ylabel("Capacity [GW]")
    ax.set_title(_title(res, "Generation and storage capacity by node"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
              fontsize=8)
    return fig


def node_dispatch(res: LoadedResults, node: str) -> pd.DataFrame:
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
    at_node = (storage["bus"].reindex(units).to_numpy() == node if storage is not None
               else pd.Index(units).str.startswith(f"{node} "))
    store = ds["storage_dispatch"].isel(storage_unit=at_node).to_pandas().sum(axis=1)
    parts["battery"], parts["battery charge"] = store.clip(lower=0), store.clip(upper=0)
    ends = link_ends(res)
    flow = ds["link_flow"].to_pandas()[ends.index]
    parts["link import"] = (flow.loc[:, ends["bus1"] == node]
                            * ends.loc[ends["bus1"] == node, "efficiency"]).sum(axis=1)
    parts["link export"] = -flow.loc[:, ends["bus0"] == node].sum(axis=1)
    table = pd.DataFrame(parts)
    return table.loc[:, table.abs().max() > 1e-3]


def week_start(res: LoadedResults, node: str | None = None) -> pd.Timestamp:
    """Start of the 7 days with the most market exports (first snapshot if none)."""
    ds = res.timeseries
    exports = ds["generator_carrier"].to_numpy() == "export"
    flow = -ds["dispatch"].isel(generator=exports).to_pandas().sum(axis=1)
    snapshots = flow.index
    if flow.abs().sum() == 0 or snapshots[-1] - snapshots[0] <= pd.Timedelta(days=7):
        return snapshots[0]
    weekly = flow.rolling("7D").sum().shift(-1)  # window ending at t → start at t - 7 days
    end = weekly.idxmax()
    return max(snapshots[0], end - pd.Timedelta(days=7))


def dispatch_stack(res: LoadedResults, node: str, start: str | pd.Timestamp | None = None,
                   days: float = 7) -> Figure:
    """Stacked dispatch at a node for ``days`` from ``start`` (default: busiest export week):
    generation, storage and link imports above zero; exports, charging below; load as a line."""
    balance = node_dispatch(res, node)
    t0 = pd.Timestamp(start) if start is not None else week_start(res, node)
    balance = balance.loc[t0: t0 + pd.Timedelta(days=days) - pd.Timedelta(seconds=1)] / 1e3
    balance = balance.loc[:, balance.abs().max() > 1e-6]
    if balance.empty:
        raise ValueError(f"no snapshots between {t0} and {days} days later")
    table = carriers()
    fig, ax = _figure(11, 5)
    t = balance.index
    supply = [c for c in balance.columns if (balance[c] >= -1e-9).all()]
    withdraw = [c for c in balance.columns if c not in supply]
    for columns, sign in ((supply, 1), (withdraw, -1)):
        if columns:
            values = [balance[c].clip(lower=0) if sign > 0 else balance[c].clip(upper=0)
                      for c in columns]
            ax.stackplot(t, values, labels=[label(c, table) for c in columns],
                         colors=[color(c, table) for c in columns], step="post", linewidth=0)
    load = res.timeseries["load"].sel(node=node).to_pandas() if node in res.timeseries["node"] \
        else None
    if load is not None and load.notna().any() and load.abs().sum() > 0:
        ax.step(t, load.loc[t] / 1e3, where="post", color="black", linewidth=1.5, label="Load")
    ax.axhline(0, color="grey", linewidth=0.6)
    ax.set_xlabel("Time (UTC)")
    ax.set_ylabel("Power [GW]  (supply +, withdrawal −)")
    ax.set_title(_title(res, f"Dispatch at {node}, {t[0]:%d %b %Y} – {t[-1]:%d %b %Y}"))
    legend_outside(ax)
    fig.autofmt_xdate()
    return fig


def flow_duration(res: LoadedResults, corridors: Sequence[str] | None = None) -> Figure:
    """Flow duration curves of the corridors with capacity, signed (+ from → to)."""
    flows = corridor_flow(res)
    links = res.links.set_index("link")
    if corridors is None:
        corridors = [c for c in links.index if links.at[c, "optimal_mw"] > 0 and c in flows]
    weight = res.timeseries["weight"].to_pandas()
    fig, ax = _figure()
    for i, corridor in enumerate(corridors):
        hours, mw = duration(flows[corridor], weight)
        row = links.loc[corridor]
        ax.step(hours, mw, where="pre", color=f"C{i % 10}", linewidth=1.4,
                label=f"{corridor} ({row['from']}→{row['to']}, {row['optimal_mw']:,.0f} MW)")
        for bound in (row["optimal_mw"], -row["optimal_mw"]):
            ax.axhline(bound, color=f"C{i % 10}", linestyle=":", linewidth=0.8, alpha=0.6)
    ax.axhline(0, color="grey", linewidth=0.6)
    ax.set_xlabel("Hours of the modelled period flow is at least this high [h]")
    ax.set_ylabel("Net flow [MW]  (+ from → to, − back)")
    ax.set_title(_title(res, "Flow duration curves of the corridors (dotted: ± capacity)"))
    legend_outside(ax)
    return fig


def price_duration(res: LoadedResults) -> Figure:
    """Price duration curve of every node."""
    prices = res.timeseries["marginal_price"].to_pandas()
    weight = res.timeseries["weight"].to_pandas()
    fig, ax = _figure()
    for i, node in enumerate(prices.columns):
        hours, price = duration(prices[node], weight)
        ax.step(hours, price, where="pre", color=f"C{i % 10}", label=node)
    ax.set_xlabel("Hours of the modelled period price is at least this high [h]")
    ax.set_ylabel("Marginal price [EUR/MWh]")
    ax.set_title(_title(res, "Price duration curves per node"))
    legend_outside(ax, title="Node")
    return fig


def export_summary(res: LoadedResults) -> pd.DataFrame:
    """Per market: export volume (TWh), revenue (million EUR), average price (EUR/MWh)."""
    balance, costs = res.energy_balance, res.costs
    volume = -balance[balance["carrier"] == "market export"].set_index("node")["energy_twh"]
    revenue = -costs[costs["carrier"] == "export"].set_index("node")["opex_eur"] / 1e6
    table = pd.DataFrame({"volume_twh": volume, "revenue_meur": revenue}).fillna(0.0)
    table["price_eur_per_mwh"] = (table["revenue_meur"] / table["volume_twh"]).where(
        table["volume_twh"] > 0)
    return table.rename_axis("market")


def exports(res: LoadedResults) -> Figure:
    """Export volume and revenue by market."""
    table = export_summary(res)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.5), layout="constrained")
    markets = list(table.index)
    colors = [f"C{i % 10}" for i in range(len(markets))]
    for ax, column, unit in ((left, "volume_twh", "Export volume [TWh]"),
                             (right, "revenue_meur", "Export revenue [million EUR]")):
        bars = ax.bar(markets, table[column], color=colors, label=[
            f"{m}: {p:,.1f} EUR/MWh" if pd.notna(p) else f"{m}: no exports"
            for m, p in table["price_eur_per_mwh"].items()])
        ax.bar_label(bars, fmt="{:,.2f}", fontsize=8)
        ax.set_ylabel(unit)
        ax.set_xlabel("Market")
    right.legend(title="Market: average price", fontsize=8, frameon=False)
    fig.suptitle(_title(res, f"Exports: {table['volume_twh'].sum():,.2f} TWh, "
                             f"{table['revenue_meur'].sum():,.1f} million EUR"))
    return fig


def cost_breakdown(res: LoadedResults) -> Figure:
    """Annualised capex and opex by carrier (all nodes), million EUR; export revenue < 0."""
    costs = res.costs.assign(group=res.costs["carrier"].where(
        ~res.costs["carrier"].str.startswith("link "), "links"))
    by = costs.groupby("group")[["capex_eur", "opex_eur"]].sum() / 1e6
    by = by.loc[by.abs().sum(axis=1).sort_values(ascending=False).index]
    fig, ax = _figure(10, 4.5)
    y = np.arange(len(by))
    ax.barh(y, by["capex_eur"], color="#4c72b0", label="capex (annualised, new capacity)")
    ax.barh(y, by["opex_eur"], left=by["capex_eur"].clip(lower=0), color="#dd8452",
            label="opex (fuel, CO2, O&M; export revenue negative)")
    ax.set_yticks(y, by.index)
    ax.invert_yaxis()
    ax.axvline(0, color="grey", linewidth=0.6)
    ax.set_xlabel("Cost [million EUR per modelled period]")
    ax.set_ylabel("Carrier")
    ax.set_title(_title(res, "System cost by carrier"))
    legend_outside(ax)
    return fig


def compare_kpis(runs: Mapping[str, LoadedResults], kpis: Sequence[str]) -> Figure:
    """Small multiples: one bar panel per KPI, one bar per run."""
    fig, axes = plt.subplots(1, len(kpis), figsize=(3.2 * len(kpis), 4), layout="constrained",
                             squeeze=False)
    names = list(runs)
    for ax, kpi in zip(axes[0], kpis):
        values = np.array([runs[n].kpi_series().get(kpi, np.nan) for n in names], dtype=float)
        unit = kpi_unit(kpi, next(iter(runs.values())))
        if unit == "EUR":
            values, unit = values / 1e6, "million EUR"
        ax.bar(names, values, color=[f"C{i}" for i in range(len(names))], label=names)
        ax.set_title(kpi, fontsize=9)
        ax.set_ylabel(f"[{unit}]")
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    axes[0][-1].legend(title="Run", fontsize=8, frameon=False, loc="upper left",
                       bbox_to_anchor=(1.01, 1.0))
    fig.suptitle("KPIs compared: " + " vs ".join(names))
    return fig


# ---------------------------------------------------------------- map

def country_patches(path: Path = GEOJSON) -> list[Polygon]:
    """Outer rings of every country polygon in the shipped GeoJSON (plain json, no GIS)."""
    patches = []
    for feature in json.loads(Path(path).read_text())["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" \
            else [geometry["coordinates"]]
        patches += [Polygon(np.asarray(rings[0]), closed=True) for rings in polygons]
    return patches


def label_offset(dx: float, dy: float, points: float = 26.0) -> tuple[float, float]:
    """Where a link's label goes (points from the midpoint): on a long link on the line, on a
    short one beside it — below, or left of a near-vertical one — clear of the node labels."""
    length = float(np.hypot(dx, dy))
    if length >= 7 or length == 0:
        return 0.0, 0.0
    nx, ny = -dy / length, dx / length
    if ny > 0:
        nx, ny = -nx, -ny
    if abs(ny) < 0.3 and nx > 0:
        nx, ny = -nx, -ny
    return points * nx, points * ny


def corridor_map(res: LoadedResults) -> Figure:
    """Nodes at their coordinates, corridors as lines with width ∝ optimal capacity."""
    coords = node_coordinates(res)
    links = res.links
    used = coords.loc[list(dict.fromkeys([*links["from"], *links["to"]]))]
    fig, ax = _figure(12, 6)
    ax.set_facecolor("#dceaf5")
    ax.add_collection(PatchCollection(country_patches(), facecolor="#f2efe6",
                                      edgecolor="#a8a29a", linewidth=0.6, zorder=0))
    for _, link in links.iterrows():
        (x0, y0), (x1, y1) = used.loc[link["from"], ["lon", "lat"]], \
            used.loc[link["to"], ["lon", "lat"]]
        built = link["optimal_mw"] > 0
        ax.plot([x0, x1], [y0, y1], color=LINK_COLORS.get(link["type"], "grey"),
                linewidth=max(link["optimal_mw"] / MW_PER_POINT, 0.8),
                linestyle="-" if built else "--", alpha=0.85 if built else 0.5,
                solid_capstyle="round", zorder=2)
        text = f"{link['link']}\n{link['optimal_mw']:,.0f} MW"
        if link["added_mw"] > 0.5:
            text += f" (+{link['added_mw']:,.0f})"
        ax.annotate(text, ((x0 + x1) / 2, (y0 + y1) / 2), xytext=label_offset(x1 - x0, y1 - y0),
                    textcoords="offset points", ha="center", va="center",
                    fontsize=7, zorder=4, color="#222" if built else "#777",
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none",
                          "alpha": 0.75})
    for role, marker, size in (("domestic", "o", 70), ("market", "s", 80)):
        nodes = used[used["role"] == role]
        ax.scatter(nodes["lon"], nodes["lat"], marker=marker, s=size, color="#222", zorder=5,
                   edgecolor="white")
        for node, row in nodes.iterrows():
            ax.annotate(node, (row["lon"], row["lat"]), xytext=(5, 5), textcoords="offset points",
                        fontsize=9, fontweight="bold", zorder=6)
    pad = 3.0
    ax.set_xlim(used["lon"].min() - pad - 1, used["lon"].max() + pad)
    ax.set_ylim(used["lat"].min() - pad, used["lat"].max() + pad)
    ax.set_aspect(1 / np.cos(np.radians(used["lat"].mean())))
    ax.set_xlabel("Longitude [°E]")
    ax.set_ylabel("Latitude [°N]")
    ax.set_title(_title(res, "Corridor: optimal link capacity (line width ∝ MW)"))
    handles = [Line2D([], [], color=c, linewidth=3, label=t) for t, c in LINK_COLORS.items()
               if t in set(links["type"])]
    handles += [Line2D([], [], color="grey", linewidth=mw / MW_PER_POINT, label=f"{mw:,} MW")
                for mw in (1000, 3000)]
    handles += [Line2D([], [], color="grey", linestyle="--", linewidth=0.8,
                       label="candidate, not built"),
                Line2D([], [], marker="o", color="#222", linestyle="", label="domestic node"),
                Line2D([], [], marker="s", color="#222", linestyle="", label="export market")]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
              fontsize=8, title="Links and nodes")
    ax.annotate("Country outlines: Natural Earth 1:110m (public domain)", (0.01, 0.01),
                xycoords="axes fraction", fontsize=6, color="#666")
    return fig


# ---------------------------------------------------------------- sweeps

def _cube_slice(res: LoadedResults, kpi: str, keep: Sequence[str],
                select: Mapping[str, object] | None) -> xr.DataArray:
    cube = res.cube
    if cube is None or kpi not in cube:
        known = ", ".join(cube.data_vars) if cube is not None else "no sweep.nc"
        raise KeyError(f"KPI '{kpi}' not in the sweep cube ({known})")
    arr = cube[kpi]
    select = dict(select or {})
    rest = {d: select.get(d, 0) for d in arr.dims if d not in keep}
    by_label = {d: v for d, v in rest.items() if d in select}
    by_index = {d: v for d, v in rest.items() if d not in select}
    return arr.sel(by_label).isel(by_index)


def _scaled(arr: xr.DataArray, unit: str) -> tuple[xr.DataArray, str]:
    return (arr / 1e6, "million EUR") if unit == "EUR" else (arr, unit)


def _axis_label(res: LoadedResults, dim: str) -> str:
    parameter = res.cube[dim].attrs.get("parameter", "")
    return f"{dim} ({parameter})" if parameter and parameter != dim else dim


def _ticks(values: np.ndarray) -> list[str]:
    return [f"{v:g}" if isinstance(v, float) else str(v) for v in values]


def _fixed_note(arr: xr.DataArray, keep: Sequence[str]) -> str:
    fixed = [f"{d}={arr[d].item()}" for d in arr.coords if d not in keep and arr[d].ndim == 0]
    return f" ({', '.join(fixed)})" if fixed else ""


def sweep_heatmap(res: LoadedResults, kpi: str, x: str | None = None, y: str | None = None,
                  select: Mapping[str, object] | None = None) -> Figure:
    """Heatmap of ``kpi`` over two swept parameters (other dimensions at ``select`` or their
    first value), cells annotated."""
    dims = list(res.cube[kpi].dims)
    x = x or dims[0]
    y = y or (dims[1] if len(dims) > 1 else None)
    if y is None:
        raise ValueError(f"the cube has only one dimension ({x}): use sweep_lines")
    arr, unit = _scaled(_cube_slice(res, kpi, (x, y), select).transpose(y, x),
                        res.cube[kpi].attrs.get("units") or kpi_unit(kpi))
    fig, ax = _figure(7.5, 4.5)
    image = ax.imshow(arr.to_numpy(), origin="lower", aspect="auto", cmap="viridis")
    for (i, j), value in np.ndenumerate(arr.to_numpy()):
        text = "failed" if np.isnan(value) else f"{value:,.4g}"
        ax.text(j, i, text, ha="center", va="center", fontsize=8,
                color="white" if np.isnan(value) or value < np.nanmean(arr) else "black")
    ax.set_xticks(range(arr.sizes[x]), _ticks(arr[x].to_numpy()))
    ax.set_yticks(range(arr.sizes[y]), _ticks(arr[y].to_numpy()))
    ax.set_xlabel(_axis_label(res, x))
    ax.set_ylabel(_axis_label(res, y))
    fig.colorbar(image, ax=ax, label=f"{kpi} [{unit}]")
    ax.set_title(f"{kpi} over {x} × {y}{_fixed_note(arr, (x, y))}")
    return fig


def sweep_lines(res: LoadedResults, kpi: str, x: str | None = None, hue: str | None = None,
                select: Mapping[str, object] | None = None) -> Figure:
    """``kpi`` against one swept parameter, one line per value of ``hue`` (optional)."""
    dims = list(res.cube[kpi].dims)
    x = x or dims[0]
    keep = (x, hue) if hue else (x,)
    arr, unit = _scaled(_cube_slice(res, kpi, keep, select),
                        res.cube[kpi].attrs.get("units") or kpi_unit(kpi))
    fig, ax = _figure(7.5, 4)
    groups = [(f"{hue}={v.item()}", arr.sel({hue: v})) for v in arr[hue]] if hue \
        else [(kpi, arr)]
    numeric = arr[x].dtype.kind in "iuf"
    for i, (name, line) in enumerate(groups):
        xs = line[x].to_numpy() if numeric else np.arange(line.sizes[x])
        ax.plot(xs, line.to_numpy(), marker="o", color=f"C{i % 10}", label=name)
    if not numeric:
        ax.set_xticks(np.arange(arr.sizes[x]), _ticks(arr[x].to_numpy()))
    ax.set_xlabel(_axis_label(res, x))
    ax.set_ylabel(f"{kpi} [{unit}]")
    ax.set_title(f"{kpi} against {x}{_fixed_note(arr, keep)}")
    legend_outside(ax)
    return fig
