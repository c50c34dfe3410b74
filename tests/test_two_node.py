"""Two nodes and a lossy corridor, and an export market, solved by hand.

Window: 1–7 January 2030, hourly, H = 168 h. Discount rate 7 % (tiny cost table). Capital
costs are per MW for the window, i.e. annualised × H/8760:

- C_W (onwind): crf(7 %, 25) × 1,000 EUR/kW × 1000 × H/8760
- C_L (HVDC submarine, ``LENGTH_KM``): (LENGTH_KM × 3,000 EUR/MW/km + 600 EUR/kW × 1000
  converter pair) × crf(7 %, 40) × H/8760 (no FOM rows in the tiny table)
- efficiency η = 0.98 (static) × 0.95 ^ (LENGTH_KM / 1000)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pypsa
import pytest

from energy.config.scenario import Scenario
from energy.run.pipeline import run_scenario
from tests.tiny import crf, write_inputs

H = 168
RATE = 0.07
LENGTH_KM = 500.0
STATIC, PER_1000KM = 0.98, 0.95
GAS = 20.0
WINDOW = {"start": "2030-01-01", "end": "2030-01-07"}
LOSSY = {
    ("HVDC submarine", "efficiency-static"): STATIC,
    ("HVDC submarine", "efficiency-per-1000km"): PER_1000KM,
}


ETA = STATIC * PER_1000KM ** (LENGTH_KM / 1000)
C_W = crf(RATE, 25) * 1000.0 * 1e3 * H / 8760
C_L = (LENGTH_KM * 3000.0 + 600.0 * 1e3) * crf(RATE, 40) * H / 8760


def mw(twh_per_year: float) -> float:
    """Constant MW of a yearly demand with load shape 1."""
    return twh_per_year * 1e6 / 8760


def twh(mw_value: float, hours: float) -> float:
    return mw_value * hours / 1e6


def scenario(name: str, **changes) -> Scenario:
    settings = {"expandable": ("onwind",), "green_export": {"enabled": False}} | changes
    return Scenario(name=name, resolution="1h", window=WINDOW, **settings)


def check_balance_closes(results) -> None:
    """Σ energy at every node is 0 relative to the node's gross supply."""
    bal = results.energy_balance
    for node, group in bal.groupby("node"):
        gross = group["energy_twh"].clip(lower=0).sum()
        assert abs(group["energy_twh"].sum()) <= 1e-6 * max(gross, 1e-9), node


def corridor(results, link: str = "ab") -> pd.Series:
    return results.links.set_index("link").loc[link]


# links.csv is rounded to 6 decimals of TWh (1 MWh): allow one unit of that last decimal
ROUNDED_TWH = 1e-6


def capacity(results, node: str, carrier: str) -> float:
    caps = results.capacities.set_index(["node", "carrier"])["optimal_mw"]
    return float(caps.get((node, carrier), 0.0))


# ---------------------------------------------------------------- A (wind) → B (load, gas)


def wind_to_load(tmp_path: Path, ocgt_efficiency: float, load_mw: float = 1000.0):
    """A: wind only, cf 1 every hour, no load. B: constant load, existing OCGT (2 GW)."""
    folder = write_inputs(
        tmp_path / "in",
        nodes=[{"node": "A"}, {"node": "B"}],
        demand=[
            {"node": "A", "demand_twh": 0.0},
            {"node": "B", "demand_twh": load_mw * 8760 / 1e6},
        ],
        fleet=[{"node": "B", "carrier": "OCGT", "p_nom_mw": 2000.0, "efficiency": ocgt_efficiency}],
        potentials=[{"node": "A", "carrier": "onwind", "potential_gw": 100.0, "cf_annual": 1.0}],
        links=[
            {
                "link": "ab",
                "bus0": "A",
                "bus1": "B",
                "type": "hvdc-submarine",
                "length_km": LENGTH_KM,
            }
        ],
        costs=LOSSY,
        profiles={"onwind": {"A": np.ones(8760)}},
    )
    return run_scenario(scenario("wind-to-load"), inputs_dir=folder, write=False)


def test_set_up_import_is_cheaper_than_gas_at_efficiency_half() -> None:
    """Delivered cost of wind via the cable (C_W + C_L)/(η H) ≈ 29.1 EUR/MWh lies between the
    gas marginal costs used below: 20/0.9 ≈ 22.2 < 29.1 < 20/0.5 = 40."""
    delivered = (C_W + C_L) / (ETA * H)
    assert GAS / 0.9 < delivered < GAS / 0.5


