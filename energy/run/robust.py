"""Scenario ``robust``: one investment plan against K weather years, and what it is worth.

1. **Per-year optima** (wait-and-see): each weather year sized on its own.
2. **Robust plan**: the two-stage stochastic problem of :mod:`energy.model.stochastic` (one
   set of capacities, one dispatch per year, weighted by the years' probabilities; CVaR
   optional).
3. **Reference plan**: one single-year plan — of the mean weather year (the expected-value
   problem) or of the design year, per ``robust.reference``.
4. **Evaluation**: every plan's capacities fixed and re-dispatched on every year (load
   shedding at the scenario's value of lost load, or
   :data:`energy.run.diagnose.VOLL_EUR_PER_MWH`, keeps a plan that is too small feasible).

Cost of a plan in a year = its capital cost + the operating cost of that year's dispatch.
``evpi`` = E[cost of the robust plan] − E[per-year optimum] (what knowing the weather in
advance would save) and ``vss`` = E[cost of the reference plan] − E[cost of the robust plan]
(what planning for several years saves over planning for one); both ≥ 0 when risk-neutral.
``regret.csv`` holds every (plan, year) cost and its regret against that year's optimum.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import hashlib
import logging
import multiprocessing
import os
import time
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pypsa

from energy.config.scenario import Scenario, load_scenario
from energy.data.inputs import Inputs
from energy.errors import SolveError
from energy.logs import run_log
from energy.model.network import build_network
from energy.model.solve import optimize
from energy.model.stochastic import add_cvar, stack_years
from energy.paths import DEFAULT_INPUTS, results_folder
from energy.results.extract import extract
from energy.results.folder import Results, staging_folder, write_metadata, write_results
from energy.run.diagnose import SHORTFALL_EUR_PER_MWH, VOLL_EUR_PER_MWH
from energy.run.hourly_check import COMPONENTS, fix_capacities
from energy.run.pipeline import prepare_inputs, versions

logger = logging.getLogger("energy")
ROBUST = "robust"
EXTRA_TABLES = ("regret", "weather_scenarios", "plan_capacities")


PLAN_COLUMNS = ["carrier", "p_nom", "p_nom_opt", "p_nom_extendable", "capital_cost"]


@dataclasses.dataclass
class Plan:
    """What is kept of a solved plan: the capacities of its extendable components (by
    component class, :data:`PLAN_COLUMNS`) and its objective (EUR)."""

    capacities: dict[str, pd.DataFrame]
    objective_eur: float

    @classmethod
    def of(cls, n: pypsa.Network) -> Plan:
        """The plan of a solved network."""
        capacities = {}
        for component in COMPONENTS:
            static = n.c[component].static
            capacities[component] = static.loc[static["p_nom_extendable"], PLAN_COLUMNS].copy()
        return cls(capacities, float(n.objective))

    def optimum(self) -> dict[str, pd.Series]:
        """``p_nom_opt`` by component class, for :func:`fix_capacities`."""
        return {c: table["p_nom_opt"] for c, table in self.capacities.items()}


def capital_cost_eur(plan: Plan) -> float:
    """Capital cost of the new capacity of a plan (EUR, modelled share of a year): on
    p_nom_opt − p_nom, as the objective charges it (the existing capacity of an extendable
    component is sunk, PyPSA's objective constant)."""
    return sum(
        float((t["capital_cost"] * (t["p_nom_opt"] - t["p_nom"])).sum())
        for t in plan.capacities.values()
    )


def year_label(year: int) -> str:
    """``year-03`` for weather year 3 (the folder name under inputs/weather/)."""
    return f"year-{year:02d}"


def mean_inputs(inputs: Sequence[Inputs], probabilities: Sequence[float]) -> Inputs:
    """Inputs whose profiles are the probability-weighted hourly mean of the years'."""
    profiles = {
        carrier: sum(p * i.profiles[carrier] for i, p in zip(inputs, probabilities))
        for carrier in inputs[0].profiles
    }
    return inputs[0].replace(profiles=profiles)


def solved(
    n: pypsa.Network, scenario: Scenario, what: str, keep_model: bool = False, **options
) -> pypsa.Network:
    """Optimise ``n`` in place; SolveError naming ``what`` if it is not optimal. The linopy
    model is dropped unless ``keep_model`` (the solution stays on ``n``; memory at scale)."""
    report = optimize(n, scenario, **options)
    if not report.optimal:
        raise SolveError(f"scenario {scenario.name}: {what}: {report.condition}", report)
    if not keep_model:
        n._model = None
    return n


@dataclasses.dataclass
class Job:
    """One independent solve of the analysis, run in a worker process: a plan (``plan`` is
    None: optimise the year; else re-dispatch the plan on it)."""

    label: str
    year: int | None
    inputs: Inputs
    scenario: Scenario
    plan: Plan | None = None
    with_kpis: bool = False


def run_job(job: Job) -> tuple[str, int | None, Plan | float, pd.DataFrame | None]:
    """Solve one job: an optimum returns its :class:`Plan`; an evaluation returns the plan's
    cost in that year (EUR: its capital cost + the year's operating cost) and, if asked,
    the dispatch KPIs."""
    n = build_network(job.inputs, job.scenario)
    if job.plan is None:
        return job.label, job.year, Plan.of(solved(n, job.scenario, job.label)), None
    fix_capacities(n, job.plan.optimum())
    penalty = SHORTFALL_EUR_PER_MWH if job.scenario.export_target_twh is not None else None
    what = f"plan {job.label} on weather year {job.year}"
    solved(n, job.scenario, what, keep_model=True, export_shortfall_penalty=penalty)
    kpis = extract(n, job.inputs, job.scenario, {}).kpis if job.with_kpis else None
    return job.label, job.year, capital_cost_eur(job.plan) + float(n.objective), kpis


def run_jobs(jobs: list[Job], workers: int) -> list[tuple]:
    """Every job, in ``workers`` processes (one HiGHS thread each) or in this process."""
    if workers <= 1 or len(jobs) <= 1:
        return [run_job(job) for job in jobs]
    one_thread = [dataclasses.replace(job, scenario=with_threads(job.scenario, 1)) for job in jobs]
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(run_job, one_thread))


