"""The merged outputs of a sweep: ``summary.csv`` / ``summary.parquet`` (one row per case) and
``sweep.nc`` (one dimension per swept parameter, one variable per KPI)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from energy.run.sweep.cases import BASE_COLUMNS, CASE_DIM, Sweep, fmt


def column(kpi: str, unit: str) -> str:
    """``capacity_trans-caspian``, ``MW`` → ``capacity_trans-caspian_MW``."""
    return f"{kpi}_{re.sub(r'[^A-Za-z0-9]+', '_', str(unit).replace('/', '_per_')).strip('_')}"


def typed(values: list) -> list | np.ndarray:
    """Numbers stay numbers (NaN where missing); anything else becomes text."""
    if all(isinstance(v, int | float) and not isinstance(v, bool) or v is None for v in values):
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
    coords: dict[str, Any] = {
        d.name: (d.name, typed(d.values), {"parameter": d.parameter}) for d in sweep.dims
    }
    for path in dict.fromkeys(p for c in sweep.spec.cases for p in c):  # per-case values
        coords[sweep.names[path]] = (
            CASE_DIM,
            typed([c.get(path) for c in sweep.spec.cases]),
            {"parameter": path},
        )
    at = tuple(np.array([c.index[k] for c in sweep.cases], dtype=int) for k in range(len(dims)))

    def fill(values: np.ndarray, empty: Any) -> np.ndarray:
        out = np.full(shape, empty, dtype=values.dtype)
        out[at] = values
        return out

    data = {
        name: (dims, fill(summary[name].to_numpy(dtype=float), np.nan), {"units": unit})
        for name, unit in summary.attrs["units"].items()
    }
    data["status"] = (dims, fill(summary["status"].to_numpy(dtype=object), "missing").astype(str))
    data["case_id"] = (dims, fill(summary["case"].to_numpy(dtype=object), "").astype(str))
    return xr.Dataset(data, coords=coords, attrs={"sweep": sweep.name, "scenario": sweep.base})


def write_outputs(folder: Path, sweep: Sweep, summary: pd.DataFrame) -> None:
    """``summary.csv``, ``summary.parquet`` and ``sweep.nc``, each replaced atomically."""
    writers = {
        "summary.csv": lambda p: summary.to_csv(p, index=False),
        "summary.parquet": lambda p: summary.to_parquet(p, index=False),
        "sweep.nc": lambda p: cube(sweep, summary).to_netcdf(p),
    }
    for name, write in writers.items():
        tmp = folder / f".{name}.tmp"
        write(tmp)
        os.replace(tmp, folder / name)
