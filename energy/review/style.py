"""Shared look of every figure: the Agg backend outside Jupyter, carrier and link colours,
labels, figure and legend helpers."""

from __future__ import annotations

import sys

import matplotlib

if "ipykernel" not in sys.modules:  # in Jupyter keep the inline backend
    matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from energy.results.folder import Results  # noqa: E402
from energy.review.summaries import carriers  # noqa: E402

EXTRA_COLORS = {
    "link import": "#8fbcd4",
    "link export": "#3d6f8e",
    "market export": "#d62728",
    "battery charge": "#6b8f3f",
    "load-shedding": "#ff00ff",
    "boundary": "#8c6d31",  # fixed flows from neighbours outside the model
    "export": "#d62728",
}
LINK_COLORS = {
    "hvdc-submarine": "#1f3b73",
    "hvdc-overhead": "#7b3294",
    "hvac-overhead": "#e66101",
    "hvdc-b2b": "#4d9221",
}


def color(carrier: str, table: pd.DataFrame | None = None) -> str:
    """Plot colour of a carrier: from the carriers table, else the extra colours, else grey."""
    table = carriers() if table is None else table
    if carrier in table.index:
        return str(table.at[carrier, "color"])
    return EXTRA_COLORS.get(carrier, "#999999")


def label(carrier: str, table: pd.DataFrame) -> str:
    """Display name of a carrier (``nice_name``), else the carrier capitalised."""
    return str(table.at[carrier, "nice_name"]) if carrier in table.index else carrier.capitalize()


def legend_outside(ax, **kwargs) -> None:
    """Put the legend of ``ax`` outside the axes, at its upper right."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8, **kwargs)


def figure(width: float = 10, height: float = 5, **kwargs) -> tuple[Figure, plt.Axes]:
    """A new figure and axes, ``width`` × ``height`` inches, with constrained layout."""
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained", **kwargs)
    return fig, ax


def title(res: Results, what: str) -> str:
    """A figure title: ``what`` and the run's scenario name."""
    return f"{what} — scenario '{res.name}'"
