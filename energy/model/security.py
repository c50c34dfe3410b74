"""Security rules: the largest single HVDC in-feed into a node is covered by reserve (N-1).

In every snapshot and for every HVDC link part ``l`` that feeds node ``b``:

    Σ_dispatchable at b (p_nom · p_max_pu − p) + Σ_batteries at b (p_nom − p_dispatch)
        ≥ η_l · p_l

i.e. if the in-feed of any one HVDC part trips, the node's spare dispatchable capacity
(thermal and hydro units, and battery discharge) can replace it. Market nodes (EU, TR, RU)
are not covered: their reserve is that of a large system the model does not hold. Batteries
count with their power headroom only (their state of charge is not reserved). Units not in
service in a period (pathway) contribute nothing.
"""

from __future__ import annotations

import pandas as pd
import pypsa
import xarray as xr

from energy.config.scenario import Scenario
from energy.model.naming import export_generators, import_generators
from energy.model.pathway_rules import activity_mask

DISPATCHABLE = ("coal", "CCGT", "OCGT", "gas-steam", "hydro")
BATTERY = "battery"


def hvdc_infeeds(n: pypsa.Network) -> pd.DataFrame:
    """HVDC link parts (carrier DC) feeding a domestic node, with that node and their
    efficiency. Market nodes (EU, TR, RU: they trade at given prices) are large systems whose
    reserve is not modelled: in-feeds into them are not covered."""
    links = n.c.links.static
    gens = n.c.generators.static
    markets = set(gens.loc[export_generators(n).union(import_generators(n)), "bus"])
    feeds = (links["carrier"] == "DC") & ~links["bus1"].isin(markets)
    return links.loc[feeds, ["bus1", "efficiency"]]


def by_bus(expr, buses: pd.Series):
    """Sum a (snapshot, name) expression per bus (only buses that have units)."""
    return expr.groupby(
        xr.DataArray(buses.values, coords={"name": buses.index.values}, dims="name", name="bus")
    ).sum()


def headroom(n: pypsa.Network, component: str, names: pd.Index) -> list:
    """Spare upward capacity of ``names`` of ``component`` as per-bus expressions
    (snapshot, bus): fixed capacity minus dispatch, plus the capacity of candidates."""
    m = n.model
    static = n.c[component].static.loc[names]
    on = activity_mask(n, component, names)
    if component == "Generator":
        pu = n.get_switchable_as_dense(component, "p_max_pu")[names].to_numpy()
        cap, dispatch = on * pu, m["Generator-p"].sel(name=names.tolist())
    else:
        cap, dispatch = on, m["StorageUnit-p_dispatch"].sel(name=names.tolist())
    fixed = static["p_nom"].where(~static["p_nom_extendable"], 0.0).to_numpy()
    spare = cap * xr.DataArray(fixed, coords={"name": names.tolist()}, dims="name") - dispatch
    parts = [by_bus(spare, static["bus"])]
    ext = static.index[static["p_nom_extendable"]]
    if len(ext):
        built = cap.sel(name=ext.tolist()) * m[f"{component}-p_nom"].sel(name=ext.tolist())
        parts.append(by_bus(built, static.loc[ext, "bus"]))
    return parts


def define_n_minus_1(n: pypsa.Network, scenario: Scenario) -> None:
    """Reserve at every node covers each single HVDC in-feed into it, every snapshot."""
    if not scenario.n_minus_1:
        return
    infeeds = hvdc_infeeds(n)
    if infeeds.empty:
        return
    buses = sorted(set(infeeds["bus1"]))
    gens = n.c.generators.static
    units = gens.index[gens["carrier"].isin(DISPATCHABLE) & gens["bus"].isin(buses)]
    stores = n.c.storage_units.static
    batteries = stores.index[(stores["carrier"] == BATTERY) & stores["bus"].isin(buses)]
    parts = [
        part
        for component, names in (("Generator", units), ("StorageUnit", batteries))
        if len(names)
        for part in headroom(n, component, names)
    ]
    m = n.model
    for link, (bus, efficiency) in infeeds.iterrows():
        flow = efficiency * m["Link-p"].sel(name=link)
        here = [part.sel(bus=bus) for part in parts if bus in part.indexes["bus"]]
        reserve = sum(here[1:], here[0]) if here else None
        lhs = flow if reserve is None else flow - reserve
        m.add_constraints(lhs <= 0, name=f"n_minus_1_reserve {link}")
