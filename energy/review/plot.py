"""Figures of a results folder (matplotlib, Agg): every function takes what
:func:`energy.results.load_results` returns and gives back a Figure with title, units and legend.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from energy.results.folder import Results
from energy.review.maps import corridor_map, country_patches
from energy.review.style import (
    color,
    figure,
    label,
    legend_outside,
    title,
)
from energy.review.summaries import (
    carriers,
    corridor_flow,
    duration,
    export_summary,
    kpi_unit,
    node_dispatch,
    week_start,
)

__all__ = ["corridor_map", "country_patches"]  # the map lives in maps.py


# ---------------------------------------------------------------- helpers

# ---------------------------------------------------------------- single run


def capacity_by_node(res: Results) -> Figure:
    """Stacked bars of generation and storage capacity per node: existing solid, added hatched."""
    table, caps = carriers(), res.capacities
    caps = caps[caps["optimal_mw"] > 0]
    nodes = list(dict.fromkeys(caps["node"]))
    order = [c for c in table.index if c in set(caps["carrier"])] + sorted(
        set(caps["carrier"]) - set(table.index)
    )
    fig, ax = figure()
    x = np.arange(len(nodes))
    bottom = np.zeros(len(nodes))
    for carrier in order:
        rows = caps[caps["carrier"] == carrier].set_index("node").reindex(nodes).fillna(0.0)
        for part, hatch in (("existing_mw", None), ("added_mw", "///")):
            gw = rows[part].to_numpy() / 1e3
            if gw.any():
                ax.bar(
                    x,
                    gw,
                    bottom=bottom,
                    color=color(carrier, table),
                    hatch=hatch,
                    edgecolor="white",
                    linewidth=0.5,
                )
                bottom += gw
    handles = [Patch(color=color(c, table), label=label(c, table)) for c in order]
    handles += [
        Patch(facecolor="white", edgecolor="grey", label="existing"),
        Patch(facecolor="white", edgecolor="grey", hatch="///", label="added by model"),
    ]
    ax.set_xticks(x, nodes)
    ax.set_xlabel("Node")
    ax.set_ylabel("Capacity [GW]")
    ax.set_title(title(res, "Generation and storage capacity by node"))
    ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8
    )
    return fig


def dispatch_stack(
    res: Results, node: str, start: str | pd.Timestamp | None = None, days: float = 7
) -> Figure:
    """Stacked dispatch at a node for ``days`` from ``start`` (default: busiest export week):
    generation, storage and link imports above zero; exports, charging below; load as a line."""
    balance = node_dispatch(res, node)
    t0 = pd.Timestamp(start) if start is not None else week_start(res, node)
    balance = balance.loc[t0 : t0 + pd.Timedelta(days=days) - pd.Timedelta(seconds=1)] / 1e3
    balance = balance.loc[:, balance.abs().max() > 1e-6]
    if balance.empty:
        raise ValueError(f"no snapshots between {t0} and {days} days later")
    table = carriers()
    fig, ax = figure(11, 5)
    t = balance.index
    supply = [c for c in balance.columns if (balance[c] >= -1e-9).all()]
    withdraw = [c for c in balance.columns if c not in supply]
    for columns, sign in ((supply, 1), (withdraw, -1)):
        if columns:
            values = [
                balance[c].clip(lower=0) if sign > 0 else balance[c].clip(upper=0) for c in columns
            ]
            ax.stackplot(
                t,
                values,
                labels=[label(c, table) for c in columns],
                colors=[color(c, table) for c in columns],
                step="post",
                linewidth=0,
            )
    load = (
        res.timeseries["load"].sel(node=node).to_pandas()
        if node in res.timeseries["node"]
        else None
    )
    if load is not None and load.notna().any() and load.abs().sum() > 0:
        ax.step(t, load.loc[t] / 1e3, where="post", color="black", linewidth=1.5, label="Load")
    ax.axhline(0, color="grey", linewidth=0.6)
    ax.set_xlabel("Time (UTC)")
    ax.set_ylabel("Power [GW]  (supply +, withdrawal −)")
    ax.set_title(title(res, f"Dispatch at {node}, {t[0]:%d %b %Y} – {t[-1]:%d %b %Y}"))
    legend_outside(ax)
    fig.autofmt_xdate()
    return fig


def flow_duration(res: Results, corridors: Sequence[str] | None = None) -> Figure:
    """Flow duration curves of the corridors with capacity, signed (+ from → to)."""
    flows = corridor_flow(res)
    links = res.links.set_index("link")
    if corridors is None:
        corridors = [c for c in links.index if links.at[c, "optimal_mw"] > 0 and c in flows]
    weight = res.timeseries["weight"].to_pandas()
    fig, ax = figure()
    for i, corridor in enumerate(corridors):
        hours, mw = duration(flows[corridor], weight)
        row = links.loc[corridor]
        ax.step(
            hours,
            mw,
            where="pre",
            color=f"C{i % 10}",
            linewidth=1.4,
            label=f"{corridor} ({row['from']}→{row['to']}, {row['optimal_mw']:,.0f} MW)",
        )
        for bound in (row["optimal_mw"], -row["optimal_mw"]):
            ax.axhline(bound, color=f"C{i % 10}", linestyle=":", linewidth=0.8, alpha=0.6)
    ax.axhline(0, color="grey", linewidth=0.6)
    ax.set_xlabel("Hours of the modelled period flow is at least this high [h]")
    ax.set_ylabel("Net flow [MW]  (+ from → to, − back)")
    ax.set_title(title(res, "Flow duration curves of the corridors (dotted: ± capacity)"))
    legend_outside(ax)
    return fig


def price_duration(res: Results) -> Figure:
    """Price duration curve of every node."""
    prices = res.timeseries["marginal_price"].to_pandas()
    weight = res.timeseries["weight"].to_pandas()
    fig, ax = figure()
    for i, node in enumerate(prices.columns):
        hours, price = duration(prices[node], weight)
        ax.step(hours, price, where="pre", color=f"C{i % 10}", label=node)
    ax.set_xlabel("Hours of the modelled period price is at least this high [h]")
    ax.set_ylabel("Marginal price [EUR/MWh]")
    ax.set_title(title(res, "Price duration curves per node"))
    legend_outside(ax, title="Node")
    return fig


def exports(res: Results) -> Figure:
    """Export volume and revenue by market."""
    table = export_summary(res)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.5), layout="constrained")
    markets = list(table.index)
    colors = [f"C{i % 10}" for i in range(len(markets))]
    for ax, column, unit in (
        (left, "volume_twh", "Export volume [TWh]"),
        (right, "revenue_meur", "Export revenue [million EUR]"),
    ):
        bars = ax.bar(
            markets,
            table[column],
            color=colors,
            label=[
                f"{m}: {p:,.1f} EUR/MWh" if pd.notna(p) else f"{m}: no exports"
                for m, p in table["price_eur_per_mwh"].items()
            ],
        )
        ax.bar_label(bars, fmt="{:,.2f}", fontsize=8)
        ax.set_ylabel(unit)
        ax.set_xlabel("Market")
    right.legend(title="Market: average price", fontsize=8, frameon=False)
    fig.suptitle(
        title(
            res,
            f"Exports: {table['volume_twh'].sum():,.2f} TWh, "
            f"{table['revenue_meur'].sum():,.1f} million EUR",
        )
    )
    return fig


def cost_breakdown(res: Results) -> Figure:
    """Annualised capex and opex by carrier (all nodes), million EUR; export revenue < 0."""
    costs = res.costs.assign(
        group=res.costs["carrier"].where(~res.costs["carrier"].str.startswith("link "), "links")
    )
    by = costs.groupby("group")[["capex_eur", "opex_eur"]].sum() / 1e6
    by = by.loc[by.abs().sum(axis=1).sort_values(ascending=False).index]
    fig, ax = figure(10, 4.5)
    y = np.arange(len(by))
    ax.barh(y, by["capex_eur"], color="#4c72b0", label="capex (annualised, new capacity)")
    ax.barh(
        y,
        by["opex_eur"],
        left=by["capex_eur"].clip(lower=0),
        color="#dd8452",
        label="opex (fuel, CO2, O&M; export revenue negative)",
    )
    ax.set_yticks(y, by.index)
    ax.invert_yaxis()
    ax.axvline(0, color="grey", linewidth=0.6)
    ax.set_xlabel("Cost [million EUR per modelled period]")
    ax.set_ylabel("Carrier")
    ax.set_title(title(res, "System cost by carrier"))
    legend_outside(ax)
    return fig


def compare_kpis(runs: Mapping[str, Results], kpis: Sequence[str]) -> Figure:
    """Small multiples: one bar panel per KPI, one bar per run."""
    fig, axes = plt.subplots(
        1, len(kpis), figsize=(3.2 * len(kpis), 4), layout="constrained", squeeze=False
    )
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
    axes[0][-1].legend(
        title="Run", fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0)
    )
    fig.suptitle("KPIs compared: " + " vs ".join(names))
    return fig


# ---------------------------------------------------------------- sweeps


def _cube_slice(
    res: Results, kpi: str, keep: Sequence[str], select: Mapping[str, object] | None
) -> xr.DataArray:
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


def _axis_label(res: Results, dim: str) -> str:
    parameter = res.cube[dim].attrs.get("parameter", "")
    return f"{dim} ({parameter})" if parameter and parameter != dim else dim


def _ticks(values: np.ndarray) -> list[str]:
    return [f"{v:g}" if isinstance(v, float) else str(v) for v in values]


def _fixed_note(arr: xr.DataArray, keep: Sequence[str]) -> str:
    fixed = [f"{d}={arr[d].item()}" for d in arr.coords if d not in keep and arr[d].ndim == 0]
    return f" ({', '.join(fixed)})" if fixed else ""


def sweep_heatmap(
    res: Results,
    kpi: str,
    x: str | None = None,
    y: str | None = None,
    select: Mapping[str, object] | None = None,
) -> Figure:
    """Heatmap of ``kpi`` over two swept parameters (other dimensions at ``select`` or their
    first value), cells annotated."""
    dims = list(res.cube[kpi].dims)
    x = x or dims[0]
    y = y or (dims[1] if len(dims) > 1 else None)
    if y is None:
        raise ValueError(f"the cube has only one dimension ({x}): use sweep_lines")
    arr, unit = _scaled(
        _cube_slice(res, kpi, (x, y), select).transpose(y, x),
        res.cube[kpi].attrs.get("units") or kpi_unit(kpi),
    )
    fig, ax = figure(7.5, 4.5)
    image = ax.imshow(arr.to_numpy(), origin="lower", aspect="auto", cmap="viridis")
    for (i, j), value in np.ndenumerate(arr.to_numpy()):
        text = "failed" if np.isnan(value) else f"{value:,.4g}"
        ax.text(
            j,
            i,
            text,
            ha="center",
            va="center",
            fontsize=8,
            color="white" if np.isnan(value) or value < np.nanmean(arr) else "black",
        )
    ax.set_xticks(range(arr.sizes[x]), _ticks(arr[x].to_numpy()))
    ax.set_yticks(range(arr.sizes[y]), _ticks(arr[y].to_numpy()))
    ax.set_xlabel(_axis_label(res, x))
    ax.set_ylabel(_axis_label(res, y))
    fig.colorbar(image, ax=ax, label=f"{kpi} [{unit}]")
    ax.set_title(f"{kpi} over {x} × {y}{_fixed_note(arr, (x, y))}")
    return fig


def sweep_lines(
    res: Results,
    kpi: str,
    x: str | None = None,
    hue: str | None = None,
    select: Mapping[str, object] | None = None,
) -> Figure:
    """``kpi`` against one swept parameter, one line per value of ``hue`` (optional)."""
    dims = list(res.cube[kpi].dims)
    x = x or dims[0]
    keep = (x, hue) if hue else (x,)
    arr, unit = _scaled(
        _cube_slice(res, kpi, keep, select), res.cube[kpi].attrs.get("units") or kpi_unit(kpi)
    )
    fig, ax = figure(7.5, 4)
    groups = [(f"{hue}={v.item()}", arr.sel({hue: v})) for v in arr[hue]] if hue else [(kpi, arr)]
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
