"""What a case changes in the linopy model and what it measures: the link's size (one link, a
sum 'a+b', or its capacity in service in a pathway's period) fixed, or minimised / maximised
within a cost bound; then the figures an analysis reads from the solved network — objective,
the link's capacity, use and congestion rent, exports, the landing market's value and the dual
of a fixed size (:func:`measure`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from energy.config.scenario import Scenario
from energy.data.inputs import Inputs

if TYPE_CHECKING:
    from energy.analysis.cases import Case

TWH = 1e-6
FIXED = "analysis_fixed_size"
BOUND = "analysis_cost_bound"


def parts_of(link: str) -> list[str]:
    """The links meant by ``link``: one name, or several joined by '+' (their sum)."""
    return link.split("+")


def forward_parts(n: Any, link: str, period: int | None = None) -> pd.Series:
    """Forward parts of ``link`` (in service in ``period`` of a pathway), True where new."""
    static = n.c.links.static
    mine = (static["corridor"] == link) & ~static["reverse"].astype(bool)
    if period is not None:
        mine &= n.components["Link"].get_active_assets(period).reindex(static.index)
    return static.loc[mine, "p_nom_extendable"].astype(bool)


def forward_new_part(n: Any, link: str) -> str:
    """Name of the (first) expansion part of ``link`` in its own direction."""
    parts = forward_parts(n, link)
    return str(parts.index[parts][0])


def link_size(n: Any, link: str, period: int | None = None) -> tuple[Any, float]:
    """The link's capacity (the sum of its parts' for 'a+b') as (linopy expression of the new
    capacity, existing MW): in one year the expansion part (existing capacity included where
    the lean model folds it in); in a pathway's period the copies in service then plus that
    period's existing capacity."""
    parts = pd.concat([forward_parts(n, name, period) for name in parts_of(link)])
    new, fixed = parts.index[parts], parts.index[~parts]
    if period is None:
        existing = float(n.c.links.static.loc[fixed, "p_nom"].sum())
    else:
        own = pd.Series(n.meta["period_p_nom"]["Link"][str(period)], dtype=float)
        source = pd.Series(n.meta["units"]["Link"]).reindex(fixed)
        existing = float(source.map(own).fillna(0.0).sum())
    return n.model["Link-p_nom"].sel(name=new.tolist()).sum(), existing


def apply_action(n: Any, case: Case) -> None:
    """Add the case's change to the linopy model of ``n`` (after the corridor rules)."""
    action = case.action
    if action.kind == "optimum":
        return
    m = n.model
    size, existing = link_size(n, case.link, case.period)
    if action.kind == "fix":
        m.add_constraints(size == action.size_mw - existing, name=FIXED)
        return
    m.add_constraints(m.objective.expression <= action.bound_eur, name=BOUND)
    m.add_objective(1.0 * size, overwrite=True, sense=action.sense)


def solve_model(n: Any, scenario: Scenario) -> tuple[str, str]:
    """Solve the model of ``n`` with the scenario's HiGHS settings and a run's fallbacks."""
    from energy.model.solve import chosen_method, solve_with_fallbacks, solver_options

    options = solver_options(scenario, chosen_method(scenario, n.model.nvars))
    return solve_with_fallbacks(n, options)


# ------------------------------------------------------------------ the figures of a case


def market_level(inputs: Inputs, scenario: Scenario, market: str) -> float:
    """The price of the first export step of ``market`` in the scenario, EUR/MWh."""
    from energy.model.markets import market_steps

    steps = market_steps(inputs, scenario)
    steps = steps[(steps["node"] == market) & (steps["direction"] == "export")]
    return float(steps["price_eur_per_mwh"].iloc[0]) if len(steps) else float("nan")


