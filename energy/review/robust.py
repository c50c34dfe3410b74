"""Figures and report section of a robust run (``regret.csv`` of :mod:`energy.run.robust`)."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from energy.review.style import plt

ROBUST = "robust"


def read_regret(folder: Path | None) -> pd.DataFrame | None:
    """``regret.csv`` of a results folder, or None (not a robust run)."""
    path = None if folder is None else Path(folder) / "regret.csv"
    return pd.read_csv(path) if path is not None and path.is_file() else None


def regret_figure(regret: pd.DataFrame) -> Figure:
    """Regret (M EUR) of every plan in every weather year: one group of bars per plan."""
    plans = list(dict.fromkeys(regret["plan"]))
    years = sorted(regret["weather_year"].unique())
    table = regret.pivot(index="plan", columns="weather_year", values="regret_eur").loc[plans]
    fig, ax = plt.subplots(figsize=(max(6.0, 1.2 * len(plans)), 3.6))
    width = 0.8 / len(years)
    x = np.arange(len(plans))
    for i, year in enumerate(years):
        ax.bar(
            x + (i - (len(years) - 1) / 2) * width, table[year] / 1e6, width, label=f"year {year}"
        )
    expected = (
        regret.assign(w=regret["probability"] * regret["regret_eur"]).groupby("plan")["w"].sum()
    )
    ax.scatter(x, expected.loc[plans] / 1e6, color="black", zorder=3, label="expected")
    ax.set_xticks(x, plans, rotation=20, ha="right")
    ax.set_ylabel("regret [M EUR]")
    ax.axhline(0, color="#999", lw=0.8)
    ax.legend(fontsize=8, ncol=min(len(years) + 1, 6))
    ax.set_title("Cost of each plan in each weather year above that year's own optimum")
    fig.tight_layout()
    return fig


def regret_table_html(regret: pd.DataFrame) -> str:
    """Expected and worst regret of every plan (M EUR)."""
    summary = regret.assign(w=regret["probability"] * regret["regret_eur"]).groupby(
        "plan", sort=False
    )
    table = pd.DataFrame(
        {
            "expected regret [M EUR]": summary["w"].sum() / 1e6,
            "worst regret [M EUR]": summary["regret_eur"].max() / 1e6,
        }
    )
    return table.reset_index().to_html(
        index=False, border=0, float_format=lambda v: f"{v:,.1f}", escape=True
    )


def robust_section(
    folder: Path | None, figure_html: Callable[[Callable[[], Figure], str], str]
) -> str:
    """The report's 'Weather years' section (empty for a run that is not robust);
    ``figure_html(make, caption)`` embeds a figure."""
    regret = read_regret(folder)
    if regret is None:
        return ""
    caption = html.escape(
        "Regret of each single-year plan, the robust plan and the reference plan in every "
        "weather year; dots: probability-weighted mean"
    )
    return (
        "<h2>Weather years</h2>"
        + regret_table_html(regret)
        + figure_html(lambda: regret_figure(regret), caption)
    )
