"""Storage linked across the year when the year is modelled by typical days (``linked-days:K``).

Kotzur et al. (2018, *Applied Energy* 213) split the state of charge into two levels:

- an **intra-day** level ``e[t]`` for each hour of each typical day, starting from 0 at the
  beginning of that day (it may go negative): ``e[t] = e[t-1] + η_s·p_store − p_dispatch/η_d``;
- an **inter-day** level ``E[d] ≥ 0`` at the start of every day ``d`` of the year, carried from
  day to day by the net change of its typical day: ``E[d+1] = E[d] + e[c(d), last hour]``
  (cyclic: the day after the last is the first).

The level in hour h of day d is ``E[d] + e[c(d), h]``; it must stay within
``[0, max_hours·p_nom]``. With ``ē[c] ≥ e[t]`` and ``e̲[c] ≤ e[t]`` over the hours of typical day
``c`` (``ē ≥ 0 ≥ e̲``), that is two rows per day: ``E[d] + ē[c(d)] ≤ max_hours·p_nom`` and
``E[d] + e̲[c(d)] ≥ 0`` — 2·365 rows instead of 8,760 per storage unit.

PyPSA's own storage rows (energy balance, state-of-charge bounds) are replaced; its
``state_of_charge`` variable becomes the intra-day level. After the solve
:func:`restore_state_of_charge` writes the real level back (for a typical day, the level on
the calendar day that is its medoid), so results and the hourly check see a level in
``[0, max_hours·p_nom]``. Standing losses and inflows are not modelled here (the toolkit's
storage units are batteries without either); a network with them gets a clear error.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa
import xarray as xr

from energy.errors import InputError
from energy.model.timeseries import LINKED_DAYS, MEDOID_DAYS

SOC = "StorageUnit-state_of_charge"
REPLACED = (
    "StorageUnit-energy_balance",
    "StorageUnit-fix-state_of_charge-lower",
    "StorageUnit-fix-state_of_charge-upper",
    "StorageUnit-ext-state_of_charge-lower",
    "StorageUnit-ext-state_of_charge-upper",
)
INTER = "linked-storage-inter_day_level"
HIGH, LOW = "linked-storage-intra_day_max", "linked-storage-intra_day_min"


def is_linked(n: pypsa.Network) -> bool:
    """The network is a year of typical days whose storage is to be linked across the year."""
    return LINKED_DAYS in getattr(n, "meta", {})


def typical_day_of_snapshot(n: pypsa.Network) -> np.ndarray:
    """The typical day (0 … K-1) each snapshot belongs to (24 consecutive snapshots each)."""
    return np.arange(len(n.snapshots)) // 24


def check_storage(n: pypsa.Network) -> None:
    """Refuse storage the linked formulation does not carry (standing loss, inflow)."""
    units = n.c.storage_units.static
    problems = []
    if (units["standing_loss"] != 0).any():
        problems.append("standing losses")
    inflow = n.c.storage_units.dynamic.get("inflow")
    if (units["inflow"] != 0).any() or (inflow is not None and (inflow != 0).any().any()):
        problems.append("inflows")
    if problems:
        raise InputError(
            [
                f"resolution linked-days: storage units with {' and '.join(problems)} are not "
                "supported; use days:K or an hourly resolution"
            ]
        )


def define_storage_linking(n: pypsa.Network) -> None:
    """Replace PyPSA's storage rows on the model of ``n`` by the two-level formulation."""
    if not is_linked(n) or n.c.storage_units.static.empty:
        return
    check_storage(n)
    day = typical_day_of_snapshot(n)
    order = np.asarray(n.meta[LINKED_DAYS])  # typical day of each day of the year
    if len(n.snapshots) % 24 or int(day.max()) != int(order.max()):
        raise InputError(
            [
                "resolution linked-days: works on one year of typical days (not on stacked "
                "weather years or investment periods); use days:K there"
            ]
        )
    for name in REPLACED:
        if name in n.model.constraints:
            n.model.remove_constraints(name)
    high, low = define_intra_day_levels(n, day)
    define_inter_day_levels(n, day, order, high, low)


