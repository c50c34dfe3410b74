"""The N-1 rule on two nodes: B's reserve covers the HVDC in-feed from A.

A has 2,000 MW of OCGT at 10 EUR/MWh (gas 4 EUR/MWh_th, efficiency 0.4); B has no demand,
R MW of dispatchable OCGT at 40 EUR/MWh and an existing 1,000 MW AC line to the market EU,
which buys up to 1,000 MW at 100 EUR/MWh. A new HVDC link A → B (converter pair only,
45,006 EUR/MW/a ≈ 5.1 EUR/MWh at full use) beats B's gas by 30 EUR/MWh, so without N-1 it is
built to the full 1,000 MW of exports.

With N-1 every hour: B's headroom (R − g_B, plus battery power not dispatched) ≥ the in-feed
x. Exports e = x + g_B, so e ≤ R (+ battery): the cable is capped at B's reserve,
x = R + battery MW, g_B = 0 (A's power is cheaper than B's). The AC line to EU is no HVDC
in-feed and needs no reserve.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from energy.config.scenario import Scenario
from energy.run.pipeline import run_scenario
from tests.tiny import write_inputs

WINDOW = {"start": "2030-01-01", "end": "2030-01-01"}
R = 300.0


def line_to_eu(mw: float) -> dict:
    """B's existing AC line to the market EU (no HVDC in-feed, needs no reserve)."""
    link = {"link": "beu", "bus0": "B", "bus1": "EU", "type": "hvac-overhead"}
    return link | {"p_nom_mw": mw, "extendable": False, "p_nom_max_mw": mw}


def inputs(folder: Path, battery_mw: float = 0.0) -> Path:
    fleet = [
        {"node": "A", "carrier": "OCGT", "p_nom_mw": 2000, "efficiency": 0.4},
        {"node": "B", "carrier": "OCGT", "p_nom_mw": R, "efficiency": 0.1},
    ]
    if battery_mw:
        fleet.append({"node": "B", "carrier": "battery", "p_nom_mw": battery_mw})
    return write_inputs(
        folder,
        nodes=[{"node": "A"}, {"node": "B"}, {"node": "EU", "role": "market"}],
        demand=[{"node": "A", "demand_twh": 0.0}, {"node": "B", "demand_twh": 0.0}],
        fleet=fleet,
        links=[
            {"link": "ab", "bus0": "A", "bus1": "B", "length_km": 0, "p_nom_max_mw": 5000},
            line_to_eu(1000),
        ],
        markets=[{"node": "EU", "step": 1, "price_eur_per_mwh": 100, "max_mw": 1000}],
        fuels=[{"fuel": "gas", "country": "*", "price_eur_per_mwh_th": 4.0, "co2_t_per_mwh_th": 0}],
    )


def scenario(**changes) -> Scenario:
    settings = {
        "name": "n1",
        "resolution": "1h",
        "window": WINDOW,
        "expandable": (),
        "green_export": {"enabled": False},
        "hourly_export_prices": False,
    }
    return Scenario(**(settings | changes))


def cable(results) -> float:
    return float(results.links.set_index("link").at["ab", "optimal_mw"])


def test_without_n_minus_1_the_cable_carries_all_exports(tmp_path: Path) -> None:
    results = run_scenario(scenario(), inputs_dir=inputs(tmp_path), write=False)
    assert cable(results) == pytest.approx(1000.0, rel=1e-6)


@pytest.mark.parametrize("battery_mw", [0.0, 100.0])
def test_n_minus_1_caps_the_cable_at_the_reserve_of_the_receiving_node(
    tmp_path: Path, battery_mw: float
) -> None:
    folder = inputs(tmp_path, battery_mw)
    results = run_scenario(scenario(n_minus_1=True), inputs_dir=folder, write=False)
    assert cable(results) == pytest.approx(R + battery_mw, rel=1e-6)
    kpis = results.kpis.set_index("kpi")["value"]
    hours = 24
    assert kpis["export_energy"] == pytest.approx((R + battery_mw) * hours * 1e-6, rel=1e-6)
    balance = results.energy_balance.set_index(["node", "carrier"])["energy_twh"]
    assert balance.get(("B", "OCGT"), 0.0) == pytest.approx(0.0, abs=1e-9)


