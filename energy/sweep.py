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
import functools
import hashlib
import itertools
import json
import logging
import os
import re
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from energy.inputs import DEFAULT_INPUTS, InputError, load_inputs, suggest
from energy.pipeline import DEFAULT_RESULTS, SolveError, run_scenario
from energy.scenario import (
    NAME_PATTERN,
    Scenario,
    apply_overrides,
    deep_merge,
    parse_scenario,
    read_scenario_dict,
)

log = logging.getLogger("energy.sweep")
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
    window: dict[str, Any] | None = None
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
    spec: SweepFile


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
            if not clash and name not in (*BASE_COLUMNS, CASE_DIM, "case_id") or k == len(parts):
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
        raise InputError([f"{path.name}: unknown key '{e['loc'][0]}'"
                          f"{suggest(e['loc'][0], SweepFile.model_fields)}"
                          if e["type"] == "extra_forbidden" else
                          f"{path.name}: key '{'.'.join(map(str, e['loc']))}': {e['msg']}"
                          for e in err.errors()]) from None


def common_changes(spec: SweepFile, threads: int | None) -> dict:
    """Changes every case makes to the base scenario (1 solver thread unless set)."""
    changes = {"solver": {"threads": 1}}
    changes = deep_merge(changes, {k: v for k, v in (("window", spec.window),
                                                     ("resolution", spec.resolution)) if v})
    changes = deep_merge(changes, merged(spec.fixed))
    return deep_merge(changes, {"solver": {"threads": threads}}) if threads else changes


def dimensions(spec: SweepFile, origin: str) -> tuple[list[Dim], dict[str, str]]:
    """The cube's dimensions (``case`` first, for explicit cases) and the parameters' short
    names."""
    if not spec.grid and not spec.cases:
        raise InputError([f"{origin}: a sweep needs 'grid' and/or 'cases'"])
    in_cases = list(dict.fromkeys(p for c in spec.cases for p in c))
    both = set(spec.grid) & set(in_cases)
    if both:
        raise InputError([f"{origin}: {', '.join(sorted(both))} in both 'grid' and 'cases'"])
    names = short_names(in_cases + list(spec.grid))
    labels = [label(c, names) or REFERENCE for c in spec.cases]
    if len(set(labels)) < len(labels):
        raise InputError([f"{origin}: 'cases' lists the same case twice"])
    dims = [Dim(CASE_DIM, CASE_DIM, labels)] if spec.cases else []
    return dims + [Dim(names[p], p, list(v)) for p, v in spec.grid.items()], names


def points(spec: SweepFile) -> Iterator[tuple[dict[str, Any], tuple[int, ...]]]:
    """Parameters and cube position of every case: explicit cases × grid."""
    grid = [list(enumerate(values)) for values in spec.grid.values()]
    for (ci, params), point in itertools.product(enumerate(spec.cases or [{}]),
                                                 itertools.product(*grid)):
        values = {**params, **{p: v for p, (_, v) in zip(spec.grid, point)}}
        yield values, ((ci,) if spec.cases else ()) + tuple(i for i, _ in point)


def load_sweep(name_or_path: str | Path, inputs_dir: Path | str = DEFAULT_INPUTS,
               threads: int | None = None) -> Sweep:
    """Read a sweep file and build and validate every case's scenario (and its overrides
    against the inputs) before anything runs: an unknown parameter raises InputError."""
    inputs_dir = Path(inputs_dir)
    path = sweep_path(name_or_path, inputs_dir)
    spec = read_sweep_file(path)
    base = base_path(spec, path, inputs_dir)
    base_data = deep_merge(read_scenario_dict(base), common_changes(spec, threads))
    inputs = load_inputs(inputs_dir)
    dims, names = dimensions(spec, path.name)
    cases: list[Case] = []
    taken: set[str] = set()
    hashes: dict[str, str] = {}
    for values, index in points(spec):
        cid = case_id(label(values, names), taken)
        origin = f"{path.name}, case {cid}"
        scenario = parse_scenario(deep_merge(base_data, merged(values) | {"name": cid}), origin)
        key = checked_fields(scenario)
        if key not in hashes:  # apply_overrides takes ~0.1 s: once per distinct key
            try:
                hashes[key] = apply_overrides(inputs, scenario).hash()
            except InputError as err:
                raise InputError([f"{origin}: {p}" for p in err.problems]) from None
        cases.append(Case(cid, values, index, scenario, hashes[key]))
    return Sweep(spec.name, path, str(base), cases, dims, names, spec)


def checked_fields(scenario: Scenario) -> str:
    """What ``apply_overrides`` reads of a scenario (cases equal here validate alike)."""
    s = scenario.model_dump(mode="json")
    return json.dumps([s["overrides"], s["profiles"], sorted(s["export_prices_eur_per_mwh"]),
                       s["green_export"], s["period"]], sort_keys=True)


# ---------------------------------------------------------------- running one case


