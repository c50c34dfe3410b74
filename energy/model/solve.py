"""Optimise a corridor network with HiGHS through linopy (direct API, no LP file)."""

from __future__ import annotations

import dataclasses
import logging
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import highspy
import numpy as np
import pandas as pd
import pypsa

from energy.config.scenario import Scenario
from energy.model import constraints as rules
from energy.model.lean import rows_to_bounds
from energy.model.pathway import is_multi_period
from energy.model.pathway_rules import add_pathway_constraints
from energy.model.security import define_n_minus_1
from energy.model.storage_linking import define_storage_linking, restore_state_of_charge

logger = logging.getLogger(__name__)

METHOD_OPTIONS = {
    # block size 32 instead of HiPO's 128: 5-8 % faster on base and high-price at 3h, same
    # iterations and objective (docs/benchmarks.md, "Threads, parallelism and block size")
    "hipo": {"solver": "hipo", "run_crossover": "off", "hipo_block_size": 32},
    "ipm": {"solver": "ipx", "run_crossover": "off"},
    "simplex": {"solver": "simplex"},
    "pdlp": {"solver": "pdlp"},
    "choose": {},
}


@dataclasses.dataclass
class SolveReport:
    """Outcome of one HiGHS solve: status, condition, objective (EUR), iterations, timings (s)."""

    status: str
    condition: str
    objective_eur: float
    solver: str
    method: str
    highs_version: str
    ipm_iterations: int
    simplex_iterations: int
    build_s: float
    solve_s: float
    variables: int = 0
    constraints: int = 0
    nonzeros: int = 0
    mip: bool = False
    mip_gap: float | None = None
    mip_bound_eur: float | None = None

    @property
    def optimal(self) -> bool:
        """True when the solver status is 'ok' and the condition 'optimal'."""
        return self.status == "ok" and self.condition == "optimal"

    @property
    def best_found(self) -> bool:
        """A MILP stopped at its time limit with a feasible solution (not proven optimal)."""
        return (
            self.mip
            and self.condition == "time_limit"
            and self.mip_gap is not None
            and np.isfinite(self.objective_eur)
        )


AUTO_HIPO_MIN_VARIABLES = 20_000
MIP_LP_SOLVER = {"hipo": "hipo", "ipm": "ipx", "simplex": "simplex"}  # method -> HiGHS option
FINAL = {"optimal", "infeasible", "infeasible_or_unbounded", "unbounded", "time_limit"}


def chosen_method(scenario: Scenario, n_variables: int) -> str:
    """The HiGHS method to use; 'auto' means HiPO from 20,000 variables on, dual simplex below."""
    method = scenario.solver.method
    if method == "auto":
        return "hipo" if n_variables >= AUTO_HIPO_MIN_VARIABLES else "simplex"
    return method


def solver_options(scenario: Scenario, method: str) -> dict:
    """HiGHS options for ``method`` plus the scenario's threads, time limit and raw options."""
    options = dict(METHOD_OPTIONS[method])
    if scenario.solver.threads:
        options["threads"] = scenario.solver.threads
    if scenario.solver.time_limit_s is not None:
        options["time_limit"] = float(scenario.solver.time_limit_s)
    options["mip_rel_gap"] = float(scenario.solver.mip_gap)
    options.update(scenario.solver.options)
    return options


def solve_with_fallbacks(n: pypsa.Network, options: dict, **kwargs) -> tuple[str, str]:
    """Solve the model of ``n`` with HiGHS ``options``; an interior-point run that ends short
    of a final status is solved again with crossover (seen once with HiPO on one thread,
    condition 'unknown'), and a HiPO run that still fails with IPX and crossover (HiPO's
    'Solve error' on an MGA case of high-price at days:12, which IPX and simplex solve)."""
    status, condition = n.optimize.solve_model(
        solver_name="highs", solver_options=options, io_api="direct", **kwargs
    )
    if condition not in FINAL and options.get("run_crossover") == "off":
        logger.warning("solver ended '%s'; solving again with crossover", condition)
        options = options | {"run_crossover": "on"}
        status, condition = n.optimize.solve_model(
            solver_name="highs", solver_options=options, io_api="direct", **kwargs
        )
    if condition not in FINAL and options.get("solver") == "hipo":
        logger.warning("HiPO ended '%s'; solving again with IPX and crossover", condition)
        ipx = {k: v for k, v in options.items() if not k.startswith("hipo")}
        status, condition = n.optimize.solve_model(
            solver_name="highs",
            solver_options=ipx | {"solver": "ipx", "run_crossover": "on"},
            io_api="direct",
            **kwargs,
        )
    return status, condition


