"""Explain an infeasible scenario in domain terms.

The scenario is solved again with priced slack: load shedding at every domestic node at a
very high value of lost load, and (with an export target) a penalised shortfall. Whatever
slack the relaxed optimum uses is what the original scenario could not deliver.
"""

from __future__ import annotations

import logging

from energy.config.scenario import Scenario
from energy.data.inputs import Inputs
from energy.model.naming import load_shedding_generators
from energy.model.network import build_network
from energy.model.solve import optimize
from energy.model.timeseries import modelled_years

logger = logging.getLogger(__name__)

VOLL_EUR_PER_MWH = 1e5
SHORTFALL_EUR_PER_MWH = 1e4
MIN_MW = 1.0


def unserved_demand(n) -> list[str]:
    """'node UZ cannot meet its demand in 212 hours: missing up to 1,840 MW (0.4 TWh)'."""
    gens = n.c.generators.static
    shed = load_shedding_generators(n)
    p = n.c.generators.dynamic["p"][shed]
    hours = n.snapshot_weightings["generators"]
    messages = []
    for name in shed:
        short = p[name] > MIN_MW
        if short.any():
            messages.append(
                f"node {gens.at[name, 'bus']} cannot meet its demand in "
                f"{hours[short].sum():,.0f} hours: missing up to {p[name].max():,.0f} MW "
                f"({(p[name] * hours).sum() * 1e-6:,.2f} TWh)"
            )
    return messages


def export_shortfall(n, scenario: Scenario) -> list[str]:
    """'export target 30.0 TWh exceeds what the corridor can deliver …', or nothing."""
    if "export_shortfall" not in n.model.variables:
        return []
    short_twh = float(n.model["export_shortfall"].solution) * 1e-6
    years = modelled_years(n)
    if short_twh * 1e6 < MIN_MW:
        return []
    target = scenario.export_target_twh
    rule = " as green power" if scenario.green_export.enabled else ""
    return [
        f"export target {target:,.1f} TWh exceeds what the corridor can deliver{rule} "
        f"(at most {target - short_twh / years:,.1f} TWh per year)"
    ]


def explain_infeasibility(inputs: Inputs, scenario: Scenario) -> list[str]:
    """Reasons, in the user's terms, why ``scenario`` has no feasible solution."""
    relaxed = scenario.model_copy(update={"load_shedding_eur_per_mwh": VOLL_EUR_PER_MWH})
    n = build_network(inputs, relaxed)
    report = optimize(n, relaxed, export_shortfall_penalty=SHORTFALL_EUR_PER_MWH)
    if not report.optimal:
        return [
            "it stays infeasible even with load shedding and a soft export target "
            f"(condition '{report.condition}'); check the CO2 cap and the inputs"
        ]
    reasons = export_shortfall(n, scenario) + unserved_demand(n)
    if scenario.co2_cap_mt is not None and reasons:
        reasons.append(f"(with the CO2 cap of {scenario.co2_cap_mt:g} Mt in force)")
    return reasons or [
        "the relaxed problem needs no slack: the infeasibility is numerical; "
        "try another solver method"
    ]


__all__ = ["explain_infeasibility"]
