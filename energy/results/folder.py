"""The results folder: the one :class:`Results` class, the one list of its tables, written
atomically and read back.

A run writes ``kpis.csv``, ``capacities.csv``, ``energy_balance.csv``, ``links.csv``,
``costs.csv``, ``timeseries.nc``, ``network.nc`` and ``metadata.json`` into a hidden staging
folder beside the target, which replaces the target only once every file is complete.
``load_results("results/base")`` reads them back (no PyPSA needed); a sweep folder (one with
``summary.csv``) also gives ``.summary`` and ``.cube`` (``sweep.nc``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import xarray as xr

from energy.paths import results_root

if TYPE_CHECKING:
    import pypsa

# table -> what one row is and its columns
TABLES = {
    "kpis": "kpi, value, unit",
    "capacities": "node, carrier, existing_mw, optimal_mw, added_mw",
    "energy_balance": "node, carrier, energy_twh (supply +, withdrawal -)",
    "links": "one row per corridor",
    "costs": "node, carrier, capex_eur, opex_eur, total_eur",
}
RESULT_FILES = (*(f"{t}.csv" for t in TABLES), "timeseries.nc", "network.nc", "metadata.json")
SINGULAR = {
    "buses": "bus",
    "links": "link",
    "storage_units": "storage_unit",
    "generators": "generator",
}


@dataclasses.dataclass(eq=False)
class Results:
    """The tables, time series and metadata of one run (or the summary of a sweep).

    Made by :func:`energy.results.extract.extract` from a solved network or read from a
    results folder by :func:`load_results`; the time series of a folder load on first use."""

    tables: dict[str, pd.DataFrame]
    metadata: dict
    path: Path | None = None
    summary: pd.DataFrame | None = None
    series: xr.Dataset | None = dataclasses.field(default=None, repr=False)

    def _table(self, name: str) -> pd.DataFrame:
        if name not in self.tables:
            raise AttributeError(f"{self.path or 'these results'} have no table '{name}'")
        return self.tables[name]

    kpis = property(lambda self: self._table("kpis"), doc=TABLES["kpis"])
    capacities = property(lambda self: self._table("capacities"), doc=TABLES["capacities"])
    energy_balance = property(
        lambda self: self._table("energy_balance"), doc=TABLES["energy_balance"]
    )
    links = property(lambda self: self._table("links"), doc=TABLES["links"])
    costs = property(lambda self: self._table("costs"), doc=TABLES["costs"])

    @property
    def name(self) -> str:
        """The scenario (or sweep) name."""
        fallback = self.path.name if self.path is not None else ""
        return str(self.metadata.get("scenario", {}).get("name", fallback))

    @property
    def is_sweep(self) -> bool:
        """True for a sweep folder (a summary, no tables of its own)."""
        return self.summary is not None

    @functools.cached_property
    def timeseries(self) -> xr.Dataset:
        """Snapshot results: dispatch, link_flow, load, prices, storage, weight."""
        if self.series is not None:
            return self.series
        if self.path is None:
            raise AttributeError("these results have no time series")
        with xr.open_dataset(self.path / "timeseries.nc") as ds:
            return ds.load()

    @functools.cached_property
    def cube(self) -> xr.Dataset | None:
        """The sweep cube (``sweep.nc``), None for a single run."""
        path = self.path / "sweep.nc" if self.path is not None else None
        if path is None or not path.is_file():
            return None
        with xr.open_dataset(path) as ds:
            return ds.load()

    @functools.cached_property
    def network(self) -> dict[str, pd.DataFrame]:
        """Static data of buses (x, y), links (bus0, bus1, efficiency, p_nom_opt, corridor,
        reverse) and storage units, read from ``network.nc`` with xarray (no PyPSA needed)."""
        path = self.path / "network.nc" if self.path is not None else None
        if path is None or not path.is_file():
            return {}
        with xr.open_dataset(path) as ds:
            return {
                component: _static(ds, component)
                for component in SINGULAR
                if f"{component}_i" in ds.coords
            }

    def kpi(self, name: str) -> float:
        """One KPI value by name."""
        return float(self.kpis.set_index("kpi").at[name, "value"])

    def kpi_series(self) -> pd.Series:
        """KPI values indexed by name."""
        return self.kpis.set_index("kpi")["value"]

    def with_kpis(self, extra: pd.DataFrame) -> Results:
        """These results with ``extra`` rows (kpi, value, unit) appended to the KPIs."""
        return dataclasses.replace(
            self, tables={**self.tables, "kpis": pd.concat([self.kpis, extra], ignore_index=True)}
        )

    def cases(self) -> list[str]:
        """Case folders of a sweep (sub-folders holding a ``kpis.csv``)."""
        if self.path is None:
            return []
        return sorted(p.name for p in self.path.iterdir() if (p / "kpis.csv").is_file())

    def case(self, case_id: str) -> Results:
        """One case of a sweep, loaded like a single run."""
        return load_results(self._require_path() / case_id)

    def _require_path(self) -> Path:
        if self.path is None:
            raise AttributeError("these results were not read from a folder")
        return self.path


def _static(ds: xr.Dataset, component: str) -> pd.DataFrame:
    index = ds[f"{component}_i"].to_index()
    names = [
        v
        for v in ds.data_vars
        if v.startswith(f"{component}_")
        and not v.startswith(f"{component}_t_")
        and ds[v].dims == (f"{component}_i",)
    ]
    return pd.DataFrame(
        {v.removeprefix(f"{component}_"): ds[v].to_numpy() for v in names},
        index=index.rename(SINGULAR[component]),
    )


def _read_csv(path: Path) -> pd.DataFrame | None:
    return pd.read_csv(path) if path.is_file() else None


def load_results(path: str | Path) -> Results:
    """Load a results folder written by ``energy run`` or a sweep folder (``summary.csv``).

    A bare name (``"base"``) is looked up under :func:`energy.paths.results_root`."""
    folder = Path(path)
    if not folder.exists() and not folder.is_absolute() and len(folder.parts) == 1:
        folder = results_root() / folder
    if not folder.is_dir():
        raise FileNotFoundError(f"no results folder at {folder}")
    summary = _read_csv(folder / "summary.csv")
    tables = {t: df for t in TABLES if (df := _read_csv(folder / f"{t}.csv")) is not None}
    if summary is None and not tables:
        raise FileNotFoundError(
            f"{folder} holds neither result tables (kpis.csv, ...) nor a "
            "sweep summary (summary.csv)"
        )
    meta_path = folder / "metadata.json"
    metadata = json.loads(meta_path.read_text()) if meta_path.is_file() else {}
    return Results(tables=tables, metadata=metadata, path=folder, summary=summary)


# ---------------------------------------------------------------- writing, atomically


def pid_alive(pid: int) -> bool:
    """True if a process ``pid`` exists (probed with signal 0), even one of another user."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(target: Path) -> None:
    """Tidy up after a run that was killed: drop its staging folders, and put a results
    folder back if the kill came between the two renames of a replacement."""
    for staging in target.parent.glob(f".{target.name}.*.tmp"):
        pid = staging.name.removeprefix(f".{target.name}.").split(".")[0]
        if pid.isdigit() and not pid_alive(int(pid)):
            shutil.rmtree(staging, ignore_errors=True)
    backup = target.with_name(f".{target.name}.old")
    if backup.exists() and not target.exists():
        backup.rename(target)