def silence() -> Callable[[], None]:
    """Raise the console handlers of the energy/pypsa/linopy loggers to WARNING, cut their
    propagation to the root logger and send stdout to /dev/null; return the undo."""
    undo: list[Callable[[], None]] = []
    for name in ("energy", "pypsa", "linopy"):
        logger = logging.getLogger(name)
        undo.append(functools.partial(setattr, logger, "propagate", logger.propagate))
        logger.propagate = False
        for handler in logger.handlers:
            if not isinstance(handler, logging.FileHandler):
                undo.append(functools.partial(handler.setLevel, handler.level))
                handler.setLevel(logging.WARNING)
    sys.stdout.flush()
    stdout, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    undo += [sys.stdout.flush, functools.partial(os.dup2, stdout, 1),
             functools.partial(os.close, stdout), functools.partial(os.close, devnull)]

    def restore() -> None:
        for step in undo:
            step()
    return restore


_quiet = {"depth": 0, "undo": None, "lock": threading.Lock()}


@contextlib.contextmanager
def quiet_console() -> Iterator[None]:
    """Keep a case's log lines and HiGHS's banner off the console (they still reach the
    case's run.log and highs.log); safe when several threads run cases."""
    with _quiet["lock"]:
        _quiet["depth"] += 1
        if _quiet["depth"] == 1:
            _quiet["undo"] = silence()
    try:
        yield
    finally:
        with _quiet["lock"]:
            _quiet["depth"] -= 1
            if _quiet["depth"] == 0:
                _quiet["undo"]()


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
        report = {k: None if isinstance(v, float) and np.isnan(v) else v
                  for k, v in dataclasses.asdict(err.report).items()}
        record.update(status=err.report.condition or "failed", message=str(err), report=report)
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
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    # the workers' statistical profiler costs ~15 % of a case's time; nobody reads it here
    with dask.config.set({"distributed.worker.profile.enabled": False}), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                         dashboard_address=":0") as cluster, Client(cluster) as client:
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
                yield {"case": task.case, "status": "error", "resumed": False, "kpis": [],
                       "message": f"{type(err).__name__}: {err}", "elapsed_s": np.nan}
            future.release()


class Progress:
    """A tqdm bar (on a terminal) or plain lines, plus the sweep log, with counts and ETA."""

    def __init__(self, total: int, skipped: int, name: str, show: bool):
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
    data |= {"case": case.id, "parameters": case.params,
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
        report = SweepReport(folder, summary, solved=len(tasks), skipped=len(sweep.cases)
                             - len(tasks), failed=int((summary["status"] != "optimal").sum()),
                             wall_s=time.perf_counter() - start)
        log.info("sweep %s: %d solved, %d skipped, %d failed in %.1f s", sweep.name,
                 report.solved, report.skipped, report.failed, report.wall_s)
    return report


# ---------------------------------------------------------------- merged outputs


def column(kpi: str, unit: str) -> str:
    """``capacity_trans-caspian``, ``MW`` → ``capacity_trans-caspian_MW``."""
    return f"{kpi}_{re.sub(r'[^A-Za-z0-9]+', '_', str(unit).replace('/', '_per_')).strip('_')}"


def typed(values: list) -> list | np.ndarray:
    """Numbers stay numbers (NaN where missing); anything else becomes text."""
    if all(isinstance(v, int | float) and not isinstance(v, bool) or v is None
           for v in values):
        return np.array([np.nan if v is None else v for v in values])
    return ["" if v is None else fmt(v) for v in values]


def summary_table(sweep: Sweep, records: list[dict]) -> pd.DataFrame:
    """One row per case: id, parameters (short names), status, message, KPIs (unit in name)."""
    rows, units = [], {}
    for record in records:
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
    KPI (NaN where a case failed or is missing), ``status`` and ``case_id``."""
    dims = tuple(d.name for d in sweep.dims)
    shape = tuple(len(d.values) for d in sweep.dims)
    coords: dict[str, Any] = {d.name: (d.name, typed(d.values), {"parameter": d.parameter})
                              for d in sweep.dims}
    for path in dict.fromkeys(p for c in sweep.spec.cases for p in c):  # per-case values
        coords[sweep.names[path]] = (CASE_DIM, typed([c.get(path) for c in sweep.spec.cases]),
                                     {"parameter": path})
    at = tuple(np.array([c.index[k] for c in sweep.cases], dtype=int) for k in range(len(dims)))

    def fill(values: np.ndarray, empty: Any) -> np.ndarray:
        out = np.full(shape, empty, dtype=values.dtype)
        out[at] = values
        return out

    data = {name: (dims, fill(summary[name].to_numpy(dtype=float), np.nan), {"units": unit})
            for name, unit in summary.attrs["units"].items()}
    data["status"] = (dims, fill(summary["status"].to_numpy(dtype=object), "missing")
                      .astype(str))
    data["case_id"] = (dims, fill(summary["case"].to_numpy(dtype=object), "").astype(str))
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
    p.add_argument("--workers", type=int, metavar="N", default=cpus or 1,
                   help=f"local Dask worker processes (default: {cpus}); 0: run in this "
                   "process, one case after another")
    p.add_argument("--scheduler", metavar="ADDRESS", help="address of a running Dask "
                   "scheduler, e.g. tcp://10.0.0.5:8786 (then --workers is ignored)")
    p.add_argument("--force", action="store_true", help="rerun cases that are up to date")
    p.add_argument("--out", metavar="DIR",
                   help="parent folder of the sweep's folder (default: results/)")
    p.add_argument("--threads", type=int, metavar="N", help="solver threads per case (default: 1)")
    p.add_argument("--inputs", metavar="DIR", help="input folder (default: inputs/)")
    p.set_defaults(func=cmd_sweep)
