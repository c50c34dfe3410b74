"""The pathway's own constraint families (on the model of a stacked multi-period network,
:mod:`energy.model.pathway`): corridor capacity in service per period, the tie of both
directions of a link copy, the shared room of all copies of a candidate, one dispatch per
candidate for all its copies in service, and the activity mask of units by period (also
used by the N-1 rule)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa
import xarray as xr

from energy.model.naming import corridor_of, is_forward
from energy.model.pathway import NO_LIMIT_MW, is_multi_period


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
                if source not in room.index or len(group) < 2 or room[source] >= NO_LIMIT_MW:
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
    by_corridor = xr.DataArray(
        corridor_of(links).to_numpy(),
        coords={"name": links.index.to_numpy()},
        dims="name",
        name="corridor",
    )
    on = activity_mask(n, "Link", links.index)
    flows = m["Link-p"].groupby(by_corridor).sum()  # parts out of service have no flow
    corridors = flows.indexes["corridor"]
    existing = xr.zeros_like(on.isel(name=0, drop=True)).expand_dims(corridor=corridors).copy()
    fixed = links.index[~links["p_nom_extendable"]]
    if len(fixed):
        halves = xr.DataArray(links.loc[fixed, "p_nom"].to_numpy() / 2.0, dims="name")
        existing = (
            (on.sel(name=fixed.tolist()) * halves.assign_coords(name=fixed.tolist()))
            .groupby(by_corridor.sel(name=fixed.tolist()))
            .sum()
            .reindex(corridor=corridors, fill_value=0.0)
        )
    lhs = flows
    if not forward.empty:
        built = (
            (on.sel(name=forward.index.tolist()) * p_nom.sel(name=forward.index.tolist()))
            .groupby(by_corridor.sel(name=forward.index.tolist()))
            .sum()
        )
        lhs = flows - built.reindex(corridor=corridors).fillna(0)
    live = (on.groupby(by_corridor).max() > 0).reindex(corridor=corridors, fill_value=False)
    m.add_constraints(lhs <= existing, name="Link-corridor_shared_capacity", mask=live)


def add_pathway_constraints(n: pypsa.Network, n_minus_1: bool = False) -> None:
    """The pathway's own rules (instead of the single-year tie and shared-capacity rules),
    then one dispatch per candidate instead of one per copy. With N-1 a link copy (a stage
    built in one period) is one in-feed: it keeps its own ``p ≤ p_nom`` row and its own flow,
    else the flow of a built stage could be booked on a copy that was never built."""
    define_pathway_corridor_rules(n)
    define_cumulative_limits(n)
    if not n_minus_1:
        drop_implied_copy_bounds(n)
        share_link_dispatch(n)
    share_dispatch(n, "Generator")
    share_dispatch(n, "StorageUnit")


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


def dispatch_carriers(n: pypsa.Network, component: str) -> pd.Series:
    """For every extendable copy, the copy of the same candidate that carries its dispatch:
    the earliest copy, when it is in service in every period the copy is (else itself)."""
    static = n.c[component].static
    ext = static.index[static["p_nom_extendable"]]
    if ext.empty:
        return pd.Series(dtype=object)
    source = pd.Series(n.meta["units"][component]).reindex(ext)
    order = static.loc[ext, "build_year"].sort_values(kind="stable")
    earliest = source[order.index].groupby(source[order.index]).transform(lambda s: s.index[0])
    on = active(n, component)
    carrier = earliest.reindex(ext)
    covered = (on[carrier.to_numpy()].to_numpy() | ~on[ext].to_numpy()).all(axis=0)
    return carrier.where(covered, pd.Series(ext, index=ext))


def fix_to_zero(m, name: str, units: list[str]) -> None:
    """Fix variable ``name`` of ``units`` at 0 in every snapshot (presolve removes them)."""
    var = m[name]
    sel = var.indexes["name"].isin(units)
    mask = xr.DataArray(sel, coords={"name": var.indexes["name"]}, dims="name")
    var.update(upper=var.upper.where(~mask, 0.0), lower=var.lower.where(~mask, 0.0))


def share_link_dispatch(n: pypsa.Network) -> None:
    """Copies of one corridor direction have no per-copy bound (``drop_implied_copy_bounds``):
    the corridor row bounds the sum of their flows, so the earliest copy may carry it all.
    The flows of the later copies are fixed at 0 (fewer columns, same optimum)."""
    if "Link-ext-p-upper" in n.model.constraints:
        return
    carrier = dispatch_carriers(n, "Link")
    later = carrier.index[carrier.index != carrier.to_numpy()]
    if len(later):
        fix_to_zero(n.model, "Link-p", later.tolist())


# static attributes that must agree for copies to share one dispatch, by component
SAME_STATIC = {
    "Generator": ("bus", "carrier", "efficiency"),
    "StorageUnit": (
        "bus",
        "carrier",
        "max_hours",
        "efficiency_store",
        "efficiency_dispatch",
        "standing_loss",
        "cyclic_state_of_charge",
        "cyclic_state_of_charge_per_period",
    ),
}
SAME_DYNAMIC = {
    "Generator": ("p_max_pu", "p_min_pu", "marginal_cost"),
    "StorageUnit": ("p_max_pu", "p_min_pu", "marginal_cost", "inflow"),
}
SHARED_ATTRS = {"Generator": ("p",), "StorageUnit": ("p_dispatch", "p_store", "state_of_charge")}


def interchangeable(n: pypsa.Network, component: str, carrier: pd.Series) -> pd.Series:
    """True for a copy that behaves like its dispatch carrier wherever it is in service:
    same static attributes, same profiles and costs in its periods."""
    static = n.c[component].static
    ok = pd.Series(True, index=carrier.index)
    for attr in SAME_STATIC[component]:
        if attr in static:
            ok &= static.loc[carrier.index, attr].to_numpy() == static.loc[carrier, attr].to_numpy()
    on = activity_mask(n, component, carrier.index).to_numpy() > 0
    for attr in SAME_DYNAMIC[component]:
        values = n.get_switchable_as_dense(component, attr)
        mine = values[carrier.index].to_numpy()
        theirs = values[carrier.to_numpy()].to_numpy()
        ok &= ((mine == theirs) | ~on).all(axis=0)
    if component == "Generator":
        zero = n.get_switchable_as_dense(component, "p_min_pu")[carrier.index].to_numpy() == 0
        ok &= (zero | ~on).all(axis=0)
    return ok


def as_dense(bound: xr.DataArray, names: pd.Index, n: pypsa.Network) -> np.ndarray:
    """(snapshot × name) values of a per-unit bound that may be static."""
    values = bound.sel(name=names.tolist())
    if "snapshot" in values.dims:
        return values.transpose("snapshot", "name").to_numpy()
    return np.broadcast_to(values.to_numpy(), (len(n.snapshots), len(names)))


def share_dispatch(n: pypsa.Network, component: str) -> None:
    """Copies of one candidate in service in a period are interchangeable (same bus,
    profile, costs and efficiencies), so one set of dispatch variables bounded by the
    capacity in service (Σ of the copies' p_nom) replaces one set per copy: the earliest
    copy dispatches for all, the later copies' dispatch is fixed at 0 (fewer columns and
    rows, same optimum; capacities stay per copy)."""
    m = n.model
    attrs = SHARED_ATTRS[component]
    if any(f"{component}-ext-{a}-upper" not in m.constraints for a in attrs):
        return
    carrier = dispatch_carriers(n, component)
    carrier = carrier[interchangeable(n, component, carrier)]
    later = carrier.index[carrier.index != carrier.to_numpy()]
    if later.empty:
        return
    for attr in attrs:
        fix_to_zero(m, f"{component}-{attr}", later.tolist())
    static = n.c[component].static
    ext = static.index[static["p_nom_extendable"]].difference(later, sort=False)
    members = {c: [c] + later[carrier[later].to_numpy() == c].tolist() for c in ext}
    width = max(len(v) for v in members.values())
    on = activity_mask(n, component, static.index[static["p_nom_extendable"]])
    p_nom = m[f"{component}-p_nom"]
    mask = on.sel(name=ext.tolist()) > 0
    for attr in attrs:
        name = f"{component}-ext-{attr}-upper"
        _, max_pu = n.components[component].get_bounds_pu(attr=attr)
        pu = xr.DataArray(
            as_dense(max_pu, ext, n),
            coords={"snapshot": n.snapshots, "name": ext},
            dims=("snapshot", "name"),
        )
        lhs = m[f"{component}-{attr}"].sel(name=ext.tolist())
        for k in range(width):
            who = [members[c][k] if k < len(members[c]) else c for c in ext]
            use = xr.DataArray(
                [float(k < len(members[c])) for c in ext], coords={"name": ext}, dims="name"
            )
            coef = pu * on.sel(name=who).assign_coords(name=ext) * use
            lhs = lhs - coef * p_nom.sel(name=who).assign_coords(name=ext)
        m.remove_constraints(name)
        m.add_constraints(lhs <= 0, name=name, mask=mask)
