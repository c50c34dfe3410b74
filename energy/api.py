"""Read a results folder back for notebooks, plots, reports and exports — no solving.

``load_results("results/base")`` gives the tables of one run as DataFrames, its time series
(xarray) and metadata; a sweep folder (one with ``summary.csv``) also gives ``.summary`` and
``.cube`` (``sweep.nc``: one dimension per swept parameter, one variable per KPI).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
from pathlib import Path

import pandas as pd
import xarray as xr

from energy.inputs import PACKAGE_ROOT

TABLES = ("kpis", "capacities", "energy_balance", "links", "costs")
RESULTS_ENV = "GREEN_CORRIDOR_RESULTS"
SINGULAR = {"buses": "bus", "links": "link", "storage_units": "storage_unit",
            "generators": "generator"}


def results_root() -> Path:
    """Parent folder of results: ``$GREEN_CORRIDOR_RESULTS`` or ``results/`` of the repo."""
    return Path(os.environ.get(RESULTS_ENV) or PACKAGE_ROOT / "results")


def _read_csv(path: Path) -> pd.DataFrame | None:
    return pd.read_csv(path) if path.is_file() else None


@dataclasses.dataclass(eq=False)
class LoadedResults:
    """Tables of one run (or of a sweep) read from disk; large files load on first use."""

    path: Path
    metadata: dict
    tables: dict[str, pd.DataFrame]
    summary: pd.DataFrame | None = None

    def _table(self, name: str) -> pd.DataFrame:
        if name not in self.tables:
            raise AttributeError(f"{self.path} has no table '{name}' ({name}.csv)")
        return self.tables[name]

    kpis = property(lambda self: self._table("kpis"), doc="kpi, value, unit")
    capacities = property(lambda self: self._table("capacities"),
                          doc="node, carrier, existing_mw, optimal_mw, added_mw")
    energy_balance = property(lambda self: self._table("energy_balance"),
                              doc="node, carrier, energy_twh (supply +, withdrawal -)")
    links = property(lambda self: self._table("links"), doc="one row per corridor")
    costs = property(lambda self: self._table("costs"),
                     doc="node, carrier, capex_eur, opex_eur, total_eur")

    @property
    def name(self) -> str:
        return str(self.metadata.get("scenario", {}).get("name", self.path.name))

    @property
    def is_sweep(self) -> bool:
        return self.summary is not None

    @functools.cached_property
    def timeseries(self) -> xr.Dataset:
        """Hourly (or snapshot) results: dispatch, link_flow, load, prices, storage, weight."""
        with xr.open_dataset(self.path / "timeseries.nc") as ds:
            return ds.load()

    @functools.cached_property
    def cube(self) -> xr.Dataset | None:
        """The sweep cube (``sweep.nc``), None for a single run."""
        path = self.path / "sweep.nc"
        if not path.is_file():
            return None
        with xr.open_dataset(path) as ds:
            return ds.load()

    @functools.cached_property
    def network(self) -> dict[str, pd.DataFrame]:
        """Static data of buses (x, y), links (bus0, bus1, efficiency, p_nom_opt) and storage
        units (bus, carrier), read from ``network.nc`` with xarray (no PyPSA needed)."""
        path = self.path / "network.nc"
        if not path.is_file():
            return {}
        with xr.open_dataset(path) as ds:
            return {component: _static(ds, component)
                    for component in SINGULAR
                    if f"{component}_i" in ds.coords}

    def kpi(self, name: str) -> float:
        return float(self.kpis.set_index("kpi").at[name, "value"])

    def kpi_series(self) -> pd.Series:
        """KPI values indexed by name."""
        return self.kpis.set_index("kpi")["value"]

    def cases(self) -> list[str]:
        """Case folders of a sweep (sub-folders holding a ``kpis.csv``)."""
        return sorted(p.name for p in self.path.iterdir() if (p / "kpis.csv").is_file())

    def case(self, case_id: str) -> LoadedResults:
        """One case of a sweep, loaded like a single run."""
        return load_results(self.path / case_id)


def _static(ds: xr.Dataset, component: str) -> pd.DataFrame:
    index = ds[f"{component}_i"].to_index()
    names = [v for v in ds.data_vars if v.startswith(f"{component}_")
             and not v.startswith(f"{component}_t_") and ds[v].dims == (f"{component}_i",)]
    return pd.DataFrame({v.removeprefix(f"{component}_"): ds[v].to_numpy() for v in names},
                        index=index.rename(SINGULAR[component]))


def load_results(path: str | Path) -> LoadedResults:
    """Load a results folder written by ``energy run`` or a sweep folder (``summary.csv``).

    A bare name (``"base"``) is looked up under :func:`results_root`."""
    folder = Path(path)
    if not folder.exists() and not folder.is_absolute() and len(folder.parts) == 1:
        folder = results_root() / folder
    if not folder.is_dir():
        raise FileNotFoundError(f"no results folder at {folder}")
    summary = _read_csv(folder / "summary.csv")
    tables = {t: df for t in TABLES if (df := _read_csv(folder / f"{t}.csv")) is not None}
    if summary is None and not tables:
        raise FileNotFoundError(f"{folder} holds neither result tables (kpis.csv, ...) nor a "
                                "sweep summary (summary.csv)")
    meta_path = folder / "metadata.json"
    metadata = json.loads(meta_path.read_text()) if meta_path.is_file() else {}
    return LoadedResults(path=folder, metadata=metadata, tables=tables, summary=summary)
