"""One run, end to end: inputs → network → optimise → results → files.

``run_scenario`` is the single entry point used by the CLI, sweeps, tests and notebooks.
"""

from __future__ import annotations

import importlib.metadata
import logging
import platform
import time
from pathlib import Path

from energy.export import staging_folder, write_metadata, write_results
from energy.inputs import DEFAULT_INPUTS, PACKAGE_ROOT, load_inputs
from energy.network import build_network
from energy.results import Results, extract
from energy.scenario import Scenario, apply_overrides, load_scenario
from energy.solve import optimize

logger = logging.getLogger("energy")
DEFAULT_RESULTS = PACKAGE_ROOT / "results"
PACKAGES = ("green-corridor", "pypsa", "linopy", "highspy", "pandas", "numpy", "xarray",
            "pydantic", "tsam")


class SolveError(RuntimeError):
    """The optimisation did not end optimal; ``report`` holds status and condition."""

    def __init__(self, message: str, report):
        super().__init__(message)
        self.report = report


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def attach_log(folder: Path) -> logging.Handler:
    handler = logging.FileHandler(folder / "run.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("energy", "pypsa", "linopy"):
        logging.getLogger(name).addHandler(handler)
    if logger.getEffectiveLevel() > logging.INFO:  # the run log always records progress
        logger.setLevel(logging.INFO)
    return handler


def detach_log(handler: logging.Handler) -> None:
    for name in ("energy", "pypsa", "linopy"):
        logging.getLogger(name).removeHandler(handler)
    handler.close()


def run_scenario(scenario: Scenario | str | Path, out: Path | str | None = None,
                 inputs_dir: Path | str = DEFAULT_INPUTS, write: bool = True,
                 solver_log_to_console: bool = False) -> Results:
    """Optimise one scenario and (unless ``write=False``) write its results folder.

    ``out`` defaults to ``results/<scenario name>``. Raises :class:`SolveError` if the
    solve is not optimal — then nothing is written and an existing folder stays as it was.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    folder = Path(out) if out is not None else DEFAULT_RESULTS / scenario.name
    timings: dict[str, float] = {}
    with staging_folder(folder) if write else _no_folder() as staging:
        handler = attach_log(staging) if staging else None
        try:
            t0 = time.perf_counter()
            logger.info("scenario %s: loading inputs from %s", scenario.name, inputs_dir)
            inputs = apply_overrides(load_inputs(inputs_dir), scenario)
            t1 = time.perf_counter()
            logger.info("building network (period %s, resolution %s)", scenario.period,
                        scenario.resolution)
            n = build_network(inputs, scenario)
            t2 = time.perf_counter()
            logger.info("optimising %d snapshots with HiGHS (%s)", len(n.snapshots),
                        scenario.solver.method)
            report = optimize(n, scenario, staging / "highs.log" if staging else None,
                              log_to_console=solver_log_to_console)
            t3 = time.perf_counter()
            if not report.optimal:
                raise SolveError(f"scenario {scenario.name}: solver ended with status "
                                 f"'{report.status}', condition '{report.condition}' — no "
                                 "results written", report)
            timings = {"inputs_s": t1 - t0, "network_s": t2 - t1,
                       "model_build_s": report.build_s, "solve_s": report.solve_s}
            metadata = {
                "scenario": scenario.model_dump(mode="json"),
                "scenario_hash": scenario.digest(),
                "inputs_hash": inputs.hash(),
                "resolution": scenario.resolution,
                "snapshots": len(n.snapshots),
                "status": report.status, "condition": report.condition,
                "objective_eur": report.objective_eur,
                "solver": {"name": report.solver, "method": report.method,
                           "highs_version": report.highs_version,
                           "ipm_iterations": report.ipm_iterations,
                           "simplex_iterations": report.simplex_iterations},
                "versions": versions(),
                "machine": {"platform": platform.platform(), "processor": platform.machine()},
                "timings": timings,
            }
            results = extract(n, inputs, scenario, metadata)
            t4 = time.perf_counter()
            timings["extract_s"] = t4 - t3
            if staging:
                logger.info("writing results to %s", folder)
                write_results(results, n, staging)
                timings["export_s"] = time.perf_counter() - t4
            timings["total_s"] = time.perf_counter() - t0
            if staging:
                write_metadata(metadata, staging)
        finally:
            if handler:
                detach_log(handler)
    return results


class _no_folder:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
