"""Corridors as PyPSA links: every corridor of ``links.csv`` as two lossy one-way links, one
per direction, with their identity columns.

A corridor the scenario may build is one extendable link per direction: its existing
capacity is the lower bound (``p_nom_min``, also ``p_nom``), the rest up to ``p_nom_max_mw``
is the choice; the capital cost sits on the forward link only. The objective therefore
charges the annuity of the existing capacity too; PyPSA's objective constant
(``include_objective_constant=True`` in :mod:`energy.model.solve`) takes this sunk cost out
again, so ``n.objective`` is the cost of what the model decides. A corridor that cannot be
built is two fixed links of its existing capacity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa

from energy.config.scenario import Scenario
from energy.data.inputs import Inputs
from energy.model import economics as eco
from energy.model.naming import link_name


def buildable(links: pd.DataFrame, scenario: Scenario) -> pd.Series:
    """Candidates the scenario may build: extendable, with room, in service by the scenario's
    ``in_service_by`` (default: the period's year; no limit for the statistics periods)."""
    by = scenario.in_service_by or scenario.year
    ready = links["in_service_year"].isna() | (by is None) | (links["in_service_year"] <= (by or 0))
    return links["extendable"] & (links["p_nom_max_mw"] > links["p_nom_mw"]) & ready


def corridor_parts(inputs: Inputs, scenario: Scenario, years: float, rate: float) -> pd.DataFrame:
    """One row per one-way PyPSA link, two per corridor in service or buildable; the capital
    cost annualised at the interconnector ``rate`` (forward link of a buildable corridor)."""
    links = inputs.links.copy()
    links["efficiency"] = eco.link_efficiency(inputs, links)
    links["capital_cost"] = eco.link_capital_cost(inputs, links, rate) * years
    links["carrier"] = np.where(links["type"].str.startswith("hvdc"), "DC", "AC")
    links["new"] = buildable(links, scenario) & scenario.expansion
    links = links[links["new"] | (links["p_nom_mw"] > 0)]
    parts = []
    for reverse in (False, True):
        parts.append(
            pd.DataFrame(
                {
                    "corridor": links.index,
                    "new": links["new"].to_numpy(),
                    "reverse": reverse,
                    "bus0": links["bus1" if reverse else "bus0"].to_numpy(),
                    "bus1": links["bus0" if reverse else "bus1"].to_numpy(),
                    "efficiency": links["efficiency"].to_numpy(),
                    "carrier": links["carrier"].to_numpy(),
                    "p_nom": links["p_nom_mw"].to_numpy(),
                    "p_nom_max": np.where(links["new"], links["p_nom_max_mw"], np.inf),
                    "capital_cost": np.where(
                        links["new"] & (not reverse), links["capital_cost"], 0.0
                    ),
                },
                index=link_name(links.index, reverse),
            )
        )
    return scheduled(pd.concat(parts), inputs, scenario)


def scheduled(parts: pd.DataFrame, inputs: Inputs, scenario: Scenario) -> pd.DataFrame:
    """Add each link's bilateral schedule for the scenario's period (``schedule_min_twh``,
    ``schedule_max_twh``: annual TWh sent, NaN = no bound), with ``scheduled_trade`` only."""
    parts = parts.assign(schedule_min_twh=np.nan, schedule_max_twh=np.nan)
    table = inputs.trade_schedules
    if not scenario.scheduled_trade or table is None or table.empty:
        return parts
    rows = table[table["period"] == scenario.period]
    names = link_name(pd.Index(rows["corridor"]), False).where(
        rows["direction"].to_numpy() == "forward",
        link_name(pd.Index(rows["corridor"]), True),
    )
    bounds = rows[["min_twh", "max_twh"]].set_axis(names).reindex(parts.index)
    return parts.assign(
        schedule_min_twh=bounds["min_twh"].to_numpy(), schedule_max_twh=bounds["max_twh"].to_numpy()
    )


SEASON = ["first_month", "last_month"]


def export_seasons(inputs: Inputs, scenario: Scenario) -> pd.DataFrame:
    """Each node's export season in the scenario's period (``first_month``, ``last_month``),
    with ``scheduled_trade`` only; nodes without one are left out."""
    table = inputs.export_seasons
    if not scenario.scheduled_trade or table is None or table.empty:
        return pd.DataFrame(columns=SEASON, dtype=float)
    rows = table[table["period"] == scenario.period]
    return rows.set_index("node")[SEASON].astype(float)


def add_links(
    n: pypsa.Network, inputs: Inputs, scenario: Scenario, years: float, rate: float
) -> None:
    """Every corridor as two one-way links (see :func:`corridor_parts`); the rules that tie
    them are in :mod:`energy.model.constraints`."""
    parts = corridor_parts(inputs, scenario, years, rate)
    n.add(
        "Link",
        parts.index,
        bus0=parts["bus0"],
        bus1=parts["bus1"],
        carrier=parts["carrier"],
        efficiency=parts["efficiency"],
        p_nom=parts["p_nom"],
        p_nom_min=parts["p_nom"].where(parts["new"], 0.0),
        p_nom_extendable=parts["new"],
        p_nom_max=parts["p_nom_max"],
        capital_cost=parts["capital_cost"],
        p_min_pu=0.0,
        corridor=parts["corridor"],
        reverse=parts["reverse"],
        new=parts["new"],
        schedule_min_twh=parts["schedule_min_twh"],
        schedule_max_twh=parts["schedule_max_twh"],
    )
