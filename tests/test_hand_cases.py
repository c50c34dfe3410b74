"""Hand-solved cases of every corridor rule, on tiny inputs, in the fast tier (issue 11).

Each case is small enough to solve with pencil and paper; its docstring derives the answer
and the test compares the model's with it. Every case was chosen so that one plausible
mistake in the model (named in the docstring) changes the answer.

Common numbers (tiny cost table of ``tests/tiny.py``): window 1–7 January 2030, hourly,
H = 168 h; discount rate 7 %; gas 20 EUR/MWh_th and 0.2 t/MWh_th, coal 8 EUR/MWh_th and
0.34 t/MWh_th. Capital costs are charged for the window (annualised × H/8760):

- C_W = crf(7 %, 25) × 1,000 EUR/kW                        ≈ 1,645.7 EUR/MW (new onwind)
- C_L = (500 km × 3,000 EUR/MW/km + 600 EUR/kW) × crf(7 %, 40) ≈ 3,021 EUR/MW (HVDC cable)
- C_B = crf(7 %, 25) × (100 EUR/kW + 4 h × 100 EUR/kWh)      ≈ 822.8 EUR/MW (battery, 4 h)
- C_O = crf(7 %, 25) × 500 EUR/kW                           ≈ 822.8 EUR/MW (new OCGT)
- lossy cable: η = 0.98 (static) × 0.95 ^ (500/1000) ≈ 0.9552
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from energy.config.scenario import Scenario
from energy.run.pipeline import run_scenario
from tests.tiny import REPO, crf, write_co2_prices, write_inputs

H = 168
WINDOW = {"start": "2030-01-01", "end": "2030-01-07"}
RATE = 0.07
LENGTH_KM = 500.0
STATIC, PER_1000KM = 0.98, 0.95
LOSSY = {
    ("HVDC submarine", "efficiency-static"): STATIC,
    ("HVDC submarine", "efficiency-per-1000km"): PER_1000KM,
}


SHARE = H / 8760
ETA = STATIC * PER_1000KM ** (LENGTH_KM / 1000)
C_W = crf(RATE, 25) * 1000e3 * SHARE
C_L = (LENGTH_KM * 3000.0 + 600e3) * crf(RATE, 40) * SHARE
C_B = crf(RATE, 25) * (100e3 + 4 * 100e3) * SHARE
C_O = crf(RATE, 25) * 500e3 * SHARE


def twh(mw: float, hours: float = H) -> float:
    return mw * hours * 1e-6


def scenario(name: str = "hand", **changes) -> Scenario:
    settings = {"expandable": ("onwind",), "green_export": {"enabled": False}} | changes
    return Scenario(name=name, resolution="1h", window=WINDOW, **settings)


def capacity(results, node: str, carrier: str) -> float:
    caps = results.capacities.set_index(["node", "carrier"])["optimal_mw"]
    return float(caps.get((node, carrier), 0.0))


def energy(results, node: str, carrier: str) -> float:
    """TWh of ``carrier`` at ``node`` in the energy balance (0 if absent)."""
    bal = results.energy_balance.set_index(["node", "carrier"])["energy_twh"]
    return float(bal.get((node, carrier), 0.0))


def test_set_up_numbers() -> None:
    """The derivations below rely on these orderings."""
    assert C_W == pytest.approx(1645.7, abs=0.1) and C_L == pytest.approx(3021, abs=1)
    assert C_W / H < 40 < 100  # new wind (≈ 9.8 EUR/MWh) < gas at B < the market's price
    assert (C_W + C_L) / (ETA * H) < 100  # wind delivered over the lossy cable ≈ 29.1


# ---------------------------------------------------------------- green export along a path

GREEN_KZ = {"enabled": True, "countries": ["KZ"], "pool": "additional"}


def green_inputs(folder: Path, *, ab: dict, load_a_mw: float = 0.0, wind_gw: float = 100.0):
    """A (KZ): new wind, cf 1, ``wind_gw`` of potential, load ``load_a_mw``. B (AZ): 5 GW of
    existing OCGT at 20/0.5 = 40 EUR/MWh, no load. EU (market): buys up to 400 MW at
    100 EUR/MWh over a fixed, lossless 500 MW line B→EU. Link A–B as given by ``ab``."""
    return write_inputs(
        folder,
        nodes=[
            {"node": "A", "country": "KZ"},
            {"node": "B", "country": "AZ"},
            {"node": "EU", "role": "market"},
        ],
        demand=[
            {"node": "A", "demand_twh": load_a_mw * 8760 / 1e6},
            {"node": "B", "demand_twh": 0.0},
        ],
        fleet=[{"node": "B", "carrier": "OCGT", "p_nom_mw": 5000, "efficiency": 0.5}],
        potentials=[{"node": "A", "carrier": "onwind", "potential_gw": wind_gw, "cf_annual": 1.0}],
        links=[
            {"link": "ab", "bus0": "A", "bus1": "B", **ab},
            {
                "link": "beu",
                "bus0": "B",
                "bus1": "EU",
                "type": "hvac-overhead",
                "p_nom_mw": 500,
                "extendable": False,
                "p_nom_max_mw": 500,
            },
        ],
        markets=[{"node": "EU", "step": 1, "price_eur_per_mwh": 100, "max_mw": 400}],
        costs=LOSSY,
        profiles={"onwind": {"A": np.ones(8760)}},
    )


def test_lossy_green_path_exports_eta_times_wind(tmp_path: Path) -> None:
    """A new lossy cable A→B (η ≈ 0.955) carries KZ wind towards the market.

    Exports must be matched every hour by green power *arriving* at B, i.e. η·g with
    g ≤ p_AB the green flow sent. Exporting pays (100 > (C_W + C_L)/(ηH) ≈ 29.1), so the
    market buys its 400 MW, which takes g = 400/η: wind = cable = 400/η ≈ 418.8 MW,
    exports = η × wind × H, and gas (not green) sells nothing.
    objective = (C_W + C_L)·400/η − 100·400·H.

    Catches: green power counted without the cable's loss (then 400 MW of wind and
    400·(1 − η) MW of gas would do), or the loss applied twice."""
    folder = green_inputs(
        tmp_path / "in",
        ab={"type": "hvdc-submarine", "length_km": LENGTH_KM, "extendable": True},
    )
    results = run_scenario(scenario(green_export=GREEN_KZ), inputs_dir=folder, write=False)
    wind = capacity(results, "A", "onwind")
    assert wind == pytest.approx(400 / ETA, rel=1e-4)
    assert results.kpi("capacity_ab") == pytest.approx(400 / ETA, rel=1e-4)
    assert results.kpi("export_energy") == pytest.approx(twh(ETA * wind), rel=1e-4)
    assert energy(results, "B", "OCGT") == pytest.approx(0.0, abs=1e-9)
    assert results.kpi("objective") == pytest.approx(
        (C_W + C_L) * 400 / ETA - 100 * 400 * H, rel=1e-6
    )


def full_line(tmp_path: Path, line_mw: float):
    """A (KZ) has 1,000 MW of load and at most 300 MW of new wind (cf 1, ≈ 9.8 EUR/MWh, so
    all of it is built); the rest, 700 MW, must come from B's gas over the existing lossless
    line A–B of ``line_mw`` in each direction (hvac-overhead, 0 km). Green rule: KZ, pool
    'additional' — only A's new wind can back exports."""
    folder = green_inputs(
        tmp_path / f"in{line_mw:g}",
        ab={
            "type": "hvac-overhead",
            "length_km": 0.0,
            "p_nom_mw": line_mw,
            "extendable": False,
            "p_nom_max_mw": line_mw,
        },
        load_a_mw=1000.0,
        wind_gw=0.3,
    )
    return run_scenario(scenario(green_export=GREEN_KZ), inputs_dir=folder, write=False)