def test_import_over_lossy_link(tmp_path: Path) -> None:
    """Gas at B costs 40 EUR/MWh, imports (C_W + C_L)/(ηH) ≈ 29: B imports all its load L.

    - the link is sized at the sending end: P = L/η; wind at A = L/η (cf 1);
    - Σ_t λ_A = C_W (wind p_nom stationarity, wind at capacity every hour) → mean C_W/H;
    - Σ_t (η λ_B − λ_A) = C_L (link p_nom stationarity) → mean λ_B = (C_W + C_L)/(η H);
    - congestion rent Σ_t (λ_B η − λ_A)·P = C_L·L/η; losses = P·H·(1 − η);
    - objective = (C_W + C_L)·L/η (gas never runs).
    """
    load = 1000.0
    results = wind_to_load(tmp_path, ocgt_efficiency=0.5, load_mw=load)
    link = corridor(results)
    sent = load / ETA
    assert link["optimal_mw"] == pytest.approx(sent, rel=1e-3)
    assert capacity(results, "A", "onwind") == pytest.approx(sent, rel=1e-3)
    assert link["flow_forward_twh"] == pytest.approx(twh(sent, H), rel=1e-4)
    assert link["flow_backward_twh"] == pytest.approx(0.0, abs=1e-6 * twh(sent, H))
    assert link["losses_twh"] == pytest.approx(twh(sent, H) * (1 - ETA), abs=ROUNDED_TWH)
    assert results.kpi("link_losses") == pytest.approx(twh(sent, H) * (1 - ETA), abs=ROUNDED_TWH)
    assert link["congestion_rent_eur"] == pytest.approx(C_L * sent, rel=1e-4)
    assert results.kpi("price_mean_A") == pytest.approx(C_W / H, rel=1e-4)
    assert results.kpi("price_mean_B") == pytest.approx((C_W + C_L) / (ETA * H), rel=1e-4)
    assert results.kpi("objective") == pytest.approx((C_W + C_L) * sent, rel=1e-6)
    bal = results.energy_balance.set_index(["node", "carrier"])["energy_twh"]
    assert bal[("B", "link import")] == pytest.approx(twh(load, H), rel=1e-4)
    assert bal.get(("B", "OCGT"), 0.0) == pytest.approx(0.0, abs=1e-6 * twh(load, H))
    check_balance_closes(results)


def test_cheap_gas_means_no_link(tmp_path: Path) -> None:
    """Gas at 20/0.9 ≈ 22.2 EUR/MWh < imported ≈ 29.1: nothing is built, gas serves L."""
    load = 1000.0
    results = wind_to_load(tmp_path, ocgt_efficiency=0.9, load_mw=load)
    assert corridor(results)["optimal_mw"] == pytest.approx(0.0, abs=1e-3)
    assert capacity(results, "A", "onwind") == pytest.approx(0.0, abs=1e-3)
    assert results.kpi("objective") == pytest.approx(GAS / 0.9 * load * H, rel=1e-6)
    assert results.kpi("price_mean_B") == pytest.approx(GAS / 0.9, rel=1e-6)
    check_balance_closes(results)


# ------------------------------------------------------------------- flows in both directions


