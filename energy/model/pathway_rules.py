"""The pathway's own constraint families (on the model of a stacked multi-period network,
:mod:`energy.model.pathway`): corridor capacity in service per period, the tie of both
directions of a link copy, the shared room of all copies of a candidate, and the activity
mask of units by period (also used by the N-1 rule)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa
import xarray as xr

from energy.model.naming import corridor_of, is_forward
from energy.model.pathway import is_multi_period


def active(n: pypsa.Network, component: str) -> pd.DataFrame:
    """(period × unit) True where the unit is in service in that period."""
    return pd.DataFrame(
        {p: n.components[component].get_active_assets(p) for p in n.investment_periods}
    ).T


def define_cumulative_limits(n: pypsa.Network) -> None:
    """All copies of one candidate in service in a period together stay within its room."""
    m = n.model
    for component in ("Generator", "StorageUnit", "Link"):
        units = pd.Series(n.meta["units"][component])
        static = n.c[component].static
        ext = static.index[static["p_nom_extendable"]]
        if component == "Link" and len(ext):
            ext = ext[is_forward(static.loc[ext]).to_numpy()]
        if ext.empty:
            continue
        on = active(n, component)[ext]
        p_nom = m[f"{component}-p_nom"]
        for period in n.investment_periods:
            room = pd.Series(n.meta["room_mw"][component][str(period)], dtype=float)
            live = on.columns[on.loc[period].to_numpy()]
            for source, group in units[live].groupby(units[live]):
                if source not in room.index or len(group) < 2:
                    continue
                expr = p_nom.sel(name=group.index.tolist()).sum()
                m.add_constraints(
                    expr <= float(room[source]), name=f"{component}-room {source} {period}"
                )


def define_pathway_corridor_rules(n: pypsa.Network) -> None:
    """Both directions of a link copy have one capacity; in every hour, the flows on all parts
    of a corridor stay within the capacity in service (existing + copies built so far)."""
    m = n.model
    links = n.c.links.static
    if links.empty:
        return
    new = links[links["p_nom_extendable"]]
    key = corridor_of(new) + "@" + new["build_year"].astype(int).astype(str)
    forward, backward = new[is_forward(new)], new[~is_forward(new)]
    p_nom = m["Link-p_nom"]
    if not forward.empty:
        reverse = pd.Series(backward.index, index=key[backward.index]).loc[key[forward.index]]
        lhs = p_nom.sel(name=forward.index.tolist()) - p_nom.sel(
            name=reverse.tolist()
        ).assign_coords(name=forward.index.tolist())
        m.add_constraints(lhs == 0, name="Link-corridor_tie")
    on = active(n, "Link")
    p = m["Link-p"]
    period_of = n.snapshots.get_level_values("period")
    corridor = corridor_of(links)
    for period in n.investment_periods:
        sns = n.snapshots[period_of == period]
        live = on.columns[on.loc[period].to_numpy()]
        for name, parts in corridor[live].groupby(corridor[live]):
            fixed = links.loc[parts.index]
            existing = fixed.loc[~fixed["p_nom_extendable"], "p_nom"].sum() / 2.0
            flows = p.sel(name=parts.index.tolist(), snapshot=sns).sum("name")
            fwd = fixed.index[fixed["p_nom_extendable"] & is_forward(fixed)]
            lhs = flows - p_nom.sel(name=fwd.tolist()).sum() if len(fwd) else flows
            m.add_constraints(
                lhs <= existing, name=f"Link-corridor_shared_capacity {name} {period}"
            )


def add_pathway_constraints(n: pypsa.Network) -> None:
    """The pathway's own rules (instead of the single-year tie and shared-capacity rules)."""
    define_pathway_corridor_rules(n)
    define_cumulative_limits(n)
    drop_implied_copy_bounds(n)


def drop_implied_copy_bounds(n: pypsa.Network) -> None:
    """Remove ``Link-ext-p-upper`` (p ≤ p_nom of each link copy in service) when every copy
    in service may carry its full capacity (``p_max_pu`` 1 wherever it is active).

    The corridor row bounds the flows of all parts of a corridor by the capacity in service;
    copies of one corridor are interchangeable (same buses, efficiency and costs), so any
    flows within that sum can be split over the copies in proportion to their capacities —
    green flows with them — without changing any bus balance or cost: the optimum is the
    same without the per-copy rows."""
    name = "Link-ext-p-upper"
    links = n.c.links.static
    ext = links.index[links["p_nom_extendable"]]
    if name not in n.model.constraints or ext.empty or links.loc[ext, "corridor"].isna().any():
        return
    p_max = n.get_switchable_as_dense("Link", "p_max_pu")[ext].to_numpy()
    on = activity_mask(n, "Link", ext).to_numpy() > 0
    if (p_max[on] == 1.0).all():
        n.model.remove_constraints(name)


def activity_mask(n: pypsa.Network, component: str, names: pd.Index) -> xr.DataArray:
    """(snapshot, name) 1 where the unit is in service in the snapshot's period, else 0."""
    if not is_multi_period(n):
        return xr.DataArray(
            np.ones((len(n.snapshots), len(names))),
            coords={"snapshot": n.snapshots, "name": names},
            dims=("snapshot", "name"),
        )
    on = active(n, component)[names]
    values = on.loc[n.snapshots.get_level_values("period")].to_numpy().astype(float)
    return xr.DataArray(
        values, coords={"snapshot": n.snapshots, "name": names}, dims=("snapshot", "name")
    )