def test_green_power_cannot_travel_against_the_physical_flow(tmp_path: Path) -> None:
    """Line A–B of 700 MW: B→A carries A's missing 700 MW every hour, so the line is full
    towards A and nothing flows A→B (p_AB + p_BA ≤ 700). The green flow is bounded by the
    physical flow (g_AB ≤ p_AB = 0), so A's wind cannot back any export: exports 0, although
    selling B's gas at 100 would pay 60 EUR/MWh.
    objective = C_W·300 + 40·700·H.

    Catches: a green flow not bounded by the physical flow (exports would be 400 MW)."""
    results = full_line(tmp_path, 700.0)
    assert capacity(results, "A", "onwind") == pytest.approx(300.0, rel=1e-6)
    assert results.kpi("export_energy") == pytest.approx(0.0, abs=1e-9)
    link = results.links.set_index("link").loc["ab"]
    assert link["flow_backward_twh"] == pytest.approx(twh(700), rel=1e-6)
    assert link["flow_forward_twh"] == pytest.approx(0.0, abs=1e-6)
    assert results.kpi("objective") == pytest.approx(C_W * 300 + 40 * 700 * H, rel=1e-6)


def test_full_existing_line_shares_one_capacity(tmp_path: Path) -> None:
    """Line A–B of K = 1,000 MW, net need of A N = 700 MW from B. Green power can reach B
    only as a physical flow A→B, which B must then send back on top of the 700 MW:
    p_BA = 700 + p_AB, and both directions share the line: p_AB + p_BA ≤ K, so
    p_AB ≤ (K − N)/2 = 150 MW. Each exported MWh earns 100 − 40 (gas at B makes up for the
    wind sent away) = 60, so exports are 150 MW every hour:
    exports = 150·H, flows 150 (A→B) and 850 (B→A) MW, gas 850 MW;
    objective = C_W·300 + 40·850·H − 100·150·H.

    Catches: the existing capacity counted twice (once per one-way link) in the shared
    rule: p_AB + p_BA ≤ 2K would allow p_AB = 300 (all of A's wind) and exports of 300 MW."""
    results = full_line(tmp_path, 1000.0)
    assert results.kpi("export_energy") == pytest.approx(twh(150), rel=1e-6)
    link = results.links.set_index("link").loc["ab"]
    assert link["existing_mw"] == pytest.approx(1000.0)
    assert link["flow_forward_twh"] == pytest.approx(twh(150), rel=1e-6)
    assert link["flow_backward_twh"] == pytest.approx(twh(850), rel=1e-6)
    assert energy(results, "B", "OCGT") == pytest.approx(twh(850), rel=1e-6)
    assert results.kpi("objective") == pytest.approx(
        C_W * 300 + 40 * 850 * H - 100 * 150 * H, rel=1e-6
    )


