"""Running a sweep: every case not already done through :func:`energy.run.run_scenario`, in
this process or on Dask, with progress, a sweep log, failure records and resume."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from energy.config.scenario import Scenario
from energy.errors import SolveError
from energy.logs import file_log, quiet_console
from energy.paths import DEFAULT_INPUTS, results_root
from energy.run.pipeline import run_scenario
from energy.run.sweep.cases import Case, Sweep, load_sweep
from energy.run.sweep.outputs import summary_table, write_outputs

log = logging.getLogger("energy.sweep")


@dataclasses.dataclass
class SweepReport:
    """Outcome of a sweep: folder, summary, cases run/skipped (up to date)/failed, wall time (s)."""

    folder: Path
    summary: pd.DataFrame
    solved: int
    skipped: int
    failed: int
    wall_s: float

    @property
    def ok(self) -> bool:
        """True when no case failed."""
        return self.failed == 0


@dataclasses.dataclass(frozen=True)
class Task:
    """What a worker needs to run one case (pickled to Dask workers)."""

    case: str
    scenario: Scenario
    out: Path
    inputs_dir: Path
    verbose: bool = False


def kpi_records(kpis: pd.DataFrame) -> list[tuple]:
    """(kpi, value, unit) rows; a pathway's KPIs are named ``<kpi>_<period>``."""
    if "period" in kpis.columns:
        kpis = kpis.assign(kpi=kpis["kpi"] + "_" + kpis["period"].astype(str))
    return [tuple(row) for row in kpis[["kpi", "value", "unit"]].itertuples(index=False)]


def solve_case(task: Task) -> dict:
    """Run one case with ``run_scenario``; never raises: a failure comes back as a record."""
    start = time.perf_counter()
    record: dict[str, Any] = {
        "case": task.case,
        "status": "optimal",
        "message": "",
        "resumed": False,
        "kpis": [],
    }
    try:
        with contextlib.nullcontext() if task.verbose else quiet_console():
            results = run_scenario(task.scenario, out=task.out, inputs_dir=task.inputs_dir)
        record["kpis"] = kpi_records(results.kpis)
    except SolveError as err:
        report = {
            k: None if isinstance(v, float) and np.isnan(v) else v
            for k, v in dataclasses.asdict(err.report).items()
        }
        record.update(status=err.report.condition or "failed", message=str(err), report=report)
    except Exception as err:  # noqa: BLE001 — isolate the case, keep the sweep going
        record.update(
            status="error", message=f"{type(err).__name__}: {err}", traceback=traceback.format_exc()
        )
    record["elapsed_s"] = time.perf_counter() - start
    return record


def identity(scenario: dict) -> str:
    """A scenario's identity for resuming: everything but solver threads and time limit."""
    solver = {
        k: v for k, v in scenario.get("solver", {}).items() if k not in ("threads", "time_limit_s")
    }
    return json.dumps({**scenario, "solver": solver}, sort_keys=True)


def resumed(case: Case, folder: Path) -> dict | None:
    """The record of a finished case whose results match its inputs and scenario, or None."""
    try:
        meta = json.loads((folder / "metadata.json").read_text())
        kpis = pd.read_csv(folder / "kpis.csv")
    except (OSError, ValueError):
        return None
    if meta.get("inputs_hash") != case.inputs_hash or identity(
        meta.get("scenario", {})
    ) != identity(case.scenario.model_dump(mode="json")):
        return None
    return {
        "case": case.id,
        "status": "optimal",
        "message": "",
        "resumed": True,
        "elapsed_s": meta.get("timings", {}).get("total_s", np.nan),
        "kpis": kpi_records(kpis),
    }