def add_rules(
    n: pypsa.Network, scenario: Scenario, export_shortfall_penalty: float | None = None
) -> None:
    """The corridor rules (:mod:`.constraints`; the pathway's own tie and shared-capacity
    rules on a multi-period network), the optional N-1 reserve rule and, for ``linked-days``,
    storage linked across the year."""
    define_storage_linking(n)
    if is_multi_period(n):
        add_pathway_constraints(n, scenario.n_minus_1)
        rules.define_green_export(n, scenario)
    else:
        rules.add_corridor_constraints(n, scenario, export_shortfall_penalty)
    define_n_minus_1(n, scenario)


def has_primal(info: object) -> bool:
    """HiGHS found a feasible (primal) solution (primal_solution_status 2)."""
    return info is not None and int(getattr(info, "primal_solution_status", 0) or 0) == 2


def build_model(
    n: pypsa.Network,
    scenario: Scenario,
    solver_dir: str | None = None,
    export_shortfall_penalty: float | None = None,
    snapshots: pd.Index | None = None,
    objective_constant: bool = True,
) -> None:
    """The linopy model of ``n`` with the corridor rules, single-variable rows as bounds.

    The objective constant is PyPSA's capital cost of the existing capacity of extendable
    components (the corridors' ``p_nom_min``): sunk, so taken out of ``n.objective``
    (``objective_constant=False`` leaves it out of the model's objective instead)."""
    n.optimize.create_model(
        snapshots=snapshots,
        include_objective_constant=objective_constant,
        solver_dir=solver_dir,
        multi_investment_periods=is_multi_period(n),
    )
    add_rules(n, scenario, export_shortfall_penalty)
    rows_to_bounds(n.model)


def optimize(
    n: pypsa.Network,
    scenario: Scenario,
    log_file: Path | None = None,
    log_to_console: bool = False,
    export_shortfall_penalty: float | None = None,
    snapshots: pd.Index | None = None,
    extend: Callable[[pypsa.Network], None] | None = None,
) -> SolveReport:
    """Build the linopy model (of ``snapshots`` only, if given), add the corridor rules (and
    ``extend``'s additions, e.g. a CVaR objective), solve; the solution is on ``n``."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="energy-linopy-") as solver_dir:
        build_model(n, scenario, solver_dir, export_shortfall_penalty, snapshots)
        if extend is not None:
            extend(n)
        built = time.perf_counter()
        logger.info(
            "model: %d variables, %d constraints (%.1f s)",
            n.model.nvars,
            n.model.ncons,
            built - start,
        )
        method = chosen_method(scenario, n.model.nvars)
        options = solver_options(scenario, method)
        if n.model.type.startswith("MI"):
            # branch and bound: the chosen LP method solves the relaxations (HiPO 2.7× faster
            # than HiGHS's choice on modular at days:24, same plan); no crossover setting
            options = {k: v for k, v in options.items() if k not in ("solver", "run_crossover")}
            if method in MIP_LP_SOLVER:
                options = {"mip_lp_solver": MIP_LP_SOLVER[method]} | options
            method = f"branch-and-bound ({method})"
        status, condition = solve_with_fallbacks(
            n,
            options,
            log_fn=str(log_file) if log_file else None,
            log_to_console=log_to_console,
        )
    solved = time.perf_counter()
    if status == "ok":
        restore_state_of_charge(n)
    info = n.model.solver_model.getInfo() if n.model.solver_model is not None else None
    mip = n.model.type.startswith("MI")
    if mip:  # a MILP has no duals: no prices rather than the zeros PyPSA leaves
        n.c.buses.dynamic["marginal_price"] = pd.DataFrame(
            np.nan, index=n.snapshots, columns=n.c.buses.static.index
        )
    solved_mip = mip and condition == "time_limit" and has_primal(info)
    objective = float(n.model.objective.value) if status == "ok" or solved_mip else float("nan")
    report = SolveReport(
        status=status,
        condition=condition,
        objective_eur=objective,
        solver="highs",
        method=method,
        highs_version=highspy.Highs().version(),
        ipm_iterations=int(getattr(info, "ipm_iteration_count", 0) or 0),
        simplex_iterations=int(getattr(info, "simplex_iteration_count", 0) or 0),
        build_s=built - start,
        solve_s=solved - built,
        variables=int(n.model.nvars),
        constraints=int(n.model.ncons),
        nonzeros=int(n.model.solver_model.getNumNz()) if n.model.solver_model is not None else 0,
        mip=mip,
        mip_gap=float(info.mip_gap) if mip and info is not None else None,
        mip_bound_eur=float(info.mip_dual_bound) if mip and info is not None else None,
    )
    logger.info(
        "solver: %s / %s in %.1f s, objective %.6e EUR",
        status,
        condition,
        report.solve_s,
        objective,
    )
    return report
