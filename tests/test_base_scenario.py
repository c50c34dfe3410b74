"""The shipped base scenario on a two-week hourly window: physics and rules hold in the result."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pypsa
import pytest
import xarray as xr

from energy.config.scenario import load_scenario
from energy.data.inputs import load_inputs
from energy.results.folder import RESULT_FILES
from energy.run.pipeline import run_scenario

pytestmark = pytest.mark.slow  # solves the full inputs (base, two weeks hourly)

WINDOW = {"start": "2030-01-08", "end": "2030-01-21"}


@pytest.fixture(scope="module")
def base_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("results") / "base"
    scenario = load_scenario("base", window=WINDOW, resolution="1h")
    results = run_scenario(scenario, out=out)
    return results, pypsa.Network(out / "network.nc"), out


def test_all_result_files_written(base_run):
    results, _, out = base_run
    for name in (*RESULT_FILES, "run.log", "highs.log"):
        assert (out / name).stat().st_size > 0, name
    metadata = json.loads((out / "metadata.json").read_text())
    assert metadata["condition"] == "optimal"
    assert metadata["inputs_hash"] == load_inputs().hash()
    assert metadata["solver"]["ipm_iterations"] > 0, "HiPO (an interior-point method) must run"
    ds = xr.open_dataset(out / "timeseries.nc")
    assert set(ds.data_vars) >= {"marginal_price", "dispatch", "link_flow", "state_of_charge"}
    assert ds.sizes["snapshot"] == 14 * 24
    kpis = pd.read_csv(out / "kpis.csv")
    assert {
        "objective",
        "system_cost",
        "export_revenue",
        "export_energy",
        "co2_emissions",
        "curtailment",
        "capacity_trans-caspian",
        "capacity_black-sea",
        "res_share_KZ",
        "price_mean_AZ",
    } <= set(kpis["kpi"])
    assert np.isclose(results.kpi("objective"), metadata["objective_eur"], rtol=1e-9)


def test_kpis_agree_with_the_tables_and_the_network(base_run):
    """Every headline KPI by value, not only by name: recomputed from the energy balance, the
    links table and the solved network."""
    results, n, _ = base_run
    kpi = results.kpi
    bal = results.energy_balance
    by_carrier = bal.groupby("carrier")["energy_twh"].sum()
    w = n.snapshot_weightings["generators"]
    assert kpi("export_energy") == pytest.approx(-by_carrier["market export"], rel=1e-6)
    assert kpi("export_energy") > 0
    gens = n.c.generators.static
    green = gens.index[(gens["carrier"] == "export") & gens["bus"].isin(["EU", "TR"])]
    green_twh = (
        -(n.c.generators.dynamic["p"][green].mul(n.snapshot_weightings["generators"], axis=0))
        .sum()
        .sum()
        * 1e-6
    )
    assert kpi("green_export_energy") == pytest.approx(green_twh, rel=1e-9)
    assert kpi("green_export_energy") == pytest.approx(
        kpi("export_energy") - kpi("export_energy_RU"), rel=1e-9
    )
    assert kpi("demand") == pytest.approx(-by_carrier["load"], rel=1e-9)
    gens = n.c.generators.static
    variable = gens.index[gens["carrier"].isin(["onwind", "solar", "offwind"])]
    available = (
        n.c.generators.dynamic["p_max_pu"]
        .reindex(columns=variable)
        .fillna(gens.loc[variable, "p_max_pu"])
        * gens.loc[variable, "p_nom_opt"]
    )
    curtailed = (available - n.c.generators.dynamic["p"][variable]).mul(w, axis=0).sum().sum()
    assert kpi("curtailment") == pytest.approx(curtailed * 1e-6, rel=1e-4, abs=1e-6)
    assert kpi("curtailment") >= 0
    links = results.links.set_index("link")
    for corridor in ("trans-caspian", "black-sea"):
        assert kpi(f"capacity_{corridor}") == pytest.approx(links.at[corridor, "optimal_mw"])
    assert kpi("link_losses") == pytest.approx(links["losses_twh"].sum(), abs=1e-6)
    prices = n.c.buses.dynamic["marginal_price"]["AZ"]
    assert kpi("price_mean_AZ") == pytest.approx((prices * w).sum() / w.sum(), rel=1e-9)
    assert 0 < kpi("res_share_KZ") < 1
    assert kpi("co2_emissions") > 0
    revenue = results.costs.query("carrier == 'export'")["opex_eur"].sum()
    assert kpi("export_revenue") == pytest.approx(-revenue, rel=1e-6)
    assert kpi("system_cost") == pytest.approx(kpi("objective") + kpi("export_revenue"), rel=1e-9)
    assert kpi("modelled_hours") == 14 * 24 and kpi("snapshots") == 14 * 24


def test_energy_balance_closes_every_node_and_hour(base_run):
    """Σ generation + storage dispatch + link imports − link exports − load = 0 (rel. 1e-6)."""
    _, n, _ = base_run
    terms = []
    gens = n.c.generators
    terms.append(gens.dynamic["p"].T.groupby(gens.static["bus"]).sum().T)
    units = n.c.storage_units
    terms.append(units.dynamic["p"].T.groupby(units.static["bus"]).sum().T)
    links = n.c.links
    terms.append(-links.dynamic["p0"].T.groupby(links.static["bus0"]).sum().T)
    terms.append(-links.dynamic["p1"].T.groupby(links.static["bus1"]).sum().T)
    loads = n.c.loads
    terms.append(-loads.dynamic["p_set"].T.groupby(loads.static["bus"]).sum().T)
    frames = [t.reindex(columns=n.c.buses.static.index, fill_value=0.0) for t in terms]
    residual = sum(frames)
    scale = sum(f.abs() for f in frames).clip(lower=1.0)
    assert (residual.abs() / scale).to_numpy().max() <= 1e-6


def test_annual_balance_table_sums_to_zero(base_run):
    results, _, _ = base_run
    per_node = results.energy_balance.groupby("node")["energy_twh"]
    relative = per_node.sum().abs() / per_node.apply(lambda s: s.abs().sum())
    assert relative.max() <= 1e-6


def test_flows_within_capacities_and_corridors_tied(base_run):
    _, n, _ = base_run
    links = n.c.links
    p0 = links.dynamic["p0"]
    assert p0.min().min() >= -1e-6
    assert (p0 <= links.static["p_nom_opt"] * (1 + 1e-6) + 1e-6).all().all()
    static = links.static
    forward = ~static["reverse"].astype(bool)
    tied = static[static["p_nom_extendable"]]
    by_corridor = tied["p_nom_opt"].groupby([tied["corridor"], tied["reverse"]]).sum().unstack()
    np.testing.assert_allclose(by_corridor[False], by_corridor[True], rtol=1e-6, atol=1e-3)
    # a lossy corridor never creates energy
    assert ((p0 + links.dynamic["p1"]) >= -1e-6).all().all()
    # both directions share a corridor's capacity (no power circulating both ways)
    corridor = static["corridor"]
    flows = p0.T.groupby(corridor).sum().T
    capacity = static.loc[forward, "p_nom_opt"].groupby(corridor[forward]).sum()
    assert (flows <= capacity[flows.columns] * (1 + 1e-6) + 1e-3).all().all()


def test_potentials_and_candidate_limits_respected(base_run):
    results, _, _ = base_run
    inputs = load_inputs()
    caps = results.capacities.set_index(["node", "carrier"])["optimal_mw"]
    for (node, carrier), row in inputs.potentials.iterrows():
        if (node, carrier) in caps.index:
            assert caps[(node, carrier)] <= row["potential_gw"] * 1e3 * (1 + 1e-6) + 1e-3
    links = results.links.set_index("link")
    assert (links["optimal_mw"] <= inputs.links["p_nom_max_mw"] + 1e-3).all()
    assert (links["optimal_mw"] >= inputs.links["p_nom_mw"] - 1e-3).all()
    assert (links["utilisation"] <= 1 + 1e-6).all()


def test_green_export_matched_hour_by_hour(base_run):
    """Exports in every hour ≤ generation of new renewables in KZ, UZ and AZ."""
    _, n, _ = base_run
    gens = n.c.generators.static
    p = n.c.generators.dynamic["p"]
    exports = -p[gens.index[gens["carrier"] == "export"]].sum(axis=1)
    country = gens["bus"].map(n.c.buses.static["location"])
    pool = gens.index[
        gens["carrier"].isin(["onwind", "solar", "offwind", "hydro"])
        & country.isin(["KZ", "UZ", "AZ"])
        & gens["p_nom_extendable"]
    ]
    assert (exports <= p[pool].sum(axis=1) + 1e-3).all()
    assert exports.sum() > 0, "the base scenario is expected to export something"


def test_no_cable_has_no_trans_caspian_capacity(tmp_path):
    scenario = load_scenario("no-cable", window=WINDOW, resolution="3h")
    results = run_scenario(scenario, out=tmp_path / "no-cable")
    assert results.kpi("capacity_trans-caspian") == pytest.approx(0.0, abs=1e-6)
    assert results.links.set_index("link").at["trans-caspian", "flow_forward_twh"] == pytest.approx(
        0.0, abs=1e-9
    )
