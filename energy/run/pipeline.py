"""One run, end to end: inputs → network → optimise → results → files.

``run_scenario`` is the single entry point used by the CLI, sweeps, tests and notebooks.
Inputs are validated before anything is written; results go to a staging folder that replaces
the results folder only when the whole run succeeded. A failed solve leaves the results folder
as it was and writes ``<folder>.failed.json`` (status, message) and ``<folder>.failed.log``.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import platform
import time
from pathlib import Path

import pypsa

from energy.config.scenario import Scenario, load_scenario
from energy.data.inputs import Inputs, load_inputs, plausibility_warnings
from energy.data.overrides import apply_overrides
from energy.data.weather import weather_profile_files
from energy.errors import InputError, SolveError
from energy.logs import run_log
from energy.model.network import build_network
from energy.model.solve import SolveReport
from energy.model.stages import optimize_in_modules
from energy.paths import DEFAULT_INPUTS, results_folder
from energy.results.extract import extract
from energy.results.folder import Results, staging_folder, write_metadata, write_results
from energy.run.diagnose import explain_infeasibility
from energy.run.hourly_check import hourly_check

logger = logging.getLogger("energy")
PACKAGES = (
    "green-corridor",
    "pypsa",
    "linopy",
    "highspy",
    "pandas",
    "numpy",
    "xarray",
    "pydantic",
    "tsam",
)


def versions() -> dict[str, str]:
    """Versions of Python and of the packages that shape a result."""
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def prepare_inputs(scenario: Scenario, inputs_dir: Path | str) -> Inputs:
    """Load, validate and override the inputs (raises InputError; writes nothing)."""
    weather = (
        weather_profile_files(inputs_dir, scenario.weather_year)
        if scenario.weather_year is not None
        else None
    )
    inputs = apply_overrides(load_inputs(inputs_dir, weather), scenario)
    for warning in plausibility_warnings(inputs, scenario.period):
        logger.warning("check: %s", warning)
    return inputs


def failure_message(scenario: Scenario, report: SolveReport, inputs: Inputs) -> str:
    """Say what went wrong in the user's terms, diagnosing infeasibility by a relaxed re-solve."""
    head = f"scenario {scenario.name}: "
    if report.condition == "time_limit":
        return (
            head + f"stopped at the time limit ({scenario.solver.time_limit_s:g} s) before "
            "the solution was proven optimal; no results written"
        )
    if report.condition in ("infeasible", "infeasible_or_unbounded"):
        logger.info("infeasible: re-solving with priced slack to find what has to give")
        reasons = explain_infeasibility(inputs, scenario)
        return head + "infeasible — " + "; ".join(reasons)
    return head + f"solver ended with status '{report.status}', condition '{report.condition}'"


def solve(
    inputs: Inputs, scenario: Scenario, log_folder: Path | None, log_to_console: bool
) -> tuple[pypsa.Network, SolveReport, dict]:
    """Build the network and optimise it; return network, solve report and timings (s).
    Raises SolveError, with a diagnosis of what went wrong, if the solve is not optimal."""
    t0 = time.perf_counter()
    logger.info("building network (period %s, resolution %s)", scenario.period, scenario.resolution)
    n = build_network(inputs, scenario)
    t1 = time.perf_counter()
    logger.info("optimising %d snapshots with HiGHS (%s)", len(n.snapshots), scenario.solver.method)
    solved = optimize_in_modules(
        n, scenario, log_folder / "highs.log" if log_folder else None, log_to_console=log_to_console
    )
    n, report = solved.network, solved.report
    if report.best_found:
        logger.warning(
            "time limit reached: best solution found written, MIP gap %.3g (not proven optimal)",
            report.mip_gap,
        )
    elif not report.optimal:
        raise SolveError(failure_message(scenario, report, inputs), report)
    return (
        n,
        report,
        {"network_s": t1 - t0, "model_build_s": report.build_s, "solve_s": report.solve_s},
    )


def metadata_for(
    scenario: Scenario, inputs: Inputs, n: pypsa.Network, report: SolveReport, timings: dict
) -> dict:
    """The content of ``metadata.json``: scenario, hashes, solver outcome, versions, timings."""
    return {
        "scenario": scenario.model_dump(mode="json"),
        "scenario_hash": scenario.digest(),
        "inputs_hash": inputs.hash(),
        "resolution": scenario.resolution,
        "snapshots": len(n.snapshots),
        "status": report.status,
        "condition": report.condition,
        "objective_eur": report.objective_eur,
        "optimal": report.optimal,
        "mip_gap": report.mip_gap,
        "mip_bound_eur": report.mip_bound_eur,
        "solver": {
            "name": report.solver,
            "method": report.method,
            "highs_version": report.highs_version,
            "ipm_iterations": report.ipm_iterations,
            "simplex_iterations": report.simplex_iterations,
            "variables": report.variables,
            "constraints": report.constraints,
            "nonzeros": report.nonzeros,
        },
        "versions": versions(),
        "machine": {"platform": platform.platform(), "processor": platform.machine()},
        "timings": timings,
    }


