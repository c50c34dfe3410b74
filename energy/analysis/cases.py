"""The solves of an analysis: one scenario with one change to its linopy model each (a link's
size fixed, or a near-optimal objective), run in parallel on the sweep machinery's Dask
client, resumable (one JSON record per case), a failed case recorded while the others go on.

A case builds the network like :func:`energy.run.run_scenario`, adds the corridor rules,
then its own change, solves with the scenario's HiGHS settings and keeps only the figures an
analysis reads (no results folder): the system objective, the link's capacity, exports, the
link's utilisation and congestion rent, and the dual of a fixed size.

Build once per process: the cases of an analysis share their scenario, so each process (a
Dask worker, or this one) keeps the last model it built and hands the next case of the same
inputs and scenario that model with the previous change taken out (:func:`built_model`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import tempfile
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from energy.analysis.change import (
    BOUND,
    FIXED,
    apply_action,
    measure,
    parts_of,
    solve_model,
)
from energy.config.scenario import Scenario, deep_merge, parse_scenario
from energy.data.inputs import Inputs
from energy.errors import InputError, suggest
from energy.logs import file_log, quiet_console

log = logging.getLogger("energy.analysis")


@dataclasses.dataclass(frozen=True)
class Action:
    """The change a case makes: none (``optimum``), the link's total size fixed (``fix``), or
    its size minimised / maximised within ``bound_eur`` of objective (``mga``)."""

    kind: Literal["optimum", "fix", "mga"] = "optimum"
    size_mw: float | None = None
    sense: Literal["min", "max"] | None = None
    bound_eur: float | None = None


@dataclasses.dataclass(frozen=True)
class Case:
    """One solve of an analysis: id, scenario, change, measured link and landing market."""

    id: str
    scenario: Scenario
    action: Action
    link: str
    market: str = "EU"
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    period: int | None = None  # a pathway's investment period whose capacity is meant


@dataclasses.dataclass(frozen=True)
class Runner:
    """How an analysis runs its cases: ``workers`` Dask processes (0: in this process) or a
    ``scheduler``'s cluster, ``force`` to solve again what is done, a progress bar."""

    workers: int = 0
    scheduler: str | None = None
    force: bool = False
    progress: bool = True


IN_PROCESS = Runner()


@dataclasses.dataclass(frozen=True)
class Job:
    """What a worker needs to run one case (pickled to Dask workers)."""

    case: Case
    inputs_dir: Path
    inputs_hash: str
    verbose: bool = False


# ------------------------------------------------------------------ validation (no solving)


def check_period(scenario: Scenario, period: int | None) -> Scenario:
    """The single-year scenario a link is checked against: ``scenario`` itself, or for a
    pathway the scenario of ``period``; InputError if a pathway has no such period (or none
    is given) or a single-year scenario is given one."""
    from energy.model.pathway import is_pathway, scenario_for_period

    periods = ", ".join(str(p) for p in scenario.periods)
    if is_pathway(scenario) and period not in scenario.periods:
        given = f"{period} is not one of its periods" if period else "no --period given"
        raise InputError(
            [f"--period: '{scenario.name}' is a pathway ({periods}); {given}: the size of "
             "a link is its capacity in service in one period"]
        )  # fmt: skip
    if not is_pathway(scenario) and period is not None:
        raise InputError([f"--period {period}: '{scenario.name}' is a single-year scenario"])
    return scenario_for_period(scenario, period) if period is not None else scenario


def check_link(
    inputs: Inputs, scenario: Scenario, link: str, period: int | None = None
) -> pd.Series:
    """The row of ``link`` in links.csv (of its first part for a sum 'a+b'); InputError if a
    part is unknown or not buildable in ``scenario`` (in ``period`` of a pathway)."""
    from energy.model.corridors import buildable

    links = inputs.links
    single = check_period(scenario, period)
    for part in parts_of(link):
        if part not in links.index:
            raise InputError(
                [f"--link: unknown link '{part}'{suggest(part, links.index)}; links: "
                 + ", ".join(links.index)]
            )  # fmt: skip
        if not buildable(links, single).get(part, False):
            when = f" in {period}" if period is not None else ""
            raise InputError(
                [
                    f"--link {part}: not a candidate the scenario '{scenario.name}' may build"
                    f"{when} (extendable, p_nom_max_mw above p_nom_mw and in service by "
                    "in_service_by)"
                ]
            )
    return links.loc[parts_of(link)[0]]