# -------------------------------------------------------------------------- hourly check


def test_hourly_check_finds_the_spike_that_sampling_skipped(tmp_path: Path) -> None:
    """One node, load 1,000 MW except hour 1 (1,500 MW) and hour 2 (500 MW); only new OCGT
    (50 EUR/MWh). Sampling every 3rd hour (hours 0, 3, 6, …, each 3 h) sees 1,000 MW only;
    the hourly total (168,000 MWh) equals the sampled one, so no rescaling: the plan builds
    1,000 MW of OCGT. Re-dispatched hour by hour with that capacity fixed, hour 1 lacks
    500 MW: unserved = 500 MW × 1 h = 500 MWh. Gas runs 167,500 MWh instead of 168,000:
    operating cost difference = 50 × (167,500 − 168,000) = −25,000 EUR.

    Catches: capacities left extendable in the check (it would build 1,500 MW, unserved 0)."""
    shape = np.ones(8760)
    shape[1], shape[2] = 1.5, 0.5
    folder = write_inputs(
        tmp_path / "in",
        nodes=[{"node": "N"}],
        demand=[{"node": "N", "demand_twh": 8.76}],
        profiles={"load": {"N": shape}},
    )
    sc = Scenario(
        name="spike",
        resolution="3h",
        window=WINDOW,
        expandable=("OCGT",),
        green_export={"enabled": False},
    )
    results = run_scenario(sc, inputs_dir=folder, write=False, check_hourly=True)
    assert capacity(results, "N", "OCGT") == pytest.approx(1000.0, rel=1e-6)
    assert results.kpi("hourly_check_unserved_energy") == pytest.approx(500e-6, rel=1e-6)
    assert results.kpi("hourly_check_operating_cost_planned") == pytest.approx(
        50 * 168_000, rel=1e-6
    )
    assert results.kpi("hourly_check_cost_difference") == pytest.approx(-25_000, rel=1e-6)


