"""The independent Pyomo formulation (energy/crosscheck) agrees with the PyPSA model:
objective ≤ 1e-6 and every candidate corridor's capacity ≤ 1e-3 relative (both < 1 MW: zero).

(a) hand-derived tiny cases, (b) the base scenario on two weeks hourly, (c) the base scenario
(green export on) with a binding CO2 cap, plus the backcast (must-run, seasonal availability,
load shedding) and a deliberately broken network that the check must catch.
"""

from __future__ import annotations

import numpy as np
import pytest

import energy.model.supply
from energy.config.scenario import Scenario, load_scenario
from energy.validation.crosscheck import Comparison, crosscheck, format_comparison
from tests.test_two_node import C_L, C_W, ETA, LENGTH_KM, LOSSY, WINDOW
from tests.tiny import green_corridor_inputs, write_inputs

TWO_WEEKS = {"start": "2030-01-08", "end": "2030-01-21"}


def assert_agree(comparison: Comparison) -> None:
    checked = comparison.table[comparison.table["checked"]]
    assert checked["ok"].all(), "\n" + format_comparison(comparison)


def two_node(tmp_path, *, even_hours_only: bool = False):
    """A: wind (cf 1, or only in even hours) — lossy cable — B: 1,000 MW load, OCGT at
    20/0.5 = 40 EUR/MWh (in the two-way case also at A: 500 MW load, wind in odd hours at B,
    gas at 1,000 EUR/MWh)."""
    even = (np.arange(8760) % 2 == 0).astype(float)
    two_way = even_hours_only
    return write_inputs(
        tmp_path / "in",
        nodes=[{"node": "A"}, {"node": "B"}],
        demand=[
            {"node": "A", "demand_twh": 500 * 8760 / 1e6 if two_way else 0.0},
            {"node": "B", "demand_twh": 1000 * 8760 / 1e6},
        ],
        fleet=[
            {
                "node": n,
                "carrier": "OCGT",
                "p_nom_mw": 5000.0,
                "efficiency": 0.02 if two_way else 0.5,
            }
            for n in (("A", "B") if two_way else ("B",))
        ],
        potentials=[
            {"node": n, "carrier": "onwind", "potential_gw": 100.0, "cf_annual": 1.0}
            for n in (("A", "B") if two_way else ("A",))
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
        profiles={"onwind": {"A": even, "B": 1 - even} if two_way else {"A": np.ones(8760)}},
    )


def tiny_scenario(**changes) -> Scenario:
    settings = {"expandable": ("onwind",), "green_export": {"enabled": False}} | changes
    return Scenario(name="tiny", resolution="1h", window=WINDOW, **settings)


def test_two_node_import_matches_hand_solution(tmp_path):
    """B imports its load L over the link (gas 40 > (C_W + C_L)/(ηH) ≈ 29 EUR/MWh): both
    formulations find P = L/η and objective (C_W + C_L)·L/η."""
    comparison = crosscheck(tiny_scenario(), inputs_dir=two_node(tmp_path))
    assert_agree(comparison)
    sent = 1000.0 / ETA
    assert comparison.value("objective EUR") == pytest.approx((C_W + C_L) * sent, rel=1e-6)
    assert comparison.value("capacity ab") == pytest.approx(sent, rel=1e-3)
    assert comparison.value("new onwind") == pytest.approx(sent, rel=1e-3)


def test_two_way_corridor_one_capacity(tmp_path):
    """Flows both ways over one tied capacity: P = L_B/η; objective C_W(W_A + W_B) + C_L·P."""
    comparison = crosscheck(tiny_scenario(), inputs_dir=two_node(tmp_path, even_hours_only=True))
    assert_agree(comparison)
    wind = (500 + 1000 / ETA) + (1000 + 500 / ETA)
    assert comparison.value("capacity ab") == pytest.approx(1000 / ETA, rel=1e-3)
    assert comparison.value("objective EUR") == pytest.approx(
        C_W * wind + C_L * 1000 / ETA, rel=1e-6
    )


def green_corridor(tmp_path):
    """tests/test_green_export.py's case: wind at A (KZ), load and gas at B (AZ), market EU
    buying 400 MW at 100 EUR/MWh over a fixed 500 MW link B→EU."""
    return green_corridor_inputs(tmp_path / "in")


@pytest.mark.parametrize("target_twh", [None, 2.0])
def test_green_export_market_and_target(tmp_path, target_twh):
    """Green exports from A's wind over A→B→EU: the link carries B's load plus the exports
    (1,400 MW at full price; 1,000 MW + the target's 228 MW with an export target)."""
    scenario = tiny_scenario(
        green_export={"countries": ["KZ", "AZ"], "markets": ["EU"]}, export_target_twh=target_twh
    )
    comparison = crosscheck(scenario, inputs_dir=green_corridor(tmp_path))
    assert_agree(comparison)
    exports_mw = 400.0 if target_twh is None else target_twh * 1e6 / 8760
    assert comparison.value("exports MWh") == pytest.approx(exports_mw * 168, rel=1e-6)
    assert comparison.value("capacity ab") == pytest.approx(1000 + exports_mw, rel=1e-4)


def test_a_bug_in_the_network_shows_up(tmp_path, monkeypatch):
    """If network.py dropped every capacity factor, PyPSA would see no wind: the Pyomo model,
    built from the inputs, disagrees."""
    monkeypatch.setattr(energy.model.supply, "MIN_CF", 1.01)
    comparison = crosscheck(tiny_scenario(), inputs_dir=two_node(tmp_path))
    assert not comparison.ok


@pytest.mark.slow
def test_base_two_weeks_hourly():
    assert_agree(crosscheck(load_scenario("base", window=TWO_WEEKS, resolution="1h")))


@pytest.mark.slow
def test_base_with_binding_co2_cap():
    """Uncapped, these two weeks emit ≈ 5.25 Mt (≈ 137 Mt/a): a cap of 120 Mt/a binds."""
    scenario = load_scenario("base", window=TWO_WEEKS, resolution="3h", co2_cap_mt=120)
    assert scenario.green_export.enabled
    comparison = crosscheck(scenario)
    assert_agree(comparison)
    cap_t = 120e6 * 14 * 24 / 8760
    for side in ("pypsa", "pyomo"):
        assert comparison.value("co2 t", side) == pytest.approx(cap_t, rel=1e-6)


@pytest.mark.slow
def test_backcast_spring_window():
    """Late April (KZ CHP must-run) into May (KZ summer availability), load shedding on."""
    scenario = load_scenario(
        "backcast", window={"start": "2030-04-24", "end": "2030-05-07"}, resolution="3h"
    )
    assert scenario.thermal_rules and scenario.load_shedding_eur_per_mwh
    assert_agree(crosscheck(scenario))


@pytest.mark.slow
def test_backcast_winter_window_keeps_the_trade_schedules():
    """Two January weeks of the backcast, hourly: the KZ-UZ ceilings and the floor on
    purchases from Russia (pro rata) bind, and both formulations agree. Without the
    schedules the optimum is another (so the agreement is not about idle rows)."""
    scenario = load_scenario("backcast", window=TWO_WEEKS, resolution="1h")
    assert scenario.scheduled_trade
    scheduled = crosscheck(scenario)
    assert_agree(scheduled)
    free = crosscheck(scenario.model_copy(update={"scheduled_trade": False}))
    assert_agree(free)
    objective = scheduled.value("objective EUR", "pyomo")
    assert objective > 1.01 * free.value("objective EUR", "pyomo")


@pytest.mark.parametrize("scenario_name", ["hourly", "flat"])
def test_hourly_prices_and_import_steps_agree(tmp_path, scenario_name):
    """tests/test_markets.py's case (export prices 120/20 EUR/MWh by half-day, an import step
    at 15/2.5 EUR/MWh, which W's load may use or M may resell): both formulations reach
    the same objective and the same exports."""
    from tests.test_markets import market_inputs

    step = {"node": "M", "direction": "import", "step": 1, "price_eur_per_mwh": 10.0}
    folder = market_inputs(tmp_path / "in", [step | {"max_mw": 30.0}])
    demand = folder / "demand.csv"
    demand.write_text(demand.read_text().replace("W,2030,2030,0.0", "W,2030,2030,0.438"))
    comparison = crosscheck(load_scenario(scenario_name, folder), inputs_dir=folder)
    assert_agree(comparison)
    assert comparison.value("exports MWh", "pyomo") == pytest.approx(
        comparison.value("exports MWh", "pypsa"), rel=1e-6
    )


@pytest.mark.parametrize(
    ("season", "coal_at_c", "hydro", "fuel"),
    [
        ({"first_month": 5, "last_month": 6}, False, 300.0, "OCGT outside A"),
        ({"first_month": 5, "last_month": 6}, True, 0.0, "coal"),
        ({"first_month": 1, "last_month": 6}, False, 100.0, "residual"),
    ],
    ids=["own-exports", "transit", "residual"],
)
def test_export_seasons_agree(tmp_path, season, coal_at_c, hydro, fuel):
    """tests/test_export_seasons.py's line C — A — B in January: outside A's season the
    surplus of A's 300 MW of hydro may not leave A while C's coal passes through it; inside
    it A's coal serves at most A's load less its 100 MW of hydro. Both formulations reach the
    hand optimum."""
    from tests.test_export_seasons import COAL, GAS, LOAD, H, folder_with

    folder = folder_with(tmp_path, [season], coal_at_c=coal_at_c, hydro_at_a=hydro)
    scenario = tiny_scenario(scheduled_trade=True, green_export={"enabled": False})
    comparison = crosscheck(scenario, inputs_dir=folder)
    assert_agree(comparison)
    hand = {
        "OCGT outside A": GAS * (LOAD["B"] + LOAD["C"]) * H,
        "coal": COAL * sum(LOAD.values()) * H,
        "residual": COAL * (LOAD["A"] - hydro) * H + GAS * (LOAD["B"] + LOAD["C"]) * H,
    }[fuel]
    assert comparison.value("objective EUR", "pyomo") == pytest.approx(hand, rel=1e-6)