def with_threads(scenario: Scenario, threads: int | None, workers: int) -> Scenario:
    """The scenario with ``threads`` solver threads (1 per case when cases run in parallel)."""
    if threads is None and workers == 0:
        return scenario
    data = deep_merge(scenario.model_dump(mode="json"), {"solver": {"threads": threads or 1}})
    return parse_scenario(data, f"scenario {scenario.name}")


# ------------------------------------------------------------------ one built model per process


@dataclasses.dataclass
class Built:
    """A network with its linopy model (corridor rules added), its inputs and its cost."""

    key: str
    n: Any
    inputs: Inputs
    cost: Any
    solver_dir: tempfile.TemporaryDirectory


_BUILT: list[Built] = []  # the last model this process built (at most one)


def build_key(job: Job) -> str:
    """What the built model depends on: inputs folder and hash, and the whole scenario."""
    scenario = job.case.scenario.model_dump(mode="json")
    return json.dumps([str(job.inputs_dir), job.inputs_hash, scenario], sort_keys=True)


def forget_built() -> None:
    """Drop the model this process keeps (and its solver folder)."""
    while _BUILT:
        _BUILT.pop().solver_dir.cleanup()


def built_model(job: Job) -> Built:
    """The model of the job's scenario without any case's change: the one this process
    built last if inputs and scenario are the same (the previous change removed), else new."""
    from energy.model.network import build_network
    from energy.model.solve import build_model
    from energy.run.pipeline import prepare_inputs

    key = build_key(job)
    if _BUILT and _BUILT[0].key == key:
        built = _BUILT[0]
        model = built.n.model
        model.remove_constraints([c for c in (FIXED, BOUND) if c in model.constraints])
        model.add_objective(built.cost, overwrite=True, sense="min")
        return built
    forget_built()
    scenario = job.case.scenario
    inputs = prepare_inputs(scenario, job.inputs_dir)
    n = build_network(inputs, scenario)
    solver_dir = tempfile.TemporaryDirectory(prefix="energy-analysis-")
    build_model(n, scenario, solver_dir.name, objective_constant=False)
    _BUILT.append(Built(key, n, inputs, n.model.objective.expression, solver_dir))
    return _BUILT[0]


def run_case(job: Job) -> dict[str, float]:
    """Change, solve and measure one case on its (built or kept) model; raises on failure."""
    built = built_model(job)
    try:
        apply_action(built.n, job.case)
        status, condition = solve_model(built.n, job.case.scenario)
        if status != "ok" or condition != "optimal":
            raise RuntimeError(f"solver ended with status '{status}', condition '{condition}'")
        return measure(built.n, built.inputs, job.case, built.cost)
    except Exception:
        forget_built()  # a model left half-changed is not handed to the next case
        raise


def identity(job: Job) -> str:
    """What makes a case's record reusable: inputs, scenario (but threads, time limit), change."""
    scenario = job.case.scenario.model_dump(mode="json")
    scenario["solver"] = {
        k: v for k, v in scenario["solver"].items() if k not in ("threads", "time_limit_s")
    }
    case = job.case
    return json.dumps(
        [
            job.inputs_hash,
            scenario,
            dataclasses.asdict(case.action),
            case.link,
            case.market,
            case.period,
        ],
        sort_keys=True,
    )


def solve_case(job: Job) -> dict:
    """Run one case; never raises: a failure comes back as a record with its message."""
    start = time.perf_counter()
    record: dict[str, Any] = {"case": job.case.id, "status": "optimal", "message": ""}
    try:
        with contextlib.nullcontext() if job.verbose else quiet_console():
            record |= run_case(job)
    except Exception as err:  # noqa: BLE001 — isolate the case, keep the analysis going
        record.update(
            status="failed",
            message=f"{type(err).__name__}: {err}",
            traceback=traceback.format_exc(),
        )
    record["elapsed_s"] = time.perf_counter() - start
    record["identity"] = identity(job)
    return record


# ------------------------------------------------------------------ running many cases


def record_path(folder: Path, case: Case) -> Path:
    """``<folder>/cases/<case id>.json``."""
    return folder / "cases" / f"{case.id}.json"


def resumed(job: Job, folder: Path) -> dict | None:
    """The stored record of an optimal case with the same identity, or None."""
    try:
        record = json.loads(record_path(folder, job.case).read_text())
    except (OSError, ValueError):
        return None
    ok = record.get("status") == "optimal" and record.get("identity") == identity(job)
    return record | {"resumed": True} if ok else None