# -------------------------------------------------------------------------------- markets


def test_overridden_first_price_scales_the_other_steps(tmp_path: Path) -> None:
    """Market M has two steps: 30 EUR/MWh for 400 MW, 5 EUR/MWh for 300 MW. The scenario
    sets M's first price to 45; the other steps move *proportionally*: 5 × 45/30 = 7.5.
    New wind costs C_W/H ≈ 9.8 EUR/MWh, so only the first step is sold:
    exports = 400·H, wind = 400 MW, revenue = 45·400·H, objective = C_W·400 − 45·400·H.

    Catches: steps shifted instead of scaled (5 + 15 = 20 > 9.8 would sell 700 MW)."""
    folder = write_inputs(
        tmp_path / "in",
        nodes=[{"node": "W", "country": "WX"}, {"node": "M", "country": "MK", "role": "market"}],
        demand=[{"node": "W", "demand_twh": 0.0}],
        potentials=[{"node": "W", "carrier": "onwind", "potential_gw": 100.0, "cf_annual": 1.0}],
        links=[
            {
                "link": "wm",
                "bus0": "W",
                "bus1": "M",
                "type": "hvac-overhead",
                "p_nom_mw": 1e5,
                "extendable": False,
                "p_nom_max_mw": 1e5,
            }
        ],
        markets=[
            {"node": "M", "step": 1, "price_eur_per_mwh": 30.0, "max_mw": 400.0},
            {"node": "M", "step": 2, "price_eur_per_mwh": 5.0, "max_mw": 300.0},
        ],
        profiles={"onwind": {"W": np.ones(8760)}},
    )
    results = run_scenario(
        scenario(export_prices_eur_per_mwh={"M": 45.0}), inputs_dir=folder, write=False
    )
    assert results.kpi("export_energy") == pytest.approx(twh(400), rel=1e-6)
    assert capacity(results, "W", "onwind") == pytest.approx(400.0, rel=1e-6)
    assert results.kpi("export_revenue") == pytest.approx(45 * 400 * H, rel=1e-6)
    assert results.kpi("objective") == pytest.approx(C_W * 400 - 45 * 400 * H, rel=1e-6)


def break_even_inputs(folder: Path) -> Path:
    """A (KZ): new wind, cf 1; a new lossless 500 km HVDC cable A→EU; EU buys up to 10 GW."""
    return write_inputs(
        folder,
        nodes=[{"node": "A", "country": "KZ"}, {"node": "EU", "role": "market"}],
        demand=[{"node": "A", "demand_twh": 0.0}],
        potentials=[{"node": "A", "carrier": "onwind", "potential_gw": 100.0, "cf_annual": 1.0}],
        links=[
            {
                "link": "aeu",
                "bus0": "A",
                "bus1": "EU",
                "type": "hvdc-submarine",
                "length_km": LENGTH_KM,
            }
        ],
        markets=[{"node": "EU", "step": 1, "price_eur_per_mwh": 50.0, "max_mw": 1e4}],
        profiles={"onwind": {"A": np.ones(8760)}},
    )


@pytest.fixture(scope="module")
def target_run(tmp_path_factory):
    folder = break_even_inputs(tmp_path_factory.mktemp("target") / "in")
    return run_scenario(scenario(export_target_twh=3.504), inputs_dir=folder, write=False)


def test_export_target_is_met_at_least_cost(target_run) -> None:
    """An export target of 3.504 TWh/a is 400 MW in every hour (3.504e6 MWh / 8,760 h); for
    the window, 400·H MWh. Each MW of constant export needs 1 MW of wind and 1 MW of cable:
    wind = cable = 400 MW, objective = (C_W + C_L)·400 (market prices are set to 0 with a
    target). One more MWh of target costs (C_W + C_L)/H ≈ 27.8 EUR/MWh: the size of the
    break-even export price (the target's dual)."""
    results = target_run
    assert results.kpi("export_energy") == pytest.approx(twh(400), rel=1e-6)
    assert results.kpi("capacity_aeu") == pytest.approx(400.0, rel=1e-6)
    assert results.kpi("objective") == pytest.approx((C_W + C_L) * 400, rel=1e-6)
    assert abs(results.kpi("export_break_even_price")) == pytest.approx((C_W + C_L) / H, rel=1e-6)


