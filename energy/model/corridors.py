"""Corridors as PyPSA links: every corridor of ``links.csv`` as one-way parts (existing and new,
both directions, lossy), with their identity columns; candidates only where the scenario lets
them be in service."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa

from energy.config.scenario import Scenario
from energy.data.inputs import Inputs
from energy.model import economics as eco
from energy.model.naming import corridor_part_name


def buildable(links: pd.DataFrame, scenario: Scenario) -> pd.Series:
    """Candidates the scenario may build: extendable, with room, in service by the scenario's
    ``in_service_by`` (default: the period's year; no limit for the statistics periods)."""
    by = scenario.in_service_by or scenario.year
    ready = links["in_service_year"].isna() | (by is None) | (links["in_service_year"] <= (by or 0))
    return links["extendable"] & (links["p_nom_max_mw"] > links["p_nom_mw"]) & ready


def corridor_parts(inputs: Inputs, scenario: Scenario, years: float, rate: float) -> pd.DataFrame:
    """One row per one-way PyPSA link: existing and expansion parts, both directions; the
    capital cost annualised at the interconnector ``rate``."""
    links = inputs.links.copy()
    links["efficiency"] = eco.link_efficiency(inputs, links)
    links["capital_cost"] = eco.link_capital_cost(inputs, links, rate) * years
    links["carrier"] = np.where(links["type"].str.startswith("hvdc"), "DC", "AC")
    parts = []
    existing = links[links["p_nom_mw"] > 0]
    expand = links[buildable(links, scenario)]
    if not scenario.expansion:
        expand = expand.iloc[:0]
    for frame, new, reverse in [
        (existing, False, False),
        (existing, False, True),
        (expand, True, False),
        (expand, True, True),
    ]:
        part = pd.DataFrame(
            {
                "corridor": frame.index,
                "new": new,
                "reverse": reverse,
                "bus0": frame["bus1" if reverse else "bus0"].values,
                "bus1": frame["bus0" if reverse else "bus1"].values,
                "efficiency": frame["efficiency"].values,
                "carrier": frame["carrier"].values,
                "p_nom": 0.0 if new else frame["p_nom_mw"].values,
                "p_nom_max": (frame["p_nom_max_mw"] - frame["p_nom_mw"]).values if new else np.inf,
                "capital_cost": frame["capital_cost"].values if new and not reverse else 0.0,
            },
            index=corridor_part_name(frame.index, new, reverse),
        )
        parts.append(part)
    return pd.concat(parts)


def add_links(
    n: pypsa.Network, inputs: Inputs, scenario: Scenario, years: float, rate: float
) -> None:
    """Every corridor as one-way parts (see :func:`corridor_parts`); the rules that tie
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
        p_nom_extendable=parts["new"],
        p_nom_max=parts["p_nom_max"],
        capital_cost=parts["capital_cost"],
        p_min_pu=0.0,
        corridor=parts["corridor"],
        reverse=parts["reverse"],
        new=parts["new"],
    )