def write_record(folder: Path, case: Case, record: dict) -> None:
    """Store a case's record atomically."""
    path = record_path(folder, case)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(record, indent=1, default=str))
    os.replace(tmp, path)


def execute(jobs: list[Job], workers: int, scheduler: str | None = None) -> Iterator[dict]:
    """Records of ``jobs`` as they finish: in this process (``workers == 0``) or on Dask."""
    if not jobs:
        return
    if workers == 0 and not scheduler:
        try:
            yield from map(solve_case, jobs)
        finally:
            forget_built()
        return
    from distributed import as_completed

    from energy.run.sweep.execute import dask_client

    with dask_client(workers, scheduler) as client:
        futures = {client.submit(solve_case, j, pure=False): j for j in jobs}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as err:  # noqa: BLE001 — e.g. a worker died
                yield {"case": futures[future].case.id, "status": "failed", "message": str(err)}
            future.release()


@contextlib.contextmanager
def shared_workers(runner: Runner) -> Iterator[Runner]:
    """The runner for several :func:`run_cases` of one analysis: ``runner`` itself, or one
    on a LocalCluster of its ``workers`` processes kept for all of them (and so are the
    models they built)."""
    if runner.scheduler or runner.workers == 0:
        yield runner
        return
    from energy.run.sweep.execute import dask_client

    with dask_client(runner.workers, None) as client:
        yield dataclasses.replace(runner, scheduler=client.scheduler.address)


def run_cases(
    cases: list[Case],
    folder: Path,
    inputs_dir: Path,
    hashes: dict[str, str],
    runner: Runner = IN_PROCESS,
    verbose: bool = False,
) -> pd.DataFrame:
    """Solve every case not already done (all with ``runner.force``); one row per case, in
    order. ``hashes`` maps case id → hash of its (overridden) inputs."""
    from energy.run.sweep.execute import Progress

    folder.mkdir(parents=True, exist_ok=True)
    jobs = [Job(c, Path(inputs_dir), hashes[c.id], verbose) for c in cases]
    records = {} if runner.force else {j.case.id: r for j in jobs if (r := resumed(j, folder))}
    todo = [j for j in jobs if j.case.id not in records]
    by_id = {c.id: c for c in cases}
    with file_log(logging.getLogger("energy"), folder / "analysis.log"):
        log.info(
            "%s: %d cases, %d up to date, %d to run", folder, len(jobs), len(records), len(todo)
        )
        bar = Progress(len(jobs), len(records), folder.name, runner.progress)
        try:
            for record in execute(todo, runner.workers, runner.scheduler):
                record.setdefault("elapsed_s", np.nan)
                records[record["case"]] = record | {"resumed": False}
                write_record(folder, by_id[record["case"]], records[record["case"]])
                bar.update(record)
        finally:
            bar.close()
    rows = [
        {**c.params, **{k: v for k, v in records[c.id].items() if k not in ("identity",)}}
        for c in cases
    ]
    return pd.DataFrame(rows).drop(columns=["traceback"], errors="ignore")


def input_hashes(cases: list[Case], inputs_dir: Path) -> dict[str, str]:
    """Validate every case's scenario against the inputs (InputError before anything runs)
    and return the hash of each case's inputs."""
    from energy.run.pipeline import prepare_inputs
    from energy.run.sweep.cases import checked_fields

    hashes: dict[str, str] = {}
    seen: dict[str, str] = {}
    for case in cases:
        key = checked_fields(case.scenario)
        if key not in seen:
            seen[key] = prepare_inputs(case.scenario, inputs_dir).hash()
        hashes[case.id] = seen[key]
    return hashes


def atomic_csv(table: pd.DataFrame, path: Path) -> None:
    """Write ``table`` to ``path`` through a temporary file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    table.to_csv(tmp, index=False)
    os.replace(tmp, path)


def write_about(folder: Path, scenario: Scenario, **facts: str) -> None:
    """``about.json``: what an analysis solved (scenario, resolution, window) and when."""
    import datetime as dt

    window = scenario.window.model_dump() if scenario.window else None
    about = {
        "scenario": scenario.name,
        "resolution": scenario.resolution,
        "window": window,
        "made": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        **facts,
    }
    (folder / "about.json").write_text(json.dumps(about, indent=1))