def with_threads(scenario: Scenario, threads: int) -> Scenario:
    """``scenario`` solved with ``threads`` HiGHS threads."""
    return scenario.model_copy(
        update={"solver": scenario.solver.model_copy(update={"threads": threads})}
    )


def plan_capacities(plans: dict[str, Plan]) -> pd.DataFrame:
    """``plan, component, name, carrier, added_mw``: the new capacity of every plan (above the
    existing ``p_nom`` of an extendable component)."""
    rows = [
        pd.DataFrame(
            {
                "plan": label,
                "component": component,
                "name": table.index,
                "carrier": table["carrier"].values,
                "added_mw": (table["p_nom_opt"] - table["p_nom"]).values,
            }
        )
        for label, plan in plans.items()
        for component, table in plan.capacities.items()
    ]
    return pd.concat(rows, ignore_index=True)


def regret_table(
    costs: dict[tuple[str, int], float], probabilities: dict[int, float]
) -> pd.DataFrame:
    """``plan, weather_year, probability, cost_eur, optimum_eur, regret_eur`` (tidy)."""
    df = pd.DataFrame(
        [(plan, year, cost) for (plan, year), cost in costs.items()],
        columns=["plan", "weather_year", "cost_eur"],
    )
    df["probability"] = df["weather_year"].map(probabilities)
    df["optimum_eur"] = df["weather_year"].map(
        {y: costs[(year_label(y), y)] for y in probabilities}
    )
    df["regret_eur"] = df["cost_eur"] - df["optimum_eur"]
    return df[["plan", "weather_year", "probability", "cost_eur", "optimum_eur", "regret_eur"]]


def expected(regret: pd.DataFrame, plan: str) -> float:
    """Probability-weighted cost of ``plan`` over the weather years (EUR)."""
    rows = regret[regret["plan"] == plan]
    return float((rows["probability"] * rows["cost_eur"]).sum())