@contextlib.contextmanager
def dask_client(workers: int, scheduler: str | None):
    """A client of the cluster at ``scheduler``, or of a new LocalCluster of ``workers``
    single-threaded processes (closed afterwards)."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    # the workers' statistical profiler costs ~15 % of a case's time; nobody reads it here
    with (
        dask.config.set({"distributed.worker.profile.enabled": False}),
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def execute(tasks: list[Task], workers: int, scheduler: str | None) -> Iterator[dict]:
    """Records of ``tasks`` in order of completion: in-process for ``workers == 0`` (and no
    scheduler), else on Dask."""
    if not tasks:
        return
    if workers == 0 and not scheduler:
        for task in tasks:
            yield solve_case(task)
        return
    from distributed import as_completed

    with dask_client(workers, scheduler) as client:
        futures = {client.submit(solve_case, t, pure=False): t for t in tasks}
        for future in as_completed(futures):
            task = futures[future]
            try:
                yield future.result()
            except Exception as err:  # noqa: BLE001 — e.g. a worker died (KilledWorker)
                yield {
                    "case": task.case,
                    "status": "error",
                    "resumed": False,
                    "kpis": [],
                    "message": f"{type(err).__name__}: {err}",
                    "elapsed_s": np.nan,
                }
            future.release()


class Progress:
    """A tqdm bar (on a terminal) or plain lines, plus the sweep log, with counts and ETA."""

    def __init__(self, total: int, skipped: int, name: str, show: bool):
        """Start at ``skipped`` of ``total`` cases; plain lines if ``show`` but not a terminal."""
        self.total, self.done, self.failed, self.ran = total, skipped, 0, 0
        self.start = time.perf_counter()
        self.bar = tqdm(
            total=total,
            initial=skipped,
            desc=name,
            unit="case",
            disable=None if show else True,
            file=sys.stderr,
        )
        self.lines = show and self.bar.disable

    def update(self, record: dict) -> None:
        """Count one finished case, log it with counts and ETA, and advance the bar."""
        self.done += 1
        self.ran += 1
        self.failed += record["status"] != "optimal"
        remaining = self.total - self.done
        eta = (time.perf_counter() - self.start) / self.ran * remaining
        line = (
            f"{record['case']}: {record['status']} in {record['elapsed_s']:.1f} s — "
            f"done {self.done}/{self.total}, failed {self.failed}, remaining {remaining}, "
            f"ETA {eta:.0f} s"
        )
        log.info(line + (f" — {record['message']}" if record["message"] else ""))
        self.bar.set_postfix_str(f"failed={self.failed} remaining={remaining}", refresh=False)
        self.bar.update(1)
        if self.lines:
            print(line, file=sys.stderr, flush=True)

    def close(self) -> None:
        """Close the progress bar."""
        self.bar.close()


def record_failure(folder: Path, case: Case, record: dict) -> None:
    """Complete ``<case-id>.failed.json`` (``run_scenario`` writes one for a failed solve) with
    the case's parameters, or remove a stale one once the case has succeeded."""
    path = folder / f"{case.id}.failed.json"
    if record["status"] == "optimal":
        path.unlink(missing_ok=True)
        return
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        data = {}
    data |= {
        "case": case.id,
        "parameters": case.params,
        **{k: v for k, v in record.items() if k not in ("kpis", "resumed")},
    }
    path.write_text(json.dumps(data, indent=2, default=str))


def run_sweep(
    sweep: Sweep | str | Path,
    *,
    inputs_dir: Path | str = DEFAULT_INPUTS,
    results_dir: Path | str | None = None,
    workers: int = 0,
    scheduler: str | None = None,
    force: bool = False,
    threads: int | None = None,
    progress: bool = True,
    verbose: bool = False,
) -> SweepReport:
    """Run every case not already done (all with ``force``) and write the merged outputs to
    ``<results_dir>/<sweep>/``. ``workers=0`` runs in this process, one case after another."""
    start = time.perf_counter()
    inputs_dir = Path(inputs_dir).resolve()
    if not isinstance(sweep, Sweep):
        sweep = load_sweep(sweep, inputs_dir, threads)
    folder = Path(results_dir or results_root()).resolve() / sweep.name
    folder.mkdir(parents=True, exist_ok=True)
    by_id = {case.id: case for case in sweep.cases}
    with file_log(log, folder / "sweep.log"):
        records = (
            {}
            if force
            else {c.id: r for c in sweep.cases if (r := resumed(c, folder / c.id)) is not None}
        )
        tasks = [
            Task(c.id, c.scenario, folder / c.id, inputs_dir, verbose)
            for c in sweep.cases
            if c.id not in records
        ]
        where = scheduler or (f"LocalCluster({workers} workers)" if workers else "in-process")
        log.info(
            "sweep %s (%s): %d cases, %d skipped (results up to date), %d to run on %s",
            sweep.name,
            sweep.path,
            len(sweep.cases),
            len(records),
            len(tasks),
            where,
        )
        for record in records.values():
            record_failure(folder, by_id[record["case"]], record)
        bar = Progress(len(sweep.cases), len(records), sweep.name, progress)
        try:  # warnings printed while the bar is shown go above it
            with logging_redirect_tqdm([logging.getLogger("energy")]):
                for record in execute(tasks, workers, scheduler):
                    records[record["case"]] = record
                    record_failure(folder, by_id[record["case"]], record)
                    bar.update(record)
        finally:
            bar.close()
        summary = summary_table(sweep, [records[c.id] for c in sweep.cases])
        write_outputs(folder, sweep, summary)
        report = SweepReport(
            folder,
            summary,
            solved=len(tasks),
            skipped=len(sweep.cases) - len(tasks),
            failed=int((summary["status"] != "optimal").sum()),
            wall_s=time.perf_counter() - start,
        )
        log.info(
            "sweep %s: %d solved, %d skipped, %d failed in %.1f s",
            sweep.name,
            report.solved,
            report.skipped,
            report.failed,
            report.wall_s,
        )
    return report
