"""Corridor rules added to the linopy model, one ``define_*`` function per rule."""

from __future__ import annotations

import pandas as pd
import pypsa

from energy.scenario import Scenario

RENEWABLE = ("onwind", "solar", "offwind", "hydro")


def export_generators(n: pypsa.Network) -> pd.Index:
    gens = n.c.generators.static
    return gens.index[gens["carrier"] == "export"]


def green_pool(n: pypsa.Network, countries: tuple[str, ...], pool: str) -> pd.Index:
    """Renewable generators in ``countries`` that may back green exports."""
    gens = n.c.generators.static
    country = gens["bus"].map(n.c.buses.static["location"])
    mask = gens["carrier"].isin(RENEWABLE) & country.isin(countries)
    if pool == "additional":
        mask &= gens["p_nom_extendable"]
    return gens.index[mask]


def define_tied_corridors(n: pypsa.Network) -> None:
    """Both directions of an expanded corridor have one capacity: p_nom(rev) = p_nom(fwd)."""
    links = n.c.links.static
    reverse = links.index[links["p_nom_extendable"] & links.index.str.endswith(" new reverse")]
    if reverse.empty:
        return
    forward = reverse.str.removesuffix(" reverse")
    p_nom = n.model["Link-p_nom"]
    lhs = p_nom.sel(name=forward.tolist()) - p_nom.sel(name=reverse.tolist()).assign_coords(
        name=forward.tolist())
    n.model.add_constraints(lhs == 0, name="Link-corridor_tie")


def exported_power(n: pypsa.Network):
    """Linear expression of the power bought by all markets in each snapshot (MW, ≥ 0)."""
    p = n.model["Generator-p"].sel(name=export_generators(n).tolist())
    return -p.sum("name")


def define_green_export(n: pypsa.Network, scenario: Scenario) -> None:
    """Each hour's exports ≤ that hour's generation of eligible renewables (CBAM matching)."""
    rule = scenario.green_export
    if not rule.enabled or export_generators(n).empty:
        return
    pool = green_pool(n, rule.countries, rule.pool)
    exports = exported_power(n)
    if pool.empty:
        n.model.add_constraints(exports <= 0, name="green_export_matching")
        return
    res = n.model["Generator-p"].sel(name=pool.tolist()).sum("name")
    n.model.add_constraints(exports - res <= 0, name="green_export_matching")


def define_export_target(n: pypsa.Network, scenario: Scenario) -> None:
    """Annual exports (weighted) equal the target, scaled to the modelled share of the year."""
    if scenario.export_target_twh is None:
        return
    weights = n.snapshot_weightings["generators"]
    years = float(n.snapshot_weightings["objective"].sum()) / 8760.0
    target_mwh = scenario.export_target_twh * 1e6 * years
    delivered = (exported_power(n) * weights.rename_axis("snapshot")).sum("snapshot")
    n.model.add_constraints(delivered == target_mwh, name="export_target")


def add_corridor_constraints(n: pypsa.Network, scenario: Scenario) -> None:
    define_tied_corridors(n)
    define_green_export(n, scenario)
    define_export_target(n, scenario)
