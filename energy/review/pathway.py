"""The build-out over time of a multi-period pathway (results with a ``period`` column):
tables of link and generation capacity per period, a figure, and one period's results as a
single-year :class:`Results` for every other figure."""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from energy.results.folder import Results
from energy.review.style import color, figure, label, legend_outside, title
from energy.review.summaries import carriers


def is_pathway(res: Results) -> bool:
    """True for the results of a multi-period pathway."""
    return "period" in res.kpis.columns


def periods(res: Results) -> list[int]:
    """The investment periods, in order."""
    return sorted(int(p) for p in res.kpis["period"].unique())


def period_results(res: Results, period: int) -> Results:
    """One period's tables (without the ``period`` column) and time series."""
    tables = {
        name: table[table["period"] == period].drop(columns="period").reset_index(drop=True)
        for name, table in res.tables.items()
    }
    series = res.timeseries
    if "period" in series.dims:
        series = series.sel(period=period)
        series = series.isel(snapshot=series["weight"].notnull().to_numpy())
    out = dataclasses.replace(res, tables=tables, series=series)
    # network.nc holds the stacked network (one unit per build year): keep only its buses,
    # the figures then take links from the period's time series
    out.__dict__["network"] = {k: v for k, v in res.network.items() if k == "buses"}
    return out


def link_buildout(res: Results) -> pd.DataFrame:
    """Capacity in service (MW) of every link that changes or is built, link × period."""
    table = res.links.pivot_table(index="link", columns="period", values="optimal_mw")
    existing = res.links.pivot_table(index="link", columns="period", values="existing_mw")
    grows = (table.sub(existing).abs() > 1e-3).any(axis=1)
    return table[grows].round(1)


def capacity_buildout(res: Results) -> pd.DataFrame:
    """Capacity in service (MW) by carrier, carrier × period (existing + added)."""
    return res.capacities.pivot_table(
        index="carrier", columns="period", values="optimal_mw", aggfunc="sum"
    ).round(0)


def buildout_figure(res: Results) -> Figure:
    """Grouped bars: capacity of the built links (left) and by carrier (right) per period."""
    links, caps = link_buildout(res), capacity_buildout(res) / 1e3
    table = carriers()
    fig, (left, right) = figure(12, 5, ncols=2)
    years = list(caps.columns)
    width = 0.8 / max(len(years), 1)
    for i, year in enumerate(years):
        x = np.arange(len(links)) + i * width
        left.bar(x, links[year].to_numpy() if year in links else 0, width, label=str(year))
    left.set_xticks(np.arange(len(links)) + width * (len(years) - 1) / 2, links.index, rotation=45)
    left.set_ylabel("MW in service")
    left.set_title("Links built or reinforced")
    left.legend(frameon=False, fontsize=8)
    bottom = np.zeros(len(years))
    for carrier, row in caps.iterrows():
        right.bar(
            [str(y) for y in years],
            row.to_numpy(),
            bottom=bottom,
            color=color(carrier, table),
            label=label(carrier, table),
        )
        bottom += row.fillna(0).to_numpy()
    right.set_ylabel("GW in service")
    right.set_title("Generation and storage capacity")
    legend_outside(right)
    fig.suptitle(title(res, "Build-out over the investment periods"))
    return fig


def pathway_body(
    res: Results,
    node: str | None,
    run_body: Callable[[Results, str | None], str],
    safe_figure: Callable[[Callable[[], Figure], str], str],
) -> str:
    """The report of a pathway: build-out first, then each period as a single-year report."""
    parts = [
        "<h2>Build-out over time</h2>",
        safe_figure(lambda: buildout_figure(res), "Capacity in service per investment period"),
        "<h3>Links (MW in service)</h3>",
        link_buildout(res).to_html(border=0, float_format=lambda v: f"{v:,.0f}"),
        "<h3>Generation and storage (MW in service)</h3>",
        capacity_buildout(res).to_html(border=0, float_format=lambda v: f"{v:,.0f}"),
    ]
    for period in periods(res):
        body = run_body(period_results(res, period), node)
        parts.append(f"<details><summary>Period {period}</summary>{body}</details>")
    return "".join(parts) + f"<p>{html.escape('Energies and costs: per year of the period.')}</p>"