def market_revenue(n: Any, inputs: Inputs, scenario: Scenario, market: str) -> float:
    """What ``market`` pays for the exports it buys in a solved (single-year) network, EUR."""
    from energy.model.markets import step_prices
    from energy.model.naming import export_generators

    at_market = export_generators(n, (market,))
    p = n.c.generators.dynamic["p"][at_market]
    price = step_prices(inputs, scenario, n.snapshots)[at_market]
    return float(-(p * price).mul(n.snapshot_weightings["generators"], axis=0).sum().sum())


def flows(n: Any, inputs: Inputs, scenario: Scenario, case: Case) -> dict[str, float]:
    """The link's capacity, use and rent, exports and the landing market's revenue of a
    solved single-year network (or a pathway period's view of one)."""
    from energy.model.naming import export_generators
    from energy.model.timeseries import modelled_years
    from energy.results.extract import links_table

    w = n.snapshot_weightings["generators"]
    p = n.c.generators.dynamic["p"]
    exports = export_generators(n)
    at_market = export_generators(n, (case.market,))
    parts = parts_of(case.link)
    rows = links_table(n, inputs).set_index("link").loc[parts]
    capacity = float(rows["optimal_mw"].sum())
    used = float((rows["utilisation"] * rows["optimal_mw"]).sum())
    single = len(parts) == 1  # a sum of links has no one capital cost
    capex = n.c.links.static.at[forward_new_part(n, parts[0]), "capital_cost"] if single else np.nan
    return {
        "capacity_mw": capacity,
        "export_twh": float(-p[exports].mul(w, axis=0).sum().sum()) * TWH,
        "export_market_twh": float(-p[at_market].mul(w, axis=0).sum().sum()) * TWH,
        "revenue_eur": market_revenue(n, inputs, scenario, case.market),
        "utilisation": used / capacity if capacity > 0 else 0.0,
        "congestion_rent_eur": float(rows["congestion_rent_eur"].sum()),
        "capex_eur_per_mw": float(capex),
        "years": modelled_years(n),
    }


def pathway_flows(n: Any, inputs: Inputs, case: Case) -> dict[str, float]:
    """:func:`flows` in the case's period (per modelled year of it), with the market's revenue
    over the whole pathway and the years in objective units (each period × its objective
    weighting), so that the dual and the market value per MW stay comparable for the
    break-even price."""
    from energy.model.pathway import inputs_for_period, scenario_for_period
    from energy.results.periods import period_view

    weight = n.investment_period_weightings["objective"]
    revenue = 0.0
    for period in map(int, n.investment_periods):
        single = scenario_for_period(case.scenario, period)
        view, own_inputs = period_view(n, period), inputs_for_period(inputs, period)
        if period == case.period:
            own = flows(view, own_inputs, single, case)
        revenue += float(weight[period]) * market_revenue(view, own_inputs, single, case.market)
    own["revenue_eur"] = revenue
    own["years"] = float(weight[case.period])  # the period's years, discounted
    own["capex_eur_per_mw"] *= own["years"]
    return own


def period_level(inputs: Inputs, scenario: Scenario, market: str, period: int | None) -> float:
    """:func:`market_level` of the scenario, or of its ``period`` for a pathway."""
    from energy.model.pathway import inputs_for_period, scenario_for_period

    if period is None:
        return market_level(inputs, scenario, market)
    single = scenario_for_period(scenario, period)
    return market_level(inputs_for_period(inputs, period), single, market)


def measure(n: Any, inputs: Inputs, case: Case, cost: Any) -> dict[str, float]:
    """The figures of a solved case (energies and money over the modelled period; in a
    pathway's period per modelled year of it, money in the pathway's objective units)."""
    if case.period is None:
        figures = flows(n, inputs, case.scenario, case)
    else:
        figures = pathway_flows(n, inputs, case)
    level = period_level(inputs, case.scenario, case.market, case.period)
    constraints = n.model.constraints
    figures["objective_eur"] = float(cost.solution.sum())
    figures["market_value_mwh"] = figures.pop("revenue_eur") / level
    figures["dual_eur_per_mw"] = float(constraints[FIXED].dual) if FIXED in constraints else np.nan
    return figures
