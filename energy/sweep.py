"""Scenario sweeps: a base scenario × a grid and/or a list of cases, run in parallel on Dask.

A sweep file (``inputs/sweeps/NAME.yaml``)::

    name: cable-sizing
    scenario: base                       # base scenario: name or YAML path
    grid:                                # cartesian product
      overrides.links.trans-caspian.capex_factor: [0.75, 1, 1.5]
      export_prices_eur_per_mwh.EU: [55, 85, 120]

Parameters are dotted paths into the scenario mapping. Each case runs through
:func:`energy.pipeline.run_scenario` into ``results/<sweep>/<case-id>/``; finished cases are
skipped on a rerun when their inputs and scenario are unchanged; failures are recorded and the
sweep goes on; the merged ``summary.csv``/``summary.parquet``/``sweep.nc`` are rewritten at the
end of every run.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import itertools
import json
import logging
import os
import re
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from energy.inputs import DEFAULT_INPUTS, InputError, load_inputs
from energy.pipeline import DEFAULT_RESULTS, SolveError, run_scenario
from energy.scenario import (NAME_PATTERN, Scenario, apply_overrides, deep_merge,
                             parse_scenario, read_scenario_dict)

log = logging.getLogger("energy.sweep")
SWEEP_DIR = DEFAULT_INPUTS / "sweeps"
CASE_DIM = "case"
REFERENCE = "reference"  # id of a case that changes nothing
BASE_COLUMNS = ("case", "status", "message", "resumed", "elapsed_s")
UNSAFE = re.compile(r"[^A-Za-z0-9_.=,+-]+")


class SweepFile(BaseModel):
    """The YAML of a sweep; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    description: str = ""
    scenario: str = "base"
    window: dict[str, str] | None = None
    resolution: str | None = None
    fixed: dict[str, Any] = Field(default_factory=dict, description="path -> value, all cases")
    grid: dict[str, list[Any]] = Field(default_factory=dict)
    cases: list[dict[str, Any]] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _safe_name(cls, name: str) -> str:
        if not NAME_PATTERN.match(name) or ".." in name:
            raise ValueError(f"'{name}' is not a safe folder name")
        return name

    @field_validator("grid")
    @classmethod
    def _non_empty(cls, grid: dict[str, list]) -> dict[str, list]:
        for path, values in grid.items():
            if not values:
                raise ValueError(f"grid '{path}' has no values")
            if len({json.dumps(v, sort_keys=True) for v in values}) < len(values):
                raise ValueError(f"grid '{path}' repeats a value")
        return grid


@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    params: dict[str, Any]  # dotted path -> value
    index: tuple[int, ...]  # position along each dimension of the cube
    scenario: Scenario
    inputs_hash: str


@dataclasses.dataclass(frozen=True)
class Dim:
    name: str  # short name: the cube's dimension and the summary's column
    parameter: str  # dotted path, or "case" for explicit cases
    values: list[Any]


@dataclasses.dataclass
class Sweep:
    name: str
    path: Path
    base: str
    cases: list[Case]
    dims: list[Dim]
    names: dict[str, str]  # dotted path -> short name


@dataclasses.dataclass
class SweepReport:
    folder: Path
    summary: pd.DataFrame
    solved: int
    skipped: int
    failed: int
    wall_s: float

    @property
    def ok(self) -> bool:
        return self.failed == 0


@dataclasses.dataclass(frozen=True)
class Task:
    """What a worker needs to run one case (pickled to Dask workers)."""

    case: str
    scenario: Scenario
    out: Path
    inputs_dir: Path
    verbose: bool = False


# ---------------------------------------------------------------- reading a sweep file


def nested(path: str, value: Any) -> dict:
    """``"a.b.c", 1`` → ``{"a": {"b": {"c": 1}}}``."""
    for part in reversed(path.split(".")):
        value = {part: value}
    return value


def merged(params: dict[str, Any]) -> dict:
    out: dict = {}
    for path, value in params.items():
        out = deep_merge(out, nested(path, value))
    return out