def test_break_even_price_is_positive(target_run) -> None:
    """The break-even export price is what exports must earn per MWh to pay for the wind
    and the cable they need: +(C_W + C_L)/H ≈ +27.8 EUR/MWh, a positive price."""
    assert target_run.kpi("export_break_even_price") == pytest.approx((C_W + C_L) / H, rel=1e-6)


# --------------------------------------------------------------------- one-node operations


def thermal_node(tmp_path: Path, name: str, **changes):
    """Node N (country NX), load 1,000 MW; existing coal 600 MW and OCGT 2,000 MW, both
    efficiency 0.4; a CO2 price of 100 EUR/t for NX in co2_prices.csv; nothing to build."""
    folder = write_inputs(
        tmp_path / name,
        nodes=[{"node": "N", "country": "NX"}],
        demand=[{"node": "N", "demand_twh": 8.76}],
        fleet=[
            {"node": "N", "carrier": "coal", "p_nom_mw": 600, "efficiency": 0.4},
            {"node": "N", "carrier": "OCGT", "p_nom_mw": 2000, "efficiency": 0.4},
        ],
    )
    write_co2_prices(folder, [{"country": "NX", "price_eur_per_t": 100.0}])
    return run_scenario(scenario(name, expandable=(), **changes), inputs_dir=folder, write=False)


def test_co2_price_sets_marginal_cost_and_merit_order(tmp_path: Path) -> None:
    """Marginal cost = (fuel + CO2 price × intensity)/efficiency.

    At 100 EUR/t (co2_prices.csv): coal (8 + 34)/0.4 = 105, OCGT (20 + 20)/0.4 = 100: gas
    serves all 1,000 MW; price 100; CO2 = 1,000·H/0.4 × 0.2 t = 84,000 t = 0.084 Mt;
    objective = 100·1,000·H.
    At 50 EUR/t (scenario override): coal (8 + 17)/0.4 = 62.5 < OCGT (20 + 10)/0.4 = 75:
    coal 600 MW, OCGT 400 MW; price 75; CO2 = (600 × 0.34 + 400 × 0.2)·H/0.4 = 119,280 t;
    objective = (62.5·600 + 75·400)·H.

    Catches: the CO2 price dropped (coal first at 20 < 50, CO2 119,280 t in both), its sign
    flipped, the override ignored or the intensity not divided by the efficiency."""
    high = thermal_node(tmp_path, "high")
    assert energy(high, "N", "OCGT") == pytest.approx(twh(1000), rel=1e-6)
    assert energy(high, "N", "coal") == pytest.approx(0.0, abs=1e-9)
    assert high.kpi("price_mean_N") == pytest.approx(100.0, rel=1e-6)
    assert high.kpi("co2_emissions") == pytest.approx(0.084, rel=1e-6)
    assert high.kpi("objective") == pytest.approx(100 * 1000 * H, rel=1e-6)
    low = thermal_node(tmp_path, "low", co2_price_eur_per_t=50.0)
    assert energy(low, "N", "coal") == pytest.approx(twh(600), rel=1e-6)
    assert energy(low, "N", "OCGT") == pytest.approx(twh(400), rel=1e-6)
    assert low.kpi("price_mean_N") == pytest.approx(75.0, rel=1e-6)
    assert low.kpi("co2_emissions") == pytest.approx(0.11928, rel=1e-6)
    assert low.kpi("objective") == pytest.approx((62.5 * 600 + 75 * 400) * H, rel=1e-6)