def value_kpis(regret: pd.DataFrame, reference: str, objective: float, k: int) -> pd.DataFrame:
    """``weather_scenarios``, ``evpi``, ``vss`` and the expected costs behind them."""
    optima = regret.drop_duplicates("weather_year")
    wait_and_see = float((optima["probability"] * optima["optimum_eur"]).sum())
    robust, ref = expected(regret, ROBUST), expected(regret, reference)
    worst = regret[regret["plan"] == ROBUST]["regret_eur"].max()
    rows = [
        ("weather_scenarios", float(k), "count"),
        ("evpi", robust - wait_and_see, "EUR"),
        ("vss", ref - robust, "EUR"),
        ("expected_cost_robust", robust, "EUR"),
        ("expected_cost_reference", ref, "EUR"),
        ("expected_cost_wait_and_see", wait_and_see, "EUR"),
        ("robust_objective", objective, "EUR"),
        ("max_regret_robust", float(worst), "EUR"),
    ]
    return pd.DataFrame(rows, columns=["kpi", "value", "unit"])


def scenario_kpis(dispatched: dict[int, pd.DataFrame]) -> pd.DataFrame:
    """``weather_year, kpi, value, unit``: the robust plan's dispatch KPIs in every year."""
    frames = [kpis.assign(weather_year=year) for year, kpis in dispatched.items()]
    return pd.concat(frames, ignore_index=True)[["weather_year", "kpi", "value", "unit"]]


def robust_workers() -> int:
    """Processes for the independent solves: ``GREEN_CORRIDOR_WORKERS`` or the CPU count
    (at most 2 by default: every HiPO solve is memory-bound beyond that)."""
    return max(1, int(os.environ.get("GREEN_CORRIDOR_WORKERS", min(2, os.cpu_count() or 1))))


def solve_all(
    scenario: Scenario, inputs: dict[int, Inputs], reference: Inputs
) -> tuple[pypsa.Network, dict[str, pd.DataFrame], pd.DataFrame]:
    """Every solve of the analysis: the per-year and reference optima and the evaluations
    in parallel processes, the stochastic problem here. Returns the robust network, the
    extra tables and the KPIs to add."""
    spec = scenario.robust
    years, weights = list(spec.weather_years), spec.weights
    # every solve may shed load at the same value of lost load, so that costs compare
    voll = scenario.load_shedding_eur_per_mwh or VOLL_EUR_PER_MWH
    single = scenario.model_copy(
        update={"robust": None, "weather_year": None, "load_shedding_eur_per_mwh": voll}
    )
    workers = robust_workers()
    clock = time.perf_counter()
    timings: dict[str, float] = {}
    ref_label = f"reference-{spec.reference}"
    logger.info("robust: the optimum of each weather year alone and of the %s", ref_label)
    optima = [Job(year_label(y), y, inputs[y], single) for y in years]
    optima.append(Job(ref_label, None, reference, single))
    plans: dict[str, Plan] = {label: plan for label, _, plan, _ in run_jobs(optima, workers)}
    timings["per_year_optima_s"] = time.perf_counter() - clock
    logger.info("robust: one plan against %d weather years %s", len(years), years)
    stacked = stack_years([build_network(inputs[y], single) for y in years], weights)
    cvar = (lambda n: add_cvar(n, spec.cvar_alpha, spec.cvar_weight)) if spec.cvar_weight else None
    solved(stacked, single, "stochastic problem", keep_model=True, extend=cvar)
    plans[ROBUST] = Plan.of(stacked)
    timings["stochastic_s"] = time.perf_counter() - clock - sum(timings.values())
    costs = {(year_label(y), y): plans[year_label(y)].objective_eur for y in years}
    evaluations = [
        Job(label, y, inputs[y], single, plan, with_kpis=label == ROBUST)
        for label, plan in plans.items()
        for y in years
        if label != year_label(y)  # a year's own optimum: its cost is its objective
    ]
    logger.info("robust: %d plan evaluations in %d process(es)", len(evaluations), workers)
    dispatched = {}
    for label, y, cost, kpis in run_jobs(evaluations, workers):
        costs[(label, y)] = cost
        if label == ROBUST:
            dispatched[y] = kpis
    timings["evaluations_s"] = time.perf_counter() - clock - sum(timings.values())
    regret = regret_table(costs, dict(zip(years, weights)))
    tables = {
        "regret": regret,
        "weather_scenarios": scenario_kpis(dispatched),
        "plan_capacities": plan_capacities(plans),
    }
    kpis = value_kpis(regret, ref_label, float(stacked.objective), len(years))
    stacked.meta["timings"] = timings | {"workers": workers}
    return stacked, tables, kpis