def short_names(paths: list[str]) -> dict[str, str]:
    """The shortest unique tail of each dotted path (``...trans-caspian.capex_factor`` →
    ``capex_factor``), never a reserved column name."""
    names: dict[str, str] = {}
    for path in paths:
        parts = path.split(".")
        for k in range(1, len(parts) + 1):
            name = safe(".".join(parts[-k:]))
            clash = any(p != path and p.split(".")[-k:] == parts[-k:] for p in paths)
            if not clash and name not in (*BASE_COLUMNS, CASE_DIM) or k == len(parts):
                names[path] = name
                break
    return names


def fmt(value: Any) -> str:
    """A compact, round-trip text for a parameter value (1.0 → '1', 0.75 → '0.75')."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        text = f"{value:g}"
        return text if float(text) == value else repr(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    return str(value)


def safe(text: str) -> str:
    text = UNSAFE.sub("_", text)
    while ".." in text:
        text = text.replace("..", "._")
    return text


def label(params: dict[str, Any], names: dict[str, str]) -> str:
    return ",".join(f"{names[p]}={fmt(v)}" for p, v in params.items())


def case_id(text: str, taken: set[str]) -> str:
    """Folder-safe, unique and valid as a scenario name (see ``NAME_PATTERN``)."""
    text = safe(text) or REFERENCE
    if not text[0].isalnum():
        text = "c" + text
    if len(text) > 100:
        text = text[:91] + "-" + hashlib.sha1(text.encode()).hexdigest()[:8]
    unique, k = text, 1
    while unique in taken:
        k += 1
        unique = f"{text[:95]}-{k}"
    taken.add(unique)
    return unique


def sweep_path(name_or_path: str | Path, inputs_dir: Path = DEFAULT_INPUTS) -> Path:
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml"):
        return path
    return Path(inputs_dir) / "sweeps" / f"{name_or_path}.yaml"


def base_path(spec: SweepFile, sweep_file: Path, inputs_dir: Path) -> str | Path:
    """The base scenario: a YAML path (relative to the sweep file or the working folder) or
    a name looked up in ``<inputs_dir>/scenarios/`` and then in the shipped scenarios."""
    if spec.scenario.endswith((".yaml", ".yml")):
        beside = sweep_file.parent / spec.scenario
        return beside if beside.is_file() else Path(spec.scenario)
    local = Path(inputs_dir) / "scenarios" / f"{spec.scenario}.yaml"
    return local if local.is_file() else spec.scenario


def read_sweep_file(path: Path) -> SweepFile:
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in path.parent.glob("*.yaml")))
        raise InputError([f"sweep '{path}' not found; known in {path.parent}: {known or '-'}"])
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        data.setdefault("name", path.stem)
        return SweepFile(**data)
    except (yaml.YAMLError, AttributeError, TypeError) as err:
        raise InputError([f"{path.name}: not a valid sweep file ({err})"]) from None
    except ValidationError as err:
        raise InputError([f"{path.name}: key '{'.'.join(map(str, e['loc']))}': {e['msg']}"
                          for e in err.errors()]) from None


def load_sweep(name_or_path: str | Path, inputs_dir: Path | str = DEFAULT_INPUTS,
               threads: int | None = None) -> Sweep:
    """Read a sweep file and build (and validate) the scenario of every case, before
    anything runs: an unknown parameter or override raises :class:`InputError`."""
    inputs_dir = Path(inputs_dir)
    path = sweep_path(name_or_path, inputs_dir)
    spec = read_sweep_file(path)
    base = base_path(spec, path, inputs_dir)
    base_data = read_scenario_dict(base)
    inputs = load_inputs(inputs_dir)
    common = {"solver": {"threads": 1}}
    common = deep_merge(common, {k: v for k, v in (("window", spec.window),
                                                   ("resolution", spec.resolution)) if v})
    common = deep_merge(common, merged(spec.fixed))
    if threads:
        common = deep_merge(common, {"solver": {"threads": threads}})
    case_params = spec.cases or [{}]
    if not spec.grid and not spec.cases:
        raise InputError([f"{path.name}: a sweep needs 'grid' and/or 'cases'"])
    paths = list(dict.fromkeys([p for c in case_params for p in c] + list(spec.grid)))
    both = set(spec.grid) & {p for c in case_params for p in c}
    if both:
        raise InputError([f"{path.name}: {', '.join(sorted(both))} in both 'grid' and 'cases'"])
    names = short_names(paths)
    dims = [Dim(CASE_DIM, CASE_DIM, [label(c, names) or REFERENCE for c in case_params])
            ] if spec.cases else []
    dims += [Dim(names[p], p, list(v)) for p, v in spec.grid.items()]
    if spec.cases and len(set(dims[0].values)) < len(dims[0].values):
        raise InputError([f"{path.name}: 'cases' lists the same case twice"])
    hashes: dict[tuple, str] = {}
    cases, taken = [], set()
    grid_items = [list(enumerate(v)) for v in spec.grid.values()]
    for (ci, params), point in itertools.product(enumerate(case_params),
                                                 itertools.product(*grid_items)):
        values = {**params, **{p: v for p, (_, v) in zip(spec.grid, point)}}
        index = ((ci,) if spec.cases else ()) + tuple(i for i, _ in point)
        cid = case_id(label(values, names), taken)
        changes = deep_merge(deep_merge(common, merged(values)), {"name": cid})
        origin = f"{path.name}, case {cid}"
        scenario = parse_scenario(deep_merge(base_data, changes), origin)
        try:
            case_inputs = apply_overrides(inputs, scenario)
        except InputError as err:
            raise InputError([f"{origin}: {p}" for p in err.problems]) from None
        key = tuple(sorted((k, str(v)) for k, v in case_inputs.files.items()))
        if key not in hashes:
            hashes[key] = case_inputs.hash()
        cases.append(Case(cid, values, index, scenario, hashes[key]))
    return Sweep(spec.name, path, str(base), cases, dims, names)


# ---------------------------------------------------------------- running one case


@contextlib.contextmanager
def quiet_console() -> Iterator[None]:
    """Keep a case's log lines and HiGHS's banner off the console (they still reach the
    case's run.log): console handlers of the energy/pypsa/linopy loggers are raised to
    WARNING, propagation to the root logger is cut and stdout goes to /dev/null."""
    saved: list[tuple[Any, str, Any]] = []
    for name in ("energy", "pypsa", "linopy"):
        logger = logging.getLogger(name)
        saved.append((logger, "propagate", logger.propagate))
        logger.propagate = False
        for handler in logger.handlers:
            if not isinstance(handler, logging.FileHandler):
                saved.append((handler, "level", handler.level))
                handler.setLevel(logging.WARNING)
    sys.stdout.flush()
    stdout = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(stdout, 1)
        os.close(stdout)
        os.close(devnull)
        for obj, attr, value in saved:
            setattr(obj, attr, value) if attr == "propagate" else obj.setLevel(value)


def solve_case(task: Task) -> dict:
    """Run one case with ``run_scenario``; never raises: a failure comes back as a record."""
    start = time.perf_counter()
    record: dict[str, Any] = {"case": task.case, "status": "optimal", "message": "",
                              "resumed": False, "kpis": []}
    try:
        with contextlib.nullcontext() if task.verbose else quiet_console():
            results = run_scenario(task.scenario, out=task.out, inputs_dir=task.inputs_dir)
        record["kpis"] = [tuple(row) for row in results.kpis.itertuples(index=False)]
    except SolveError as err:
        record.update(status=err.report.condition or "failed", message=str(err),
                      report=dataclasses.asdict(err.report))
    except Exception as err:  # noqa: BLE001 — isolate the case, keep the sweep going
        record.update(status="error", message=f"{type(err).__name__}: {err}",
                      traceback=traceback.format_exc())
    record["elapsed_s"] = time.perf_counter() - start
    return record


# ---------------------------------------------------------------- resume


def identity(scenario: dict) -> str:
    """A scenario's identity for resuming: everything but solver threads and time limit."""
    solver = {k: v for k, v in scenario.get("solver", {}).items()
              if k not in ("threads", "time_limit_s")}
    return json.dumps({**scenario, "solver": solver}, sort_keys=True)


def resumed(case: Case, folder: Path) -> dict | None:
    """The record of a finished case whose results match its inputs and scenario, or None."""
    try:
        meta = json.loads((folder / "metadata.json").read_text())
        kpis = pd.read_csv(folder / "kpis.csv")
    except (OSError, ValueError):
        return None
    if meta.get("inputs_hash") != case.inputs_hash or identity(meta.get("scenario", {})) != \
            identity(case.scenario.model_dump(mode="json")):
        return None
    return {"case": case.id, "status": "optimal", "message": "", "resumed": True,
            "elapsed_s": meta.get("timings", {}).get("total_s", np.nan),
            "kpis": [tuple(row) for row in kpis[["kpi", "value", "unit"]].itertuples(
                index=False)]}


# ---------------------------------------------------------------- running many


@contextlib.contextmanager
def dask_client(workers: int, scheduler: str | None):
    """A client of the cluster at ``scheduler``, or of a new LocalCluster of ``workers``
    single-threaded processes (closed afterwards)."""
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
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
        futures = {client.submit(solve_case, t, pure=False, key=f"case-{t.case}-{os.getpid()}"
                                 f"-{time.time_ns()}"): t for t in tasks}
        for future in as_completed(futures):
            task = futures[future]
            try:
                yield future.result()
            except Exception as err:  # noqa: BLE001 — e.g. a worker died (KilledWorker)
                yield {"case": task.case, "status": "error", "resumed": False, "kpis": [],
                       "message": f"{type(err).__name__}: {err}", "elapsed_s": np.nan}
            future.release()


class Progress:
    """A tqdm bar (on a terminal) or plain lines, plus the sweep log, with counts and ETA."""

    def __init__(self, total: int, skipped: int, name: str, show: bool):
        from tqdm.auto import tqdm

        self.total, self.done, self.failed, self.ran = total, skipped, 0, 0
        self.start = time.perf_counter()
        self.bar = tqdm(total=total, initial=skipped, desc=name, unit="case",
                        disable=None if show else True, file=sys.stderr)
        self.lines = show and self.bar.disable

    def update(self, record: dict) -> None:
        self.done += 1
        self.ran += 1
        self.failed += record["status"] != "optimal"
        remaining = self.total - self.done
        eta = (time.perf_counter() - self.start) / self.ran * remaining
        line = (f"{record['case']}: {record['status']} in {record['elapsed_s']:.1f} s — "
                f"done {self.done}/{self.total}, failed {self.failed}, remaining {remaining}, "
                f"ETA {eta:.0f} s")
        log.info(line + (f" — {record['message']}" if record["message"] else ""))
        self.bar.set_postfix_str(f"failed={self.failed} remaining={remaining}", refresh=False)
        self.bar.update(1)
        if self.lines:
            print(line, file=sys.stderr, flush=True)

    def close(self) -> None:
        self.bar.close()


@contextlib.contextmanager
def sweep_log(folder: Path) -> Iterator[None]:
    handler = logging.FileHandler(folder / "sweep.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    try:
        yield
    finally:
        log.removeHandler(handler)
        handler.close()


def record_failure(folder: Path, case: Case, record: dict) -> None:
    """Write ``<case-id>.failed.json`` for a failed case; remove a stale one otherwise."""
    path = folder / f"{case.id}.failed.json"
    if record["status"] == "optimal":
        path.unlink(missing_ok=True)
        return
    data = {"case": case.id, "parameters": case.params,
            **{k: v for k, v in record.items() if k not in ("kpis", "resumed")}}
    path.write_text(json.dumps(data, indent=2, default=str))


def run_sweep(sweep: Sweep | str | Path, *, inputs_dir: Path | str = DEFAULT_INPUTS,
              results_dir: Path | str = DEFAULT_RESULTS, workers: int = 0,
              scheduler: str | None = None, force: bool = False, threads: int | None = None,
              progress: bool = True, verbose: bool = False) -> SweepReport:
    """Run every case not already done (all with ``force``) and write the merged outputs to
    ``<results_dir>/<sweep>/``. ``workers=0`` runs in this process, one case after another."""
    start = time.perf_counter()
    inputs_dir = Path(inputs_dir).resolve()
    if not isinstance(sweep, Sweep):
        sweep = load_sweep(sweep, inputs_dir, threads)
    folder = Path(results_dir).resolve() / sweep.name
    folder.mkdir(parents=True, exist_ok=True)
    by_id = {case.id: case for case in sweep.cases}
    with sweep_log(folder):
        records = {} if force else {c.id: r for c in sweep.cases
                                    if (r := resumed(c, folder / c.id)) is not None}
        tasks = [Task(c.id, c.scenario, folder / c.id, inputs_dir, verbose)
                 for c in sweep.cases if c.id not in records]
        where = scheduler or (f"LocalCluster({workers} workers)" if workers else "in-process")
        log.info("sweep %s (%s): %d cases, %d skipped (results up to date), %d to run on %s",
                 sweep.name, sweep.path, len(sweep.cases), len(records), len(tasks), where)
        for record in records.values():
            record_failure(folder, by_id[record["case"]], record)
        bar = Progress(len(sweep.cases), len(records), sweep.name, progress)
        try:
            for record in execute(tasks, workers, scheduler):
                records[record["case"]] = record
                record_failure(folder, by_id[record["case"]], record)
                bar.update(record)
        finally:
            bar.close()
        summary = summary_table(sweep, [records[c.id] for c in sweep.cases])
        write_outputs(folder, sweep, summary)
        report = SweepReport(folder, summary, solved=len(tasks), skipped=len(sweep.cases)
                             - len(tasks), failed=int((summary["status"] != "optimal").sum()),
                             wall_s=time.perf_counter() - start)
        log.info("sweep %s: %d solved, %d skipped, %d failed in %.1f s", sweep.name,
                 report.solved, report.skipped, report.failed, report.wall_s)
    return report


# ---------------------------------------------------------------- merged outputs


def column(kpi: str, unit: str) -> str:
    """``capacity_trans-caspian``, ``MW`` → ``capacity_trans-caspian_MW``."""
    return f"{kpi}_{re.sub(r'[^A-Za-z0-9]+', '_', str(unit).replace('/', '_per_'))}"


def typed(values: list) -> list | np.ndarray:
    """Numbers stay numbers (NaN where missing); anything else becomes text."""
    if all(isinstance(v, int | float) and not isinstance(v, bool) or v is None
           for v in values):
        return np.array([np.nan if v is None else v for v in values])
    return ["" if v is None else fmt(v) for v in values]


def summary_table(sweep: Sweep, records: list[dict]) -> pd.DataFrame:
    """One row per case: id, parameters (short names), status, message, KPIs (unit in name)."""
    rows, units = [], {}
    for case, record in zip(sweep.cases, records):
        row = {k: record.get(k) for k in BASE_COLUMNS}
        for kpi, value, unit in record["kpis"]:
            units[column(kpi, unit)] = unit
            row[column(kpi, unit)] = value
        rows.append(row)
    table = pd.DataFrame(rows, columns=[*BASE_COLUMNS, *units])
    for path, name in reversed(sweep.names.items()):
        table.insert(1, name, typed([c.params.get(path) for c in sweep.cases]))
    table["elapsed_s"] = table["elapsed_s"].astype(float)
    table["message"] = table["message"].fillna("").astype(str)
    table[list(units)] = table[list(units)].astype(float)
    table.attrs["units"] = units
    return table


def cube(sweep: Sweep, summary: pd.DataFrame) -> xr.Dataset:
    """One dimension per grid parameter (plus ``case`` for explicit cases), one variable per
    KPI (NaN where a case failed) and ``status``."""
    shape = tuple(len(d.values) for d in sweep.dims)
    coords: dict[str, Any] = {d.name: (d.name, typed(d.values), {"parameter": d.parameter})
                              for d in sweep.dims}
    if sweep.dims and sweep.dims[0].name == CASE_DIM:  # the parameters of each case
        case_paths = list(dict.fromkeys(p for c in sweep.cases if c.index[1:] == (0,) * (
            len(shape) - 1) for p in c.params if p not in {d.parameter for d in sweep.dims}))
        first = {c.index[0]: c for c in sweep.cases}
        for path in case_paths:
            coords[sweep.names[path]] = (CASE_DIM, typed([first[i].params.get(path)
                                                          for i in range(shape[0])]),
                                         {"parameter": path})
    index = tuple(np.array([c.index[k] for c in sweep.cases], dtype=int)
                  for k in range(len(shape)))
    data = {}
    for name, unit in summary.attrs["units"].items():
        values = np.full(shape, np.nan)
        values[index] = summary[name].to_numpy(dtype=float)
        data[name] = (tuple(coords), values, {"units": unit})
    status = np.full(shape, "missing", dtype=object)
    status[index] = summary["status"].to_numpy(dtype=str)
    data["status"] = (tuple(d.name for d in sweep.dims), status.astype(str))
    ids = np.full(shape, "", dtype=object)
    ids[index] = summary["case"].to_numpy(dtype=str)
    data["case_id"] = (tuple(d.name for d in sweep.dims), ids.astype(str))
    dims = [d.name for d in sweep.dims]
    data = {k: (dims, v[1], *v[2:]) for k, v in data.items()}
    return xr.Dataset(data, coords=coords, attrs={"sweep": sweep.name, "scenario": sweep.base})


def write_outputs(folder: Path, sweep: Sweep, summary: pd.DataFrame) -> None:
    """``summary.csv``, ``summary.parquet`` and ``sweep.nc``, each replaced atomically."""
    writers = {"summary.csv": lambda p: summary.to_csv(p, index=False),
               "summary.parquet": lambda p: summary.to_parquet(p, index=False),
               "sweep.nc": lambda p: cube(sweep, summary).to_netcdf(p)}
    for name, write in writers.items():
        tmp = folder / f".{name}.tmp"
        write(tmp)
        os.replace(tmp, folder / name)


# ---------------------------------------------------------------- command line


def cmd_sweep(args: argparse.Namespace) -> int:
    report = run_sweep(args.sweep, inputs_dir=args.inputs or DEFAULT_INPUTS,
                       results_dir=args.out or DEFAULT_RESULTS, workers=args.workers,
                       scheduler=args.scheduler, force=args.force, threads=args.threads,
                       verbose=getattr(args, "verbose", False))
    print(f"\n{report.folder.name}: {len(report.summary)} cases — {report.solved} solved, "
          f"{report.skipped} skipped (up to date), {report.failed} failed — "
          f"{report.wall_s:.1f} s. Results in {report.folder}")
    for row in report.summary[report.summary["status"] != "optimal"].itertuples():
        print(f"  failed: {row.case}: {row.status} — {row.message}", file=sys.stderr)
    return 0 if report.ok else 1


def add_sweep_command(subparsers) -> None:
    """Register ``energy sweep``."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    p = subparsers.add_parser("sweep", help="run a scenario sweep (inputs/sweeps/) on Dask "
                              "into results/<sweep>/")
    p.add_argument("sweep", help="sweep name in inputs/sweeps/ or a YAML file")
    p.add_argument("--workers", type=int, default=cpus or 1,
                   help=f"local Dask worker processes (default: {cpus}); 0: run in this "
                   "process, one case after another")
    p.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. "
                   "tcp://10.0.0.5:8786 (then --workers is ignored)")
    p.add_argument("--force", action="store_true", help="rerun cases that are up to date")
    p.add_argument("--out", help="parent folder of the sweep's folder (default: results/)")
    p.add_argument("--threads", type=int, help="solver threads per case (default: 1)")
    p.add_argument("--inputs", help="input folder (default: inputs/)")
    p.set_defaults(func=cmd_sweep)
