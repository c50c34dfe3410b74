"""One node, two candidate gas technologies: the screening curve, solved by hand.

The node has a two-level load-duration curve: a base of 1,000 MW in all H = 168 hours of the
window (1–7 January 2030, hourly) and 500 MW more in the peak hours (``peak_hours`` a day).
Nothing exists; OCGT and CCGT may be built at any size; no load shedding.

Costs (tiny cost table, overridden below), discount rate r = 7 %, gas 20 EUR/MWh_th, no CO2
price:

- per-window capital cost  C = (crf(r, 25) + FOM/100) × investment × H/8760  [EUR/MW]
- marginal cost            m = 20 / efficiency + VOM                         [EUR/MWh]

OCGT: 500 EUR/kW, FOM 2 %, eff 0.40, VOM 3 → m_O = 53
CCGT: 1000 EUR/kW, FOM 2.5 %, eff 0.60, VOM 2 → m_C = 35.333…

A MW running h hours costs C + m·h; CCGT is the cheaper MW when it runs longer than
h* = (C_C − C_O)/(m_O − m_C) ≈ 1110.5 / 17.67 ≈ 62.9 h. So every load level whose
duration exceeds h* is CCGT, the rest OCGT.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from energy.config.scenario import Scenario
from energy.run.pipeline import run_scenario
from tests.tiny import HOURS, crf, write_inputs

H = 168
RATE = 0.07
BASE_MW, PEAK_MW = 1000.0, 500.0
GAS = 20.0
OCGT = {"investment": 500.0, "FOM": 2.0, "efficiency": 0.40, "VOM": 3.0, "lifetime": 25.0}
CCGT = {"investment": 1000.0, "FOM": 2.5, "efficiency": 0.60, "VOM": 2.0, "lifetime": 25.0}


def window_capital_cost(tech: dict) -> float:
    """EUR per MW for the 168-h window: annualised (annuity + FOM) × kW→MW × H/8760."""
    return (crf(RATE, tech["lifetime"]) + tech["FOM"] / 100) * tech["investment"] * 1e3 * H / 8760


def marginal_cost(tech: dict) -> float:
    return GAS / tech["efficiency"] + tech["VOM"]


C_O, C_C = window_capital_cost(OCGT), window_capital_cost(CCGT)
M_O, M_C = marginal_cost(OCGT), marginal_cost(CCGT)
H_STAR = (C_C - C_O) / (M_O - M_C)


def run_one_node(tmp_path: Path, peak_hours_of_day: range):
    """Load shape 1.0, and 1.5 in ``peak_hours_of_day`` of every day of the window."""
    shape = np.ones(8760)
    in_window = np.arange(8760) < H
    is_peak = np.isin(HOURS.hour, list(peak_hours_of_day)) & in_window
    shape[is_peak] = (BASE_MW + PEAK_MW) / BASE_MW
    costs = {(t, p): v for t, spec in (("OCGT", OCGT), ("CCGT", CCGT)) for p, v in spec.items()}
    costs[("discount rate", "value")] = RATE
    folder = write_inputs(
        tmp_path / "in",
        nodes=[{"node": "N"}],
        # 8.76 TWh/a = 1,000 MW × load shape
        demand=[{"node": "N", "demand_twh": BASE_MW * 8760 / 1e6}],
        fuels=[
            {"fuel": "gas", "country": "*", "price_eur_per_mwh_th": GAS, "co2_t_per_mwh_th": 0.2},
            {"fuel": "coal", "country": "*", "price_eur_per_mwh_th": 8.0, "co2_t_per_mwh_th": 0.34},
        ],
        costs=costs,
        profiles={"load": {"N": shape}},
    )
    scenario = Scenario(
        name="one-node",
        resolution="1h",
        window={"start": "2030-01-01", "end": "2030-01-07"},
        green_export={"enabled": False},
        expandable=("OCGT", "CCGT"),
    )
    results = run_scenario(scenario, inputs_dir=folder, write=False)
    return results, int(is_peak.sum())


def capacity(results, carrier: str) -> float:
    caps = results.capacities.set_index(["node", "carrier"])["optimal_mw"]
    return float(caps.get(("N", carrier), 0.0))


def energy_mwh(results, carrier: str) -> float:
    bal = results.energy_balance.set_index(["node", "carrier"])["energy_twh"]
    return float(bal.get(("N", carrier), 0.0)) * 1e6


def test_break_even_hours_lie_between_the_two_cases() -> None:
    """Sanity of the set-up itself: 28 h < h* ≈ 62.9 h < 84 h."""
    assert 4 * 7 < H_STAR < 12 * 7


def test_short_peak_is_served_by_ocgt(tmp_path: Path) -> None:
    """Peak 4 h a day → 28 h < h*: CCGT = 1,000 MW (base, 168 h > h*), OCGT = 500 MW."""
    results, peak_h = run_one_node(tmp_path, range(17, 21))
    assert peak_h == 28 and peak_h < H_STAR
    assert capacity(results, "CCGT") == pytest.approx(BASE_MW, rel=1e-3)
    assert capacity(results, "OCGT") == pytest.approx(PEAK_MW, rel=1e-3)
    # dispatch: CCGT runs flat out all hours, OCGT only in the peak
    assert energy_mwh(results, "CCGT") == pytest.approx(BASE_MW * H, rel=1e-4)
    assert energy_mwh(results, "OCGT") == pytest.approx(PEAK_MW * peak_h, rel=1e-4)
    expected = C_C * BASE_MW + C_O * PEAK_MW + M_C * BASE_MW * H + M_O * PEAK_MW * peak_h
    assert results.kpi("objective") == pytest.approx(expected, rel=1e-6)
    # Σ_t λ_t = C_C + m_C·H (CCGT p_nom stationarity; CCGT runs at capacity every hour)
    assert results.kpi("price_mean_N") == pytest.approx(M_C + C_C / H, rel=1e-5)
    costs = results.costs.set_index(["node", "carrier"])
    assert costs.at[("N", "OCGT"), "capex_eur"] == pytest.approx(C_O * PEAK_MW, rel=1e-3)
    assert costs.at[("N", "CCGT"), "opex_eur"] == pytest.approx(M_C * BASE_MW * H, rel=1e-4)


def test_long_peak_is_served_by_ccgt(tmp_path: Path) -> None:
    """Peak 12 h a day → 84 h > h*: CCGT covers all 1,500 MW, no OCGT."""
    results, peak_h = run_one_node(tmp_path, range(8, 20))
    assert peak_h == 84 and peak_h > H_STAR
    assert capacity(results, "CCGT") == pytest.approx(BASE_MW + PEAK_MW, rel=1e-3)
    assert capacity(results, "OCGT") == pytest.approx(0.0, abs=1e-3 * PEAK_MW)
    assert energy_mwh(results, "CCGT") == pytest.approx(BASE_MW * H + PEAK_MW * peak_h, rel=1e-4)
    expected = C_C * (BASE_MW + PEAK_MW) + M_C * (BASE_MW * H + PEAK_MW * peak_h)
    assert results.kpi("objective") == pytest.approx(expected, rel=1e-6)
    # base hours: CCGT not at capacity, λ = m_C; peak hours add up to C_C on top
    assert results.kpi("price_mean_N") == pytest.approx(M_C + C_C / H, rel=1e-5)
    assert results.kpi("demand") == pytest.approx((BASE_MW * H + PEAK_MW * peak_h) / 1e6, rel=1e-9)
