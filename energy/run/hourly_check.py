"""Hourly check of an aggregated plan: fix the capacities found at the scenario's resolution
and re-dispatch every hour of the window.

The re-dispatch has no investment decisions, so it is a much easier LP. Load shedding (at a
high value of lost load) and, with an export target, a penalised export shortfall keep it
feasible; what they take is what the plan lacks hour by hour.

A long window is re-dispatched with a rolling horizon (:func:`windowed_dispatch`): two-week
windows solved one after another, each a day longer than what it keeps (the overlap), the
state of charge at the end of one window handed to the next; with the method ``auto`` the
windows are solved by dual simplex (a dispatch LP of two weeks: measured 2.5 s against
12 s with HiPO). The weeks form ``workers`` chains solved
in parallel processes; a chain starts from the plan's state of charge at its first hour.
Annual rules (export target, CO2 cap) couple all hours: such scenarios are re-dispatched as
one LP.
"""

from __future__ import annotations

import concurrent.futures
import logging
import multiprocessing
import time

import numpy as np
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
WINDOW_H = 336  # hours kept from each window
OVERLAP_H = 24  # hours solved beyond them, then dropped
WORKERS = 2


def operating_cost(n: pypsa.Network) -> float:
    """Objective without the capital cost of new capacity: fuel, O&M, CO2, minus revenue.

    The objective charges new capacity only (existing capacity of an extendable component,
    its ``p_nom``, is PyPSA's objective constant), so the capex is on p_nom_opt − p_nom."""
    capex = sum(
        float(
            (n.c[c].static["capital_cost"] * (n.c[c].static["p_nom_opt"] - n.c[c].static["p_nom"]))[
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


def optimum_capacities(planned: pypsa.Network) -> dict[str, pd.Series]:
    """``p_nom_opt`` of every component class of a solved network (MW)."""
    return {component: planned.c[component].static["p_nom_opt"] for component in COMPONENTS}


def fix_capacities(hourly: pypsa.Network, optimum: dict[str, pd.Series]) -> None:
    """Set the planned optimum capacities (by component class, :func:`optimum_capacities`)
    and make every component non-extendable."""
    for component in COMPONENTS:
        static = hourly.c[component].static
        extendable = static.index[static["p_nom_extendable"]]
        planned = optimum[component].reindex(extendable).fillna(0.0)
        static.loc[extendable, "p_nom"] = planned.clip(lower=0.0)
        static.loc[extendable, "p_nom_extendable"] = False


def windows(hours: int, window_h: int, overlap_h: int) -> list[tuple[int, int, int]]:
    """(first hour, end of kept hours, end of solved hours) of each window."""
    starts = np.arange(0, hours, window_h)
    kept = np.minimum(starts + window_h, hours)
    solved = np.minimum(kept + overlap_h, hours)
    return list(zip(starts.tolist(), kept.tolist(), solved.tolist()))


def chains(spans: list[tuple[int, int, int]], count: int) -> list[list[tuple[int, int, int]]]:
    """``spans`` in ``count`` contiguous groups of nearly equal length."""
    groups = np.array_split(np.arange(len(spans)), min(count, len(spans)))
    return [[spans[i] for i in group] for group in groups]


def plan_state_of_charge(planned: pypsa.Network, at: pd.Timestamp) -> pd.Series:
    """The plan's state of charge before hour ``at`` (its last snapshot before it; for the
    first hour of the window, the plan's last snapshot, as storage is cyclic)."""
    soc = planned.c.storage_units.dynamic["state_of_charge"]
    if soc.empty:
        return pd.Series(dtype=float)
    before = soc.index[soc.index < at]
    return soc.loc[before[-1] if len(before) else soc.index[-1]]


DISPATCH = {"Generator": ("p",), "StorageUnit": ("p", "p_dispatch", "p_store", "state_of_charge")}
DISPATCH_LINKS = ("p0", "p1")


def dispatch_chain(
    n: pypsa.Network,
    scenario: Scenario,
    spans: list[tuple[int, int, int]],
    soc: pd.Series,
    soc_end: pd.Series,
) -> dict:
    """Solve the windows of one chain in turn, handing the state of charge on, the last
    hour held at ``soc_end`` (where the next chain starts; storage is cyclic over the year);
    return the kept hours' dispatch (frames by component and attribute) and solver time."""
    units = n.c.storage_units.static
    units["cyclic_state_of_charge"] = False
    if not units.empty:
        last = n.snapshots[spans[-1][1] - 1]
        fixed = pd.DataFrame(np.nan, index=n.snapshots, columns=units.index)
        fixed.loc[last] = soc_end.reindex(units.index).to_numpy()
        n.c.storage_units.dynamic["state_of_charge_set"] = fixed
    kept: dict[tuple[str, str], list[pd.DataFrame]] = {}
    solve_s = 0.0
    for first, end, solved_end in spans:
        if not units.empty:
            units["state_of_charge_initial"] = soc.reindex(units.index).fillna(0.0)
        report = optimize(
            n,
            scenario,
            export_shortfall_penalty=SHORTFALL_EUR_PER_MWH,
            snapshots=n.snapshots[first:solved_end],
        )
        if not report.optimal:
            raise RuntimeError(f"hourly check window {first}–{end} h: {report.condition}")
        solve_s += report.solve_s
        hours = n.snapshots[first:end]
        for component, attrs in (*DISPATCH.items(), ("Link", DISPATCH_LINKS)):
            for attr in attrs:
                frame = n.c[component].dynamic[attr]
                kept.setdefault((component, attr), []).append(frame.loc[hours].copy())
        if not units.empty:
            soc = n.c.storage_units.dynamic["state_of_charge"].loc[hours[-1]]
    frames = {key: pd.concat(parts) for key, parts in kept.items()}
    return {"frames": frames, "solve_s": solve_s}


def windowed_dispatch(
    n: pypsa.Network,
    scenario: Scenario,
    planned: pypsa.Network,
    window_h: int = WINDOW_H,
    overlap_h: int = OVERLAP_H,
    workers: int = WORKERS,
) -> float:
    """Re-dispatch ``n`` (capacities fixed) window by window, chains in parallel; the
    dispatch is written to ``n``'s time series. Returns the summed solver time, s."""
    groups = chains(windows(len(n.snapshots), window_h, overlap_h), workers)
    if scenario.solver.method == "auto":
        solver = scenario.solver.model_copy(update={"method": "simplex"})
        scenario = scenario.model_copy(update={"solver": solver})
    starts = [plan_state_of_charge(planned, n.snapshots[g[0][0]]) for g in groups]
    ends = starts[1:] + starts[:1]
    if len(groups) == 1:
        results = [dispatch_chain(n, scenario, groups[0], starts[0], ends[0])]
    else:
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(len(groups), mp_context=context) as pool:
            results = list(
                pool.map(
                    dispatch_chain,
                    [n] * len(groups),
                    [scenario] * len(groups),
                    groups,
                    starts,
                    ends,
                )
            )
    for (component, attr), _ in results[0]["frames"].items():
        frame = pd.concat([r["frames"][(component, attr)] for r in results]).sort_index()
        n.c[component].dynamic[attr] = frame.reindex(n.snapshots)
    return sum(r["solve_s"] for r in results)


def dispatch_cost(n: pypsa.Network) -> float:
    """Σ_t w_t · marginal cost · dispatch of generators, storage units and links, EUR (the
    operating part of the objective, read from the time series)."""
    w = n.snapshot_weightings["objective"]
    total = 0.0
    for component, attr in (("Generator", "p"), ("StorageUnit", "p_dispatch"), ("Link", "p0")):
        power = n.c[component].dynamic[attr]
        if power.shape[1] == 0:
            continue
        cost = n.get_switchable_as_dense(component, "marginal_cost")[power.columns]
        total += float((power * cost).mul(w, axis=0).sum().sum())
    return total


def rolling(scenario: Scenario, hours: int, window_h: int) -> bool:
    """True when the re-dispatch may be split into windows: no annual rule couples the hours
    and the window is longer than one window."""
    return hours > window_h and scenario.export_target_twh is None and scenario.co2_cap_mt is None


def hourly_check(
    inputs: Inputs,
    scenario: Scenario,
    planned: pypsa.Network,
    window_h: int = WINDOW_H,
    overlap_h: int = OVERLAP_H,
    workers: int = WORKERS,
) -> pd.DataFrame:
    """Re-dispatch the plan hourly; returns a ``kpi,value,unit`` table of the differences."""
    hourly_scenario = scenario.model_copy(
        update={
            "resolution": "1h",
            "load_shedding_eur_per_mwh": scenario.load_shedding_eur_per_mwh or VOLL_EUR_PER_MWH,
        }
    )
    n = build_network(inputs, hourly_scenario)
    fix_capacities(n, optimum_capacities(planned))
    logger.info(
        "hourly check: re-dispatching %d hours with the planned capacities", len(n.snapshots)
    )
    start = time.perf_counter()
    shortfall_twh = 0.0
    if rolling(scenario, len(n.snapshots), window_h):
        solve_s = windowed_dispatch(n, hourly_scenario, planned, window_h, overlap_h, workers)
        gross_cost = dispatch_cost(n)
    else:
        report = optimize(n, hourly_scenario, export_shortfall_penalty=SHORTFALL_EUR_PER_MWH)
        if not report.optimal:
            raise RuntimeError(f"hourly check did not solve: {report.condition}")
        solve_s = report.solve_s
        gross_cost = operating_cost(n)
        if "export_shortfall" in n.model.variables:
            shortfall_twh = float(n.model["export_shortfall"].solution) * 1e-6
    wall_s = time.perf_counter() - start
    shed = load_shedding_generators(n)
    shed_mwh = (
        n.c.generators.dynamic["p"][shed].sum(axis=1).mul(n.snapshot_weightings["generators"]).sum()
    )
    penalties = float(shed_mwh) * VOLL_EUR_PER_MWH + shortfall_twh * 1e6 * SHORTFALL_EUR_PER_MWH
    planned_cost, hourly_cost = operating_cost(planned), gross_cost - penalties
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
        ("hourly_check_solve_s", solve_s, "s"),
        ("hourly_check_wall_s", wall_s, "s"),
    ]
    return pd.DataFrame(rows, columns=["kpi", "value", "unit"])