def robust_inputs_hash(inputs: dict[int, Inputs], reference: Inputs) -> str:
    """SHA-256 over the inputs hashes of every weather year and of the reference."""
    parts = [inputs[y].hash() for y in sorted(inputs)] + [reference.hash()]
    return hashlib.sha256("".join(parts).encode()).hexdigest()


def robust_inputs(scenario: Scenario, inputs_dir: Path | str) -> tuple[dict[int, Inputs], Inputs]:
    """Validated inputs of every weather year and of the reference (raises InputError)."""
    single = scenario.model_copy(update={"robust": None, "weather_year": None})
    years = scenario.robust.weather_years
    inputs = {
        y: prepare_inputs(single.model_copy(update={"weather_year": y}), inputs_dir) for y in years
    }
    if scenario.robust.reference == "design":
        return inputs, prepare_inputs(single, inputs_dir)
    return inputs, mean_inputs([inputs[y] for y in years], scenario.robust.weights)


def run_robust(
    scenario: Scenario | str | Path,
    out: Path | str | None = None,
    inputs_dir: Path | str = DEFAULT_INPUTS,
    write: bool = True,
    solver_log_to_console: bool = False,
    check_hourly: bool = False,  # noqa: ARG001 (the signature of run_scenario)
) -> Results:
    """Size one plan against the scenario's weather years; write its results folder (the
    tables of the robust plan are probability-weighted over the years) with ``regret.csv``,
    ``weather_scenarios.csv`` and ``plan_capacities.csv``. Same contract as
    :func:`energy.run.pipeline.run_scenario` (``check_hourly`` is not supported here)."""
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    if scenario.robust is None:
        raise ValueError(f"scenario {scenario.name} has no 'robust' settings")
    start = time.perf_counter()
    inputs, reference = robust_inputs(scenario, inputs_dir)
    first = inputs[scenario.robust.weather_years[0]]
    folder = Path(out) if out is not None else results_folder(scenario.name)

    def analyse() -> tuple[Results, pypsa.Network]:
        stacked, tables, kpis = solve_all(scenario, inputs, reference)
        timings = stacked.meta["timings"] | {"total_s": time.perf_counter() - start}
        meta = metadata_for_robust(
            scenario, robust_inputs_hash(inputs, reference), stacked, timings
        )
        results = extract(stacked, first, scenario, meta).with_kpis(kpis)
        results.tables.update(tables)
        return results, stacked

    if not write:
        return analyse()[0]
    with staging_folder(folder) as staging, run_log(staging):
        results, stacked = analyse()
        write_results(results, stacked, staging)
        for name in EXTRA_TABLES:
            results.tables[name].to_csv(staging / f"{name}.csv", index=False)
        write_metadata(results.metadata, staging)
    return results


def metadata_for_robust(
    scenario: Scenario, inputs_hash: str, n: pypsa.Network, timings: dict
) -> dict:
    """``metadata.json`` of a robust run (the stacked problem's size and objective)."""
    return {
        "scenario": scenario.model_dump(mode="json"),
        "scenario_hash": scenario.digest(),
        "inputs_hash": inputs_hash,
        "resolution": scenario.resolution,
        "snapshots": len(n.snapshots),
        "objective_eur": float(n.objective),
        "weather_years": list(scenario.robust.weather_years),
        "probabilities": list(scenario.robust.weights),
        "versions": versions(),
        "timings": timings,
    }