def test_n_minus_1_builds_reserve_to_keep_the_cable(tmp_path: Path) -> None:
    # new batteries at B (crf(7 %, 25) × (100 + 4 × 100) EUR/kW = 42,906 EUR/MW/a) count as
    # reserve: one more MW of cable and battery costs 45,006 + 42,906 EUR/a and earns
    # (100 − 10) EUR/MWh × 8,760 h, so the cable stays at 1,000 MW with 1,000 − R of battery
    folder = inputs(tmp_path)
    results = run_scenario(
        scenario(n_minus_1=True, expandable=("battery",)), inputs_dir=folder, write=False
    )
    assert cable(results) == pytest.approx(1000.0, rel=1e-6)
    caps = results.capacities.set_index(["node", "carrier"])["optimal_mw"]
    assert caps[("B", "battery")] == pytest.approx(1000.0 - R, rel=1e-6)
    assert caps.get(("A", "battery"), 0.0) == pytest.approx(0.0, abs=1e-6)


def test_n_minus_1_in_a_pathway_counts_units_in_service_only(tmp_path: Path) -> None:
    # the same two nodes over 2030 and 2035, the cable in service from 2033: 2030 exports
    # only B's own gas; in 2035 the cable is capped at B's reserve as in a single year
    folder = inputs(tmp_path)
    for stem in ("demand", "fleet"):
        table = pd.read_csv(folder / f"{stem}.csv")
        later = table.assign(period=2035, **({"year": 2035} if stem == "demand" else {}))
        pd.concat([table, later]).to_csv(folder / f"{stem}.csv", index=False)
    links = pd.read_csv(folder / "links.csv")
    links.loc[links["link"] == "ab", "in_service_year"] = 2033
    links.to_csv(folder / "links.csv", index=False)
    results = run_scenario(
        scenario(n_minus_1=True, periods=(2030, 2035)), inputs_dir=folder, write=False
    )
    built = results.links.set_index(["period", "link"])["optimal_mw"]
    assert built[(2030, "ab")] == pytest.approx(0.0, abs=1e-6)
    assert built[(2035, "ab")] == pytest.approx(R, rel=1e-6)


def test_in_feed_into_a_market_node_needs_no_modelled_reserve(tmp_path: Path) -> None:
    # B → EU as an HVDC back-to-back: EU is a market (a large system whose reserve the model
    # does not hold), so only the in-feed into B is covered: the cable is still R
    folder = inputs(tmp_path)
    links = pd.read_csv(folder / "links.csv")
    links.loc[links["link"] == "beu", "type"] = "hvdc-b2b"
    links.to_csv(folder / "links.csv", index=False)
    results = run_scenario(scenario(n_minus_1=True), inputs_dir=folder, write=False)
    assert cable(results) == pytest.approx(R, rel=1e-6)


def test_on_a_pathway_each_stage_is_one_in_feed(tmp_path: Path) -> None:
    """Two periods; A (OCGT at 10 EUR/MWh, 1,000 MW, 100 MW demand) feeds B (1,000 MW of OCGT
    at 40 EUR/MWh, 100 MW demand) over the HVDC link ab; B sells to EU at 100 EUR/MWh. N-1 at
    B: each in-feed η·p_i ≤ 1,000 − g_B. In 2030 one stage carries A's 900 MW. In 2035 a second
    stage halves the largest in-feed, so B's gas may run 450·η MW more: the stage that pays
    is 450 MW (p₁ = p₂ = 450 minimises max(p₁, p₂) with p₁ + p₂ = 900). If the flow could be
    booked on a copy that was never built, no second stage would be needed."""
    from tests.test_pathway import pathway_inputs
    from tests.test_pathway import scenario as pathway_scenario

    links = [
        {"link": "ab", "bus0": "A", "bus1": "B", "length_km": 0, "in_service_year": 2020},
        line_to_eu(2000) | {"length_km": 0},
    ]
    market = [{"node": "EU", "step": 1, "price_eur_per_mwh": 100, "max_mw": 2000}]
    folder = pathway_inputs(tmp_path, {"2030": 1100, "2035": 1100}, links=links, markets=market)
    sc = pathway_scenario(expandable=(), n_minus_1=True, hourly_export_prices=False)
    results = run_scenario(sc, inputs_dir=folder, write=False)
    ab = results.links.set_index(["period", "link"])["optimal_mw"]
    assert ab[(2030, "ab")] == pytest.approx(900, rel=1e-6)
    assert ab[(2035, "ab")] == pytest.approx(1350, rel=1e-6)  # the 2030 stage + 450 MW
