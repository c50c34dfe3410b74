"""Optimise a corridor network with HiGHS through linopy (direct API, no LP file)."""

from __future__ import annotations

import dataclasses
import logging
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import highspy
import pandas as pd
import pypsa

from energy.config.scenario import Scenario
from energy.model.constraints import add_corridor_constraints
from energy.model.lean import rows_to_bounds

logger = logging.getLogger(__name__)

METHOD_OPTIONS = {
    "hipo": {"solver": "hipo", "run_crossover": "off"},
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

    @property
    def optimal(self) -> bool:
        """True when the solver status is 'ok' and the condition 'optimal'."""
        return self.status == "ok" and self.condition == "optimal"


AUTO_HIPO_MIN_VARIABLES = 20_000
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
    options.update(scenario.solver.options)
    return options


def build_model(
    n: pypsa.Network,
    scenario: Scenario,
    solver_dir: str | None = None,
    export_shortfall_penalty: float | None = None,
    snapshots: pd.Index | None = None,
) -> None:
    """The linopy model of ``n`` with the corridor rules, single-variable rows as bounds.

    The objective constant is PyPSA's capital cost of the existing capacity of extendable
    components (the corridors' ``p_nom_min``): sunk, so taken out of ``n.objective``."""
    n.optimize.create_model(
        snapshots=snapshots, include_objective_constant=True, solver_dir=solver_dir
    )
    add_corridor_constraints(n, scenario, export_shortfall_penalty)
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
        status, condition = n.optimize.solve_model(
            solver_name="highs",
            solver_options=options,
            io_api="direct",
            log_fn=str(log_file) if log_file else None,
            log_to_console=log_to_console,
        )
        if condition not in FINAL and options.get("run_crossover") == "off":
            # an interior-point run that stalls short of optimality (seen once with HiPO on
            # one thread, condition 'unknown') is finished by crossover
            logger.warning("solver ended '%s'; solving again with crossover", condition)
            status, condition = n.optimize.solve_model(
                solver_name="highs",
                solver_options=options | {"run_crossover": "on"},
                io_api="direct",
                log_fn=str(log_file) if log_file else None,
                log_to_console=log_to_console,
            )
    solved = time.perf_counter()
    info = n.model.solver_model.getInfo() if n.model.solver_model is not None else None
    objective = float(n.model.objective.value) if status == "ok" else float("nan")
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
    )
    logger.info(
        "solver: %s / %s in %.1f s, objective %.6e EUR",
        status,
        condition,
        report.solve_s,
        objective,
    )
    return report