def failure_files(folder: Path) -> tuple[Path, Path]:
    """Paths of the ``<folder>.failed.json`` record and ``<folder>.failed.log`` of a failed run."""
    return folder.with_name(folder.name + ".failed.json"), folder.with_name(
        folder.name + ".failed.log"
    )


def record_failure(folder: Path, staging: Path, scenario: Scenario, err: SolveError) -> None:
    """Keep status, message and logs of a failed run beside (not in) the results folder."""
    record, log = failure_files(folder)
    record.write_text(
        json.dumps(
            {
                "scenario": scenario.name,
                "status": err.report.status,
                "condition": err.report.condition,
                "message": str(err),
                "scenario_hash": scenario.digest(),
            },
            indent=2,
        )
    )
    with log.open("w", encoding="utf-8") as out:
        for name in ("run.log", "highs.log"):
            if (staging / name).exists():
                out.write(f"===== {name} =====\n{(staging / name).read_text()}\n")


def with_hourly_check(
    results: Results, inputs: Inputs, scenario: Scenario, n: pypsa.Network
) -> Results:
    """Append the hourly re-dispatch of the plan to the KPIs."""
    check = hourly_check(inputs, scenario, n)
    results.metadata["hourly_check"] = dict(zip(check["kpi"], check["value"]))
    return results.with_kpis(check)


def run_scenario(
    scenario: Scenario | str | Path,
    out: Path | str | None = None,
    inputs_dir: Path | str = DEFAULT_INPUTS,
    write: bool = True,
    solver_log_to_console: bool = False,
    check_hourly: bool = False,
) -> Results:
    """Optimise one scenario and (unless ``write=False``) write its results folder.

    A scenario with ``robust`` settings goes to :func:`energy.run.robust.run_robust`.
    ``out`` defaults to ``results/<scenario name>``. Raises InputError for invalid inputs
    (nothing written) and :class:`SolveError` if the solve is not optimal (the results folder
    is left as it was).
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    if scenario.robust is not None:  # one plan against several weather years
        from energy.run.robust import run_robust

        return run_robust(scenario, out, inputs_dir, write, solver_log_to_console)
    if check_hourly and scenario.periods:
        raise InputError(
            [
                f"scenario {scenario.name}: the hourly check re-dispatches one year; it is not "
                "available for a pathway (scenario field 'periods')"
            ]
        )
    start = time.perf_counter()
    logger.info("scenario %s: loading inputs from %s", scenario.name, inputs_dir)
    inputs = prepare_inputs(scenario, inputs_dir)
    timings = {"inputs_s": time.perf_counter() - start}
    if not write:
        n, report, solve_timings = solve(inputs, scenario, None, solver_log_to_console)
        results = extract(
            n, inputs, scenario, metadata_for(scenario, inputs, n, report, timings | solve_timings)
        )
        return with_hourly_check(results, inputs, scenario, n) if check_hourly else results
    folder = Path(out) if out is not None else results_folder(scenario.name)
    with staging_folder(folder) as staging, run_log(staging):
        try:
            logger.info("inputs valid (hash %s…)", inputs.hash()[:12])
            n, report, solve_timings = solve(inputs, scenario, staging, solver_log_to_console)
            timings |= solve_timings
            t_extract = time.perf_counter()
            results = extract(
                n, inputs, scenario, metadata_for(scenario, inputs, n, report, timings)
            )
            timings["extract_s"] = time.perf_counter() - t_extract
            if check_hourly:
                results = with_hourly_check(results, inputs, scenario, n)
                timings["hourly_check_s"] = time.perf_counter() - t_extract - timings["extract_s"]
            logger.info("writing results to %s", folder)
            t_export = time.perf_counter()
            write_results(results, n, staging)
            timings["export_s"] = time.perf_counter() - t_export
            timings["total_s"] = time.perf_counter() - start
            write_metadata(results.metadata, staging)
        except SolveError as err:
            logger.error("%s", err)
            record_failure(folder, staging, scenario, err)
            raise
    for stale in failure_files(folder):
        stale.unlink(missing_ok=True)
    return results