def test_battery_round_trip_losses(tmp_path: Path) -> None:
    """Wind (cf 1) blows in even hours only; load 100 MW; gas at 20/0.02 = 1,000 EUR/MWh is
    the only other supply, so a battery (efficiency η_b = 0.9 charging and discharging,
    round trip 0.81) carries the odd hours. Discharging 100 MW for an hour empties
    100/η_b MWh; charging c MW for an hour stores η_b·c: c = 100/η_b² ≈ 123.46 MW.
    battery = 100/0.81 MW (the charging power binds), wind = 100 + 100/0.81 ≈ 223.46 MW;
    stored-and-lost = (123.46 − 100)·84 h; objective = C_W·wind + C_B·battery.

    Catches: the efficiency ignored (wind 200, battery 100) or applied one way only."""
    even = (np.arange(8760) % 2 == 0).astype(float)
    folder = write_inputs(
        tmp_path / "in",
        nodes=[{"node": "N"}],
        demand=[{"node": "N", "demand_twh": 0.876}],
        fleet=[{"node": "N", "carrier": "OCGT", "p_nom_mw": 1000, "efficiency": 0.02}],
        potentials=[{"node": "N", "carrier": "onwind", "potential_gw": 10.0, "cf_annual": 0.5}],
        costs={("battery inverter", "efficiency"): 0.9},
        profiles={"onwind": {"N": even}},
    )
    results = run_scenario(
        scenario(expandable=("onwind", "battery")), inputs_dir=folder, write=False
    )
    battery, wind = 100 / 0.81, 100 + 100 / 0.81
    assert capacity(results, "N", "battery") == pytest.approx(battery, rel=1e-5)
    assert capacity(results, "N", "onwind") == pytest.approx(wind, rel=1e-5)
    assert energy(results, "N", "OCGT") == pytest.approx(0.0, abs=1e-9)
    assert energy(results, "N", "battery") == pytest.approx(-twh(battery - 100, H / 2), rel=1e-4)
    assert results.kpi("objective") == pytest.approx(C_W * wind + C_B * battery, rel=1e-6)


def test_curtailment_is_unused_wind_and_positive(tmp_path: Path) -> None:
    """Existing wind 1,000 MW at cf 1, load 600 MW, an idle 500 MW OCGT, no storage, no
    export: 400 MW of wind are curtailed every hour, curtailment = 400·H = 0.0672 TWh (> 0).
    The idle OCGT is not curtailment (only variable renewables count).

    Catches: the sign flipped, gas headroom counted, or energy not weighted by hours."""
    folder = write_inputs(
        tmp_path / "in",
        nodes=[{"node": "N"}],
        demand=[{"node": "N", "demand_twh": 0.6 * 8.76}],
        fleet=[
            {"node": "N", "carrier": "onwind", "p_nom_mw": 1000},
            {"node": "N", "carrier": "OCGT", "p_nom_mw": 500, "efficiency": 0.5},
        ],
        profiles={"onwind": {"N": np.ones(8760)}},
    )
    results = run_scenario(scenario(expandable=()), inputs_dir=folder, write=False)
    assert results.kpi("curtailment") == pytest.approx(twh(400), rel=1e-6)
    assert energy(results, "N", "onwind") == pytest.approx(twh(600), rel=1e-6)
    sampled = run_scenario(
        Scenario(
            name="sampled",
            resolution="3h",
            window=WINDOW,
            expandable=(),
            green_export={"enabled": False},
        ),
        inputs_dir=folder,
        write=False,
    )
    assert sampled.kpi("curtailment") == pytest.approx(twh(400), rel=1e-6)


# -------------------------------------------------------------------------- sweep resume

TINY = """name: tiny
resolution: 1h
window: {start: "2030-01-01", end: "2030-01-02"}
expandable: [onwind]
green_export: {enabled: false}
"""
SWEEP = """name: prices
scenario: tiny
grid:
  export_prices_eur_per_mwh.EU: [30, 100]
"""