@contextlib.contextmanager
def staging_folder(target: Path) -> Iterator[Path]:
    """Yield an empty folder next to ``target``; on success it becomes ``target`` (an
    existing one is replaced), on any error it is removed and ``target`` is untouched."""
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    )
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # mkdtemp makes 0700; results folders are shared
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    backup = target.with_name(f".{target.name}.old")
    shutil.rmtree(backup, ignore_errors=True)
    if target.exists():
        target.rename(backup)
    staging.rename(target)
    shutil.rmtree(backup, ignore_errors=True)


def write_results(results: Results, n: pypsa.Network, folder: Path) -> None:
    """Write tables (CSV), time series and network (NetCDF) into ``folder``."""
    for name in TABLES:
        results.tables[name].to_csv(folder / f"{name}.csv", index=False)
    encoding = {
        v: {"zlib": True, "complevel": 4}
        for v in results.timeseries.data_vars
        if results.timeseries[v].dtype.kind == "f"
    }
    results.timeseries.to_netcdf(folder / "timeseries.nc", encoding=encoding)
    n.export_to_netcdf(
        folder / "network.nc", float32=False, compression={"zlib": True, "complevel": 4}
    )


def write_metadata(metadata: dict, folder: Path) -> None:
    """``metadata.json``: scenario, hashes, versions, solver, timings."""
    (folder / "metadata.json").write_text(json.dumps(metadata, indent=2, default=str))
