"""The corridor LP written directly in Pyomo from :class:`LPData`, solved with HiGHS (appsi).

Variables (MW unless noted; t = snapshot, w_t its hours):

- ``p[g,t]`` generation; fixed units ``p_min_pu·p_nom ≤ p ≤ p_max_pu·p_nom``, candidates
  ``0 ≤ p ≤ p_max_pu·cap[g]``;
- ``sale[k,t] ∈ [0, max_mw]`` traded with market step k: bought by the market (export
  steps, sign −1) or sold by it into its bus (import steps, sign +1); ``shed[n,t] ≥ 0``
  unserved load;
- ``flow[c,d,t] ≥ 0`` sent into corridor c in direction d (0: bus0→bus1, 1: back), arriving
  × efficiency; the two directions together stay within one capacity ``p_nom[c] + new[c]``
  (the expansion tie holds by construction);
- battery per node: ``dis, ch ≤ p_nom + new``, ``soc ≤ max_hours·(p_nom + new)``, cyclic
  ``soc_t = soc_{t-1} + w_t (η ch_t − dis_t/η)``;
- green export: ``0 ≤ green[c,d,t] ≤ flow[c,d,t]`` and at every bus
  ``Σ eligible p + Σ η·green_in − Σ green_out − Σ sale ≥ 0``;
- trade schedules: ``Σ_t w_t flow[c,d,t] ≤ max`` and ``Σ_t w_t (flow[c,d,t] − flow[c,1−d,t])
  ≥ min`` (MWh for the modelled share of a year);
- export seasons: at a bus with one, in every snapshot of another month
  ``Σ_out flow − Σ_in η·flow ≤ 0`` (no net exports; transit stays free), and in every
  snapshot ``Σ p of its existing thermal units ≤ residual`` (load less its existing RES
  available, at least 0).

Objective: Σ_t w_t (Σ mc·p + VoLL·shed + Σ_k sign_k·price_{k,t}·sale) + Σ capital_cost·(new
capacity), price_{k,t} the step's price × its market's hourly shape.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections import defaultdict

import numpy as np
import pandas as pd
import pyomo.environ as pyo
from pyomo.contrib.appsi.base import TerminationCondition
from pyomo.contrib.appsi.solvers import Highs

from energy.validation.crosscheck.data import LPData

HIGHS_OPTIONS = {"solver": "ipm", "run_crossover": "on"}


def grid(frame: pd.DataFrame) -> dict[tuple, float]:
    """A snapshot × column frame as {(column, t): value}."""
    values = frame.to_numpy(dtype=float)
    return dict(zip(itertools.product(frame.columns, range(values.shape[0])), values.T.ravel()))


def by_bus(labels: pd.Index, buses: pd.Series) -> dict[str, list]:
    """Group ``labels`` by bus: {bus: [label, ...]}."""
    groups: dict[str, list] = defaultdict(list)
    for label, bus in zip(labels, buses):
        groups[bus].append(label)
    return groups


def add_sets(m: pyo.ConcreteModel, d: LPData) -> None:
    """Add the index sets: snapshots, buses, units, market steps, corridors, batteries."""
    m.T = pyo.RangeSet(0, len(d.snapshots) - 1)
    m.B = pyo.Set(initialize=list(d.buses))
    m.G = pyo.Set(initialize=list(d.units.index))
    m.GX = pyo.Set(initialize=list(d.units.index[d.units["extendable"]]))
    m.K = pyo.Set(initialize=list(d.markets.index))
    m.C = pyo.Set(initialize=list(d.corridors.index))
    m.D = pyo.Set(initialize=[0, 1])
    m.S = pyo.Set(initialize=list(d.storage.index))
    m.N = pyo.Set(initialize=list(d.load.columns) if d.voll is not None else [])


def add_params(m: pyo.ConcreteModel, d: LPData) -> None:
    """Add the parameters: weights (h), availability, demand (MW), capacities, costs, prices."""
    m.w = pyo.Param(m.T, initialize=dict(enumerate(d.weights)))
    m.p_max_pu = pyo.Param(m.G, m.T, initialize=grid(d.p_max_pu))
    must_run = grid(d.p_min_pu)
    m.p_min_pu = pyo.Param(
        m.G, m.T, initialize={k: v for k, v in must_run.items() if v}, default=0.0
    )
    m.demand = pyo.Param(m.B, m.T, initialize=grid(d.load), default=0.0)
    u, c, s = d.units, d.corridors, d.storage
    m.p_nom = pyo.Param(m.G, initialize=u["p_nom"].to_dict())
    m.mc = pyo.Param(m.G, initialize=u["marginal_cost"].to_dict())
    m.co2 = pyo.Param(m.G, initialize=u["co2"].to_dict())
    m.cc = pyo.Param(m.GX, initialize=u.loc[list(m.GX), "capital_cost"].to_dict())
    m.eta = pyo.Param(m.C, initialize=c["efficiency"].to_dict())
    m.link_nom = pyo.Param(m.C, initialize=c["p_nom"].to_dict())
    m.link_cc = pyo.Param(m.C, initialize=c["capital_cost"].to_dict())
    m.sto_nom = pyo.Param(m.S, initialize=s["p_nom"].to_dict())
    m.sto_cc = pyo.Param(m.S, initialize=s["capital_cost"].to_dict())
    m.price = pyo.Param(m.K, m.T, initialize=grid(d.market_prices))


def finite(value: float) -> float | None:
    """``value`` as a float, or None (no bound) if it is not finite."""
    return None if not np.isfinite(value) else float(value)


def add_variables(m: pyo.ConcreteModel, d: LPData) -> None:
    """Add the variables (MW; state of charge MWh) with their bounds.
    Fixed units are bounded by must-run and availability × p_nom; candidates by ``cap``."""
    u = d.units
    fixed = set(u.index[~u["extendable"]])
    m.p = pyo.Var(
        m.G,
        m.T,
        bounds=lambda m, g, t: (
            (m.p_min_pu[g, t] * m.p_nom[g], m.p_max_pu[g, t] * m.p_nom[g])
            if g in fixed
            else (0.0, None)
        ),
    )
    m.cap = pyo.Var(m.GX, bounds=lambda m, g: (0.0, finite(u.at[g, "p_nom_max"])))
    m.sale = pyo.Var(m.K, m.T, bounds=lambda m, k, t: (0.0, d.markets.at[k, "max_mw"]))
    m.shed = pyo.Var(m.N, m.T, bounds=(0.0, None))
    m.flow = pyo.Var(m.C, m.D, m.T, bounds=(0.0, None))
    m.new = pyo.Var(m.C, bounds=lambda m, c: (0.0, float(d.corridors.at[c, "new_max"])))
    m.dis = pyo.Var(m.S, m.T, bounds=(0.0, None))
    m.ch = pyo.Var(m.S, m.T, bounds=(0.0, None))
    m.soc = pyo.Var(m.S, m.T, bounds=(0.0, None))
    m.sto_new = pyo.Var(m.S, bounds=lambda m, s: (0.0, finite(d.storage.at[s, "new_max"])))


def add_capacity_limits(m: pyo.ConcreteModel, d: LPData) -> None:
    """Add capacity limits (candidates, corridors, batteries) and the cyclic battery balance.
    Both directions of a corridor share one capacity."""
    hours = d.storage["max_hours"].to_dict()
    eff = d.storage["efficiency"].to_dict()
    m.gen_cap = pyo.Constraint(
        m.GX, m.T, rule=lambda m, g, t: m.p[g, t] <= m.p_max_pu[g, t] * m.cap[g]
    )
    m.flow_cap = pyo.Constraint(
        m.C, m.T, rule=lambda m, c, t: m.flow[c, 0, t] + m.flow[c, 1, t] <= m.link_nom[c] + m.new[c]
    )
    m.dis_cap = pyo.Constraint(
        m.S, m.T, rule=lambda m, s, t: m.dis[s, t] <= m.sto_nom[s] + m.sto_new[s]
    )
    m.ch_cap = pyo.Constraint(
        m.S, m.T, rule=lambda m, s, t: m.ch[s, t] <= m.sto_nom[s] + m.sto_new[s]
    )
    m.soc_cap = pyo.Constraint(
        m.S, m.T, rule=lambda m, s, t: m.soc[s, t] <= hours[s] * (m.sto_nom[s] + m.sto_new[s])
    )
    last = len(d.snapshots) - 1
    m.soc_balance = pyo.Constraint(
        m.S,
        m.T,
        rule=lambda m, s, t: (
            m.soc[s, t]
            == m.soc[s, t - 1 if t else last]
            + m.w[t] * (eff[s] * m.ch[s, t] - m.dis[s, t] / eff[s])
        ),
    )


def ends(d: LPData) -> tuple[dict, dict]:
    """(bus -> [(corridor, direction) arriving], bus -> [(corridor, direction) leaving])."""
    c = d.corridors
    into, out = defaultdict(list), defaultdict(list)
    for name, bus0, bus1 in zip(c.index, c["bus0"], c["bus1"]):
        out[bus0].append((name, 0))
        into[bus1].append((name, 0))
        out[bus1].append((name, 1))
        into[bus0].append((name, 1))
    return into, out


def add_balances(m: pyo.ConcreteModel, d: LPData) -> None:
    """Add the power balance of every bus and snapshot (imports arrive × corridor efficiency)."""
    gens = by_bus(d.units.index, d.units["node"])
    stores = by_bus(d.storage.index, pd.Series(d.storage.index))
    trades = by_bus(d.markets.index, d.markets["node"])
    sign = d.markets["sign"].to_dict()
    into, out = ends(d)
    shed = set(m.N)

    def balance(m, b, t):
        terms = (
            [m.p[g, t] for g in gens[b]]
            + [m.dis[s, t] - m.ch[s, t] for s in stores[b]]
            + [m.eta[c] * m.flow[c, k, t] for c, k in into[b]]
            + [-m.flow[c, k, t] for c, k in out[b]]
            + [sign[k] * m.sale[k, t] for k in trades[b]]
            + ([m.shed[b, t]] if b in shed else [])
        )
        if not terms:
            return pyo.Constraint.Skip
        return pyo.quicksum(terms) == m.demand[b, t]

    m.balance = pyo.Constraint(m.B, m.T, rule=balance)


def add_green_export(m: pyo.ConcreteModel, d: LPData) -> None:
    """Exports traced to eligible renewables along links that carry at least as much."""
    m.green = pyo.Var(m.C, m.D, m.T, bounds=(0.0, None))
    m.green_within_flow = pyo.Constraint(
        m.C, m.D, m.T, rule=lambda m, c, k, t: m.green[c, k, t] <= m.flow[c, k, t]
    )
    pool = d.units[d.units["green"]]
    eligible = by_bus(pool.index, pool["node"])
    green_sales = d.markets[d.markets["green"]]  # purchases the rule covers (EU, TR)
    sales = by_bus(green_sales.index, green_sales["node"])
    into, out = ends(d)

    def matching(m, b, t):
        terms = (
            [m.p[g, t] for g in eligible[b]]
            + [m.eta[c] * m.green[c, k, t] for c, k in into[b]]
            + [-m.green[c, k, t] for c, k in out[b]]
            + [-m.sale[k, t] for k in sales[b]]
        )
        return pyo.quicksum(terms) >= 0 if terms else pyo.Constraint.Skip

    m.green_matching = pyo.Constraint(m.B, m.T, rule=matching)


def add_schedules(m: pyo.ConcreteModel, d: LPData) -> None:
    """Annual trade schedules: one direction's flow at most ``max_mwh``; its flow minus the
    flow the other way at least ``min_mwh``."""

    def sent(c: str, k: int):
        return pyo.quicksum(d.weights[t] * m.flow[c, k, t] for t in m.T)

    m.schedules = pyo.ConstraintList()
    for c, k, low, high in d.schedules.itertuples(index=False):
        if np.isfinite(high):
            m.schedules.add(sent(c, k) <= high)
        if np.isfinite(low):
            m.schedules.add(sent(c, k) - sent(c, 1 - k) >= low)


def add_export_seasons(m: pyo.ConcreteModel, d: LPData) -> None:
    """No net exports from a bus with an export season in the snapshots of other months;
    its existing thermal units serve at most its residual load."""
    into, out = ends(d)
    months = d.snapshots.month

    def net_exports(m, b, t):
        first, last = d.seasons.at[b, "first_month"], d.seasons.at[b, "last_month"]
        if first <= months[t] <= last:
            return pyo.Constraint.Skip
        sent = pyo.quicksum(m.flow[c, k, t] for c, k in out[b])
        taken = pyo.quicksum(m.eta[c] * m.flow[c, k, t] for c, k in into[b])
        return sent - taken <= 0

    m.export_season = pyo.Constraint(list(d.seasons.index), m.T, rule=net_exports)
    fixed = d.units[d.units["thermal"] & ~d.units["extendable"]]
    thermal = by_bus(fixed.index, fixed["node"])

    def residual(m, b, t):
        if not thermal[b]:
            return pyo.Constraint.Skip
        return (
            pyo.quicksum(m.p[g, t] for g in thermal[b])
            <= d.residual.iat[t, d.residual.columns.get_loc(b)]
        )

    m.thermal_residual = pyo.Constraint(list(d.seasons.index), m.T, rule=residual)


def add_objective(m: pyo.ConcreteModel, d: LPData) -> None:
    """Set the objective: minimise operating, shedding, import and capital cost less export
    revenue, EUR."""
    w = d.weights
    costly = [g for g in m.G if m.mc[g] != 0]
    opex = pyo.quicksum(w[t] * m.mc[g] * m.p[g, t] for g in costly for t in m.T)
    sign = d.markets["sign"].to_dict()
    trade = pyo.quicksum(
        w[t] * sign[k] * m.price[k, t] * m.sale[k, t] for k in m.K for t in m.T if m.price[k, t]
    )
    shed = pyo.quicksum(w[t] * d.voll * m.shed[n, t] for n in m.N for t in m.T)
    capex = (
        pyo.quicksum(m.cc[g] * m.cap[g] for g in m.GX)
        + pyo.quicksum(m.link_cc[c] * m.new[c] for c in m.C if d.corridors.at[c, "new_max"] > 0)
        + pyo.quicksum(m.sto_cc[s] * m.sto_new[s] for s in m.S)
    )
    m.objective = pyo.Objective(expr=opex + shed + trade + capex, sense=pyo.minimize)


def exports(d: LPData) -> list[str]:
    """The export steps (markets buying from the corridor)."""
    return list(d.markets.index[d.markets["sign"] < 0])


def emissions(m: pyo.ConcreteModel, d: LPData):
    """Weighted CO2 of all generation, t (an expression)."""
    return pyo.quicksum(d.weights[t] * m.co2[g] * m.p[g, t] for g in m.G if m.co2[g] for t in m.T)


def build_model(d: LPData) -> pyo.ConcreteModel:
    """The complete LP as a Pyomo ConcreteModel."""
    m = pyo.ConcreteModel(name="corridor")
    add_sets(m, d)
    add_params(m, d)
    add_variables(m, d)
    add_capacity_limits(m, d)
    add_balances(m, d)
    if d.green_export:
        add_green_export(m, d)
    if d.co2_cap_t is not None:
        m.co2_cap = pyo.Constraint(expr=emissions(m, d) <= d.co2_cap_t)
    if d.export_target_mwh is not None:
        sold = pyo.quicksum(d.weights[t] * m.sale[k, t] for k in exports(d) for t in m.T)
        m.export_target = pyo.Constraint(expr=sold == d.export_target_mwh)
    add_schedules(m, d)
    add_export_seasons(m, d)
    add_objective(m, d)
    return m


@dataclasses.dataclass
class PyomoSolution:
    """Outcome of the Pyomo solve: optimal or not, condition, objective (EUR), timings (s)."""

    optimal: bool
    condition: str
    objective_eur: float
    handoff_s: float
    solve_s: float


def solve_model(m: pyo.ConcreteModel, options: dict | None = None) -> PyomoSolution:
    """Hand the model to HiGHS through appsi and solve it (solution loaded into ``m``)."""
    opt = Highs()
    opt.highs_options = dict(HIGHS_OPTIONS if options is None else options)
    start = time.perf_counter()
    opt.set_instance(m)
    handed = time.perf_counter()
    opt.config.load_solution = False
    result = opt.solve(m)
    solved = time.perf_counter()
    optimal = result.termination_condition == TerminationCondition.optimal
    if optimal:
        result.solution_loader.load_vars()
    return PyomoSolution(
        optimal=optimal,
        condition=str(result.termination_condition.name),
        objective_eur=float(result.best_feasible_objective) if optimal else float("nan"),
        handoff_s=handed - start,
        solve_s=solved - handed,
    )


def summary(m: pyo.ConcreteModel, d: LPData) -> dict[str, float]:
    """Key results: corridor capacities (MW), new capacity by carrier (MW), CO2 (t), exports."""
    out: dict[str, float] = {}
    for c in d.corridors.index[d.corridors["candidate"]]:
        out[f"capacity {c}"] = float(d.corridors.at[c, "p_nom"] + pyo.value(m.new[c]))
    new = pd.Series({g: pyo.value(m.cap[g]) for g in m.GX}, dtype=float)
    for carrier, mw in new.groupby(d.units.loc[new.index, "carrier"]).sum().items():
        out[f"new {carrier}"] = float(mw)
    if len(m.S):
        out["new battery"] = float(sum(pyo.value(m.sto_new[s]) for s in m.S))
    out["co2 t"] = float(pyo.value(emissions(m, d)))
    out["exports MWh"] = float(
        sum(d.weights[t] * pyo.value(m.sale[k, t]) for k in exports(d) for t in m.T)
    )
    return out
