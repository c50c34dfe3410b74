"""Hourly check of an aggregated plan: fix the capacities found at the scenario's resolution
and re-dispatch every hour of the window.

The re-dispatch has no investment decisions, so it is a much easier LP. Load shedding (at a
high value of lost load) and, with an export target, a penalised export shortfall keep it
feasible; what they take is what the plan lacks hour by hour.
"""

from __future__ import annotations

import logging

import pandas as pd
import pypsa

from energy.config.scenario import Scenario
from energy.data.inputs import Inputs
from energy.model.naming import export_generators, load_shedding_generators
from energy.model.network import build_network
from energy.model.solve import optimize
from energy.run.diagnose import SHORTFALL_EUR_PER_MWH, VOLL_EUR_PER_MWH

logger = logging.getLogger(__name__)
COMPONENTS = ("Generator", "StorageUnit", "Link")


def operating_cost(n: pypsa.Network) -> float:
    """Objective without the capital cost of new capacity: fuel, O&M, CO2, minus revenue."""
    capex = sum(
        float(
            (n.c[c].static["capital_cost"] * n.c[c].static["p_nom_opt"])[
                n.c[c].static["p_nom_extendable"]
            ].sum()
        )
        for c in COMPONENTS
    )
    return float(n.objective) - capex


def exported_twh(n: pypsa.Network) -> float:
    """Energy the markets bought, TWh."""
    p = n.c.generators.dynamic["p"][export_generators(n)]
    return float(-p.sum(axis=1).mul(n.snapshot_weightings["generators"]).sum()) * 1e-6


def fix_capacities(hourly: pypsa.Network, planned: pypsa.Network) -> None:
    """Copy the planned optimum capacities and make every component non-extendable."""
    for component in COMPONENTS:
        static = hourly.c[component].static
        extendable = static.index[static["p_nom_extendable"]]
        optimum = planned.c[component].static["p_nom_opt"].reindex(extendable).fillna(0.0)
        static.loc[extendable, "p_nom"] = optimum.clip(lower=0.0)
        static.loc[extendable, "p_nom_extendable"] = False


def hourly_check(inputs: Inputs, scenario: Scenario, planned: pypsa.Network) -> pd.DataFrame:
    """Re-dispatch the plan hourly; returns a ``kpi,value,unit`` table of the differences."""
    hourly_scenario = scenario.model_copy(
        update={
            "resolution": "1h",
            "load_shedding_eur_per_mwh": scenario.load_shedding_eur_per_mwh or VOLL_EUR_PER_MWH,
        }
    )
    n = build_network(inputs, hourly_scenario)
    fix_capacities(n, planned)
    logger.info(
        "hourly check: re-dispatching %d hours with the planned capacities", len(n.snapshots)
    )
    report = optimize(n, hourly_scenario, export_shortfall_penalty=SHORTFALL_EUR_PER_MWH)
    if not report.optimal:
        raise RuntimeError(f"hourly check did not solve: {report.condition}")
    shed = load_shedding_generators(n)
    shed_mwh = (
        n.c.generators.dynamic["p"][shed].sum(axis=1).mul(n.snapshot_weightings["generators"]).sum()
    )
    penalties = float(shed_mwh) * VOLL_EUR_PER_MWH
    shortfall_twh = 0.0
    if "export_shortfall" in n.model.variables:
        shortfall_twh = float(n.model["export_shortfall"].solution) * 1e-6
        penalties += shortfall_twh * 1e6 * SHORTFALL_EUR_PER_MWH
    planned_cost, hourly_cost = operating_cost(planned), operating_cost(n) - penalties
    planned_export, hourly_export = exported_twh(planned), exported_twh(n)
    rows = [
        ("hourly_check_operating_cost_planned", planned_cost, "EUR"),
        ("hourly_check_operating_cost_hourly", hourly_cost, "EUR"),
        ("hourly_check_cost_difference", hourly_cost - planned_cost, "EUR"),
        (
            "hourly_check_cost_difference_rel",
            (hourly_cost - planned_cost) / abs(float(planned.objective)),
            "share of objective",
        ),
        ("hourly_check_unserved_energy", float(shed_mwh) * 1e-6, "TWh"),
        ("hourly_check_export_hourly", hourly_export, "TWh"),
        (
            "hourly_check_export_shortfall",
            shortfall_twh
            if scenario.export_target_twh is not None
            else max(planned_export - hourly_export, 0.0),
            "TWh",
        ),
        ("hourly_check_solve_s", report.solve_s, "s"),
    ]
    return pd.DataFrame(rows, columns=["kpi", "value", "unit"])