def define_intra_day_levels(n: pypsa.Network, day: np.ndarray) -> tuple:
    """The intra-day level (PyPSA's state-of-charge variable) from 0 at the start of each
    typical day, and its highest and lowest value per typical day (returned)."""
    m, units, sns = n.model, n.c.storage_units.static, n.snapshots
    e = m.variables[SOC]
    dim = e.dims[1]
    starts = xr.DataArray(np.r_[True, day[1:] != day[:-1]], coords={"snapshot": sns})
    stores = xr.DataArray(n.snapshot_weightings["stores"].to_numpy(), coords={"snapshot": sns})
    eff_s = xr.DataArray(units["efficiency_store"], dims=dim)
    eff_d = xr.DataArray(units["efficiency_dispatch"], dims=dim)
    balance = (
        e
        - e.shift(snapshot=1).where(~starts)
        - stores * eff_s * m.variables["StorageUnit-p_store"]
        + stores / eff_d * m.variables["StorageUnit-p_dispatch"]
    )
    m.add_constraints(balance == 0, name="linked-storage-intra_day_balance")
    coords = [pd.RangeIndex(int(day.max()) + 1, name="typical_day"), units.index.rename(dim)]
    high = m.add_variables(lower=0, coords=coords, name=HIGH)
    low = m.add_variables(upper=0, coords=coords, name=LOW)
    of_snapshot = xr.DataArray(day, coords={"snapshot": sns})
    m.add_constraints(
        e - high.isel(typical_day=of_snapshot) <= 0, name="linked-storage-intra_day-upper"
    )
    m.add_constraints(
        e - low.isel(typical_day=of_snapshot) >= 0, name="linked-storage-intra_day-lower"
    )
    return high, low


def define_inter_day_levels(
    n: pypsa.Network, day: np.ndarray, order: np.ndarray, high, low
) -> None:
    """The level at the start of every day of the year, carried by the net change of its
    typical day (cyclic), with the level in every hour kept within [0, max_hours · p_nom]."""
    m, units = n.model, n.c.storage_units.static
    e = m.variables[SOC]
    dim = e.dims[1]
    year = pd.RangeIndex(len(order), name="day")
    level = m.add_variables(lower=0, coords=[year, units.index.rename(dim)], name=INTER)
    typical = xr.DataArray(order, coords={"day": year})
    last_hour = np.flatnonzero(np.r_[day[1:] != day[:-1], True])[order]
    change = e.isel(snapshot=xr.DataArray(last_hour, coords={"day": year}))
    m.add_constraints(
        level.roll(day=-1) - level - change == 0, name="linked-storage-inter_day_balance"
    )
    highest = level + high.isel(typical_day=typical)
    m.add_constraints(
        level + low.isel(typical_day=typical) >= 0, name="linked-storage-inter_day-lower"
    )
    hours = units["max_hours"]
    fixed = units.index[~units["p_nom_extendable"]]
    if len(fixed):
        cap = xr.DataArray((units["p_nom"] * hours)[fixed].rename_axis(dim))
        m.add_constraints(
            highest.sel({dim: fixed}) <= cap, name="linked-storage-fix-inter_day-upper"
        )
    ext = units.index[units["p_nom_extendable"]]
    if len(ext):
        p_nom = m.variables["StorageUnit-p_nom"].sel({dim: ext})
        per_mw = xr.DataArray(hours[ext].rename_axis(dim))
        m.add_constraints(
            highest.sel({dim: ext}) - per_mw * p_nom <= 0,
            name="linked-storage-ext-inter_day-upper",
        )


def restore_state_of_charge(n: pypsa.Network) -> None:
    """After a solve: the real state of charge (inter-day level of the medoid's calendar day
    plus the intra-day level) in place of the intra-day level PyPSA read back."""
    if not is_linked(n) or n.c.storage_units.static.empty or n.model is None:
        return
    if INTER not in n.model.variables:
        return
    level = n.model.variables[INTER].solution.to_pandas()  # day of the window × unit
    start = level.iloc[np.asarray(n.meta[MEDOID_DAYS])].to_numpy()  # typical day × unit
    soc = n.c.storage_units.dynamic["state_of_charge"]
    offset = pd.DataFrame(start[typical_day_of_snapshot(n)], index=soc.index, columns=level.columns)
    n.c.storage_units.dynamic["state_of_charge"] = soc + offset.reindex(columns=soc.columns)