def test_sweep_resume_reruns_cases_whose_scenario_changed(tmp_path: Path) -> None:
    """A 2-case sweep is run, then run again (both resumed). Then the base scenario gets a
    CO2 price — the inputs (and their hash) stay the same, only the scenario changed — so a
    third run must solve both cases again rather than take the old results.

    Catches: resume deciding on the inputs hash alone."""
    from energy.run.sweep import run_sweep

    folder = break_even_inputs(tmp_path / "in")
    (folder / "scenarios").mkdir()
    (folder / "scenarios" / "tiny.yaml").write_text(TINY)
    (folder / "sweeps").mkdir()
    (folder / "sweeps" / "prices.yaml").write_text(SWEEP)
    out = tmp_path / "results"
    first = run_sweep("prices", inputs_dir=folder, results_dir=out, progress=False)
    assert (first.solved, first.skipped, first.failed) == (2, 0, 0)
    again = run_sweep("prices", inputs_dir=folder, results_dir=out, progress=False)
    assert (again.solved, again.skipped) == (0, 2)
    (folder / "scenarios" / "tiny.yaml").write_text(TINY + "co2_price_eur_per_t: 10\n")
    changed = run_sweep("prices", inputs_dir=folder, results_dir=out, progress=False)
    assert (changed.solved, changed.skipped, changed.failed) == (2, 0, 0)
    assert not changed.summary["resumed"].any()
    meta = json.loads((out / "prices" / "EU=30" / "metadata.json").read_text())
    assert meta["scenario"]["co2_price_eur_per_t"] == 10


# ------------------------------------------------------------------------ backcast verdict


def test_backcast_judge_misses_a_share_6_pp_off_and_a_total_6_percent_off() -> None:
    """Shares are checked to ±5 pp and totals to ±5 %: a share 6 pp off and a total 6 % off
    are MISS, 4 pp and 4 % off are ok, a row that is not checked is '-'; each miss is named
    with its period, deviation and tolerance."""
    from energy.validation.backcast import SHARE_CHECKS, TOTAL_CHECKS, judge, missed_checks

    country, carriers = next(iter(SHARE_CHECKS.items()))
    first, second = carriers[0], carriers[1]
    total_country = TOTAL_CHECKS[0]
    table = pd.DataFrame(
        [
            (country, first, 30.0, 36.0, 60.0, 72.0),
            (country, second, 20.0, 24.0, 40.0, 48.0),
            (total_country, "total", np.nan, np.nan, 100.0, 106.0),
            (total_country, "total", np.nan, np.nan, 100.0, 96.0),
            ("XX", "wind", 1.0, 20.0, 1.0, 20.0),
        ],
        columns=[
            "country",
            "carrier",
            "published_share",
            "model_share",
            "published_twh",
            "model_twh",
        ],
    )
    table["year"] = ["2024", "2024", "2023 (4)", "2023 (5)", "2024"]
    judged = judge(table)
    assert judged["status"].tolist() == ["MISS", "ok", "MISS", "ok", "-"]
    np.testing.assert_allclose(judged["deviation"][:4], [6.0, 4.0, 6.0, -4.0], rtol=1e-9)
    assert missed_checks(judged) == [
        f"{country} {first} 2024: +6.0 pp (tolerance ±5 pp)",
        f"{total_country} total 2023 (4): +6.0 % (tolerance ±5%)",
    ]


# ---------------------------------------------------------------------------- determinism

DETERMINISM = """
import hashlib, json, sys
from energy.config.scenario import Scenario
from energy.run.pipeline import run_scenario
sc = Scenario(name="det", resolution="1h", window={"start": "2030-01-01", "end": "2030-01-03"},
              expandable=("onwind", "battery"), green_export={"enabled": True,
              "countries": ["KZ"], "pool": "additional"})
r = run_scenario(sc, inputs_dir=sys.argv[1], write=False)
out = {"kpis": [[k, repr(float(v))] for k, v in zip(r.kpis["kpi"], r.kpis["value"])]}
for name in ("dispatch", "link_flow", "storage_dispatch", "marginal_price"):
    out[name] = hashlib.sha256(r.timeseries[name].values.tobytes()).hexdigest()
print(json.dumps(out))
"""


def test_two_processes_give_identical_unrounded_results(tmp_path: Path) -> None:
    """The same scenario solved in two fresh processes (different hash seeds, so any set or
    dict order that leaks into the model would differ) gives bit-identical KPIs and
    time series — before any rounding of the tables."""
    folder = green_inputs(
        tmp_path / "in",
        ab={"type": "hvdc-submarine", "length_km": LENGTH_KM, "extendable": True},
        load_a_mw=300.0,
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", DETERMINISM, str(folder)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        for seed in ("1", "2")
    ]
    outputs = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr
        outputs.append(json.loads(stdout.strip().splitlines()[-1]))
    assert outputs[0] == outputs[1]
    assert len(outputs[0]["kpis"]) > 10