def test_two_way_corridor_has_one_capacity(tmp_path: Path) -> None:
    """A (load 500 MW) has wind only in even hours, B (load 1,000 MW) only in odd hours, both
    cf 1; both have a gas backstop at 20/0.02 = 1,000 EUR/MWh, far above any import cost.

    Even hours A sends L_B/η to B, odd hours B sends L_A/η to A; one capacity serves both
    directions, so P = max(L_B, L_A)/η = L_B/η, and wind at A = L_A + L_B/η, at B = L_B + L_A/η.
    Losses (1 − η)·84 h·(L_A + L_B)/η ≥ 0; objective C_W (W_A + W_B) + C_L·P.
    """
    load_a, load_b = 500.0, 1000.0
    even = (np.arange(8760) % 2 == 0).astype(float)
    folder = write_inputs(
        tmp_path / "in",
        nodes=[{"node": "A"}, {"node": "B"}],
        demand=[
            {"node": "A", "demand_twh": load_a * 8760 / 1e6},
            {"node": "B", "demand_twh": load_b * 8760 / 1e6},
        ],
        fleet=[
            {"node": n, "carrier": "OCGT", "p_nom_mw": 5000.0, "efficiency": 0.02}
            for n in ("A", "B")
        ],
        potentials=[
            {"node": n, "carrier": "onwind", "potential_gw": 100.0, "cf_annual": 0.5}
            for n in ("A", "B")
        ],
        links=[
            {
                "link": "ab",
                "bus0": "A",
                "bus1": "B",
                "type": "hvdc-submarine",
                "length_km": LENGTH_KM,
            }
        ],
        costs=LOSSY,
        profiles={"onwind": {"A": even, "B": 1.0 - even}},
    )
    out = tmp_path / "out"
    results = run_scenario(scenario("two-way"), out=out, inputs_dir=folder)
    capacity_mw = load_b / ETA
    links_csv = pd.read_csv(out / "links.csv").set_index("link")
    assert links_csv.at["ab", "optimal_mw"] == pytest.approx(capacity_mw, rel=1e-3)
    n = pypsa.Network(out / "network.nc")
    p_nom = n.c.links.static["p_nom_opt"]
    assert p_nom["ab reverse"] == pytest.approx(p_nom["ab"], rel=1e-9)
    assert p_nom["ab"] == pytest.approx(capacity_mw, rel=1e-3)
    link = corridor(results)
    assert link["flow_forward_twh"] == pytest.approx(twh(load_b / ETA, H / 2), rel=1e-4)
    assert link["flow_backward_twh"] == pytest.approx(twh(load_a / ETA, H / 2), rel=1e-4)
    losses = twh((load_a + load_b) / ETA, H / 2) * (1 - ETA)
    assert link["losses_twh"] >= 0
    assert link["losses_twh"] == pytest.approx(losses, abs=ROUNDED_TWH)
    wind_a, wind_b = load_a + load_b / ETA, load_b + load_a / ETA
    assert capacity(results, "A", "onwind") == pytest.approx(wind_a, rel=1e-3)
    assert capacity(results, "B", "onwind") == pytest.approx(wind_b, rel=1e-3)
    assert results.kpi("objective") == pytest.approx(
        C_W * (wind_a + wind_b) + C_L * capacity_mw, rel=1e-6
    )
    # no energy is created: generation = load + losses
    bal = results.energy_balance
    generation = bal.loc[bal["carrier"].isin(["onwind", "OCGT"]), "energy_twh"].sum()
    assert generation == pytest.approx(twh(load_a + load_b, H) + losses, rel=1e-5)
    check_balance_closes(results)


# ------------------------------------------------------------------------------ export market

P1, Q1 = 30.0, 400.0  # first (dearer) step: EUR/MWh, MW
P2, Q2 = 5.0, 300.0  # second step
WIND_COST = C_W / H  # ≈ 9.8 EUR/MWh for new wind at cf 1


def export_case(tmp_path: Path, *, existing_wind_mw: float, new_wind: bool, **changes):
    """Node W (country WX) with wind at cf 1, a lossless free existing line (HVAC, 0 km) to
    market node M buying Q1 MW at P1 and Q2 MW at P2 every hour. W also has an existing gas
    unit at 20/0.5 = 40 EUR/MWh > P1, which therefore never sells."""
    fleet = [{"node": "W", "carrier": "OCGT", "p_nom_mw": 1000.0, "efficiency": 0.5}]
    if existing_wind_mw:
        fleet.append({"node": "W", "carrier": "onwind", "p_nom_mw": existing_wind_mw})
    folder = write_inputs(
        tmp_path / "in",
        nodes=[{"node": "W", "country": "WX"}, {"node": "M", "country": "MK", "role": "market"}],
        demand=[{"node": "W", "demand_twh": 0.0}],
        fleet=fleet,
        potentials=[{"node": "W", "carrier": "onwind", "potential_gw": 100.0, "cf_annual": 1.0}]
        if new_wind
        else [],
        links=[
            {
                "link": "wm",
                "bus0": "W",
                "bus1": "M",
                "type": "hvac-overhead",
                "length_km": 0.0,
                "p_nom_mw": 1e5,
                "extendable": False,
                "p_nom_max_mw": 1e5,
            }
        ],
        markets=[
            {"node": "M", "step": 1, "price_eur_per_mwh": P1, "max_mw": Q1},
            {"node": "M", "step": 2, "price_eur_per_mwh": P2, "max_mw": Q2},
        ],
        profiles={"onwind": {"W": np.ones(8760)}},
    )
    sc = scenario("export", expandable=("onwind",) if new_wind else (), **changes)
    return run_scenario(sc, inputs_dir=folder, write=False)


