"""A leaner LP: constraints whose every row holds a single variable become variable bounds.

PyPSA 1.4 writes every dispatch limit as a constraint row (``Generator-fix-p-upper``:
p ≤ p_max_pu · p_nom, ``Link-ext-p-lower``: p − 0 · p_nom ≥ 0, …): on the base scenario
about 60 % of all rows have one variable. HiGHS's presolve turns them into bounds again,
but only after linopy built, copied and handed them over. Here they become bounds of the
variables before the hand-over and the constraints are removed; the optimum is the same
LP. Constraints with a row of two or more variables are kept whole (their duals stay).
"""

from __future__ import annotations

import dataclasses

import linopy
import numpy as np
import xarray as xr


@dataclasses.dataclass(frozen=True)
class LPSize:
    """Variables, constraints and non-zeros of a linopy model."""

    variables: int
    constraints: int
    nonzeros: int


def lp_size(m: linopy.Model) -> LPSize:
    """The model's size as linopy hands it to the solver (masked entries not counted)."""
    nonzeros = sum(int((c.to_polars()["vars"] >= 0).sum()) for _, c in m.constraints.items())
    return LPSize(int(m.nvars), int(m.ncons), nonzeros)


def singleton_bounds(rows: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(variable labels, lower, upper) implied by rows ``a·x (sign) b``, one per row."""
    coeff, rhs, sign = rows["coeffs"], rows["rhs"], rows["sign"]
    bound = rhs / coeff
    upper_side = ((sign == "<=") & (coeff > 0)) | ((sign == ">=") & (coeff < 0)) | (sign == "=")
    lower_side = ((sign == ">=") & (coeff > 0)) | ((sign == "<=") & (coeff < 0)) | (sign == "=")
    lower = np.where(lower_side, bound, -np.inf)
    upper = np.where(upper_side, bound, np.inf)
    return rows["vars"], lower, upper


def single_variable_rows(con: linopy.constraints.ConstraintBase) -> dict[str, np.ndarray] | None:
    """The rows of ``con`` as arrays if each has exactly one non-zero term, else None."""
    flat = con.to_polars()
    flat = flat.filter((flat["vars"] >= 0) & (flat["coeffs"] != 0))
    if flat.is_empty() or flat["labels"].is_duplicated().any():
        return None
    return {
        "vars": flat["vars"].to_numpy(),
        "coeffs": flat["coeffs"].to_numpy(),
        "rhs": flat["rhs"].to_numpy(),
        "sign": flat["sign"].cast(str).to_numpy(),
    }


def rows_to_bounds(m: linopy.Model) -> list[str]:
    """Turn every constraint made of single-variable rows into bounds; return their names.

    Nothing changes if the bounds would cross (an infeasible model stays as it was, for the
    solver to report and the diagnosis to explain)."""
    size = 1 + max(int(v.labels.max()) for _, v in m.variables.items())
    lower = np.full(size, -np.inf)
    upper = np.full(size, np.inf)
    names = []
    for name, con in list(m.constraints.items()):
        rows = single_variable_rows(con)
        if rows is None:
            continue
        labels, lo, up = singleton_bounds(rows)
        np.maximum.at(lower, labels, lo)
        np.minimum.at(upper, labels, up)
        names.append(name)
    if not names:
        return []
    bounds = new_bounds(m, lower, upper)
    if bounds is None:
        return []
    m.remove_constraints(names)
    for name, (lo, up) in bounds.items():
        m.variables[name].update(lower=lo, upper=up)
    return names


def new_bounds(
    m: linopy.Model, lower: np.ndarray, upper: np.ndarray
) -> dict[str, tuple[xr.DataArray, xr.DataArray]] | None:
    """Each changed variable's bounds intersected with ``lower``/``upper`` (by label); None
    if any pair crosses by more than rounding (equal bounds computed two ways are merged)."""
    out = {}
    for name, var in m.variables.items():
        labels = var.labels.values
        active = labels >= 0
        index = np.where(active, labels, 0)
        old_lower, old_upper = var.lower.values, var.upper.values
        lo = np.where(active, np.maximum(old_lower, lower[index]), old_lower)
        up = np.where(active, np.minimum(old_upper, upper[index]), old_upper)
        if np.array_equal(lo, old_lower) and np.array_equal(up, old_upper):
            continue
        crossed = lo > up
        if (crossed & (lo - up > 1e-9 * np.maximum(1.0, np.abs(lo)))).any():
            return None
        up = np.where(crossed, lo, up)
        dims, coords = var.labels.dims, var.labels.coords
        out[name] = (
            xr.DataArray(lo, coords=coords, dims=dims),
            xr.DataArray(up, coords=coords, dims=dims),
        )
    return out