def test_set_up_new_wind_cost_between_steps() -> None:
    assert P2 < WIND_COST < P1


def test_export_only_the_step_dearer_than_wind(tmp_path: Path) -> None:
    """New wind costs C_W/H ≈ 9.8 EUR/MWh: selling at P1 = 30 pays, at P2 = 5 does not, so
    exports = Q1 every hour, new wind = Q1, revenue = P1·Q1·H, objective C_W·Q1 − P1·Q1·H."""
    results = export_case(tmp_path, existing_wind_mw=0.0, new_wind=True)
    assert results.kpi("export_energy") == pytest.approx(twh(Q1, H), rel=1e-4)
    assert results.kpi("export_energy_M") == pytest.approx(twh(Q1, H), rel=1e-4)
    assert results.kpi("export_revenue") == pytest.approx(P1 * Q1 * H, rel=1e-4)
    assert capacity(results, "W", "onwind") == pytest.approx(Q1, rel=1e-3)
    assert results.kpi("objective") == pytest.approx(C_W * Q1 - P1 * Q1 * H, rel=1e-6)
    assert results.kpi("system_cost") == pytest.approx(C_W * Q1, rel=1e-4)
    bal = results.energy_balance.set_index(["node", "carrier"])["energy_twh"]
    assert bal[("M", "market export")] == pytest.approx(-twh(Q1, H), rel=1e-4)
    check_balance_closes(results)


GREEN_WX = {"enabled": True, "countries": ["WX"], "markets": ["M"]}


def test_green_export_additional_blocks_existing_wind(tmp_path: Path) -> None:
    """Only existing wind (1,000 MW, free) at W, no new wind, pool 'additional': no
    renewable generator qualifies, so exports ≤ 0 every hour → 0 and no revenue."""
    results = export_case(
        tmp_path,
        existing_wind_mw=1000.0,
        new_wind=False,
        green_export=GREEN_WX | {"pool": "additional"},
    )
    assert results.kpi("export_energy") == pytest.approx(0.0, abs=1e-6 * twh(Q1 + Q2, H))
    assert results.kpi("export_revenue") == pytest.approx(0.0, abs=1e-4 * P1 * Q1 * H)
    assert results.kpi("objective") == pytest.approx(0.0, abs=1e-4 * P1 * Q1 * H)


def test_green_export_pool_all_counts_existing_wind(tmp_path: Path) -> None:
    """Same, pool 'all': the existing wind (marginal cost 0 < P2) backs exports again and
    sells both steps: exports (Q1 + Q2)·H, revenue (P1·Q1 + P2·Q2)·H."""
    results = export_case(
        tmp_path, existing_wind_mw=1000.0, new_wind=False, green_export=GREEN_WX | {"pool": "all"}
    )
    assert results.kpi("export_energy") == pytest.approx(twh(Q1 + Q2, H), rel=1e-4)
    assert results.kpi("export_revenue") == pytest.approx((P1 * Q1 + P2 * Q2) * H, rel=1e-4)
    assert results.kpi("objective") == pytest.approx(-(P1 * Q1 + P2 * Q2) * H, rel=1e-6)
    check_balance_closes(results)


def test_green_export_additional_needs_new_wind_despite_free_existing(tmp_path: Path) -> None:
    """Existing wind 1,000 MW plus new wind allowed, pool 'additional': exports must be
    matched by new wind each hour, and W has no load, so the existing wind cannot run at all
    (p_existing = exports − p_new ≤ 0). New wind at ≈ 9.8 EUR/MWh sells only the P1 step:
    exports Q1, new wind Q1, objective C_W·Q1 − P1·Q1·H."""
    results = export_case(
        tmp_path,
        existing_wind_mw=1000.0,
        new_wind=True,
        green_export=GREEN_WX | {"pool": "additional"},
    )
    assert results.kpi("export_energy") == pytest.approx(twh(Q1, H), rel=1e-4)
    caps = results.capacities.set_index(["node", "carrier"])
    assert caps.at[("W", "onwind"), "added_mw"] == pytest.approx(Q1, rel=1e-3)
    assert results.kpi("objective") == pytest.approx(C_W * Q1 - P1 * Q1 * H, rel=1e-6)
    bal = results.energy_balance.set_index(["node", "carrier"])["energy_twh"]
    assert bal[("W", "onwind")] == pytest.approx(twh(Q1, H), rel=1e-4)
    check_balance_closes(results)
