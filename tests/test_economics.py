"""Cost arithmetic of energy.economics against closed forms worked out by hand.

Every expected number below is computed from the figures written into the tiny input folder
with the textbook formulas, never with the function under test.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from energy.data.inputs import load_inputs
from energy.model import economics as eco
from tests.tiny import crf, set_cost_unit, write_inputs

REL = 1e-12


@pytest.mark.parametrize(
    ("rate", "years", "expected"),
    [
        # r = 0: straight-line repayment, 1/20
        (0.0, 20, 0.05),
        # r = 10 %, n = 1: repay 1 EUR plus 10 % interest after one year
        (0.10, 1, 1.10),
        # r = 5 %, n = 2: 0.05·1.1025/0.1025 = 0.537804878…
        (0.05, 2, 0.05 * 1.1025 / 0.1025),
        # r = 7 %, n = 25 and r = 7.1 %, n = 40 against the written-out formula
        (0.07, 25, crf(0.07, 25)),
        (0.071, 40, crf(0.071, 40)),
    ],
)
def test_annuity_closed_form(rate: float, years: float, expected: float) -> None:
    assert eco.annuity(rate, years) == pytest.approx(expected, rel=REL)


def test_annuity_repays_the_loan() -> None:
    """Present value of n payments of annuity(r, n) is exactly 1 EUR."""
    rate, years = 0.08, 30
    a = eco.annuity(rate, years)
    present_value = sum(a / (1 + rate) ** t for t in range(1, years + 1))
    assert present_value == pytest.approx(1.0, rel=1e-12)


@pytest.fixture()
def inputs(tmp_path: Path):
    """Costs chosen so each term of every formula is visible in the result."""
    folder = write_inputs(
        tmp_path / "in",
        nodes=[{"node": "A"}, {"node": "B"}],
        demand=[{"node": "A", "demand_twh": 1.0}],
        links=[
            {
                "link": "sub",
                "bus0": "A",
                "bus1": "B",
                "type": "hvdc-submarine",
                "length_km": 500.0,
                "capex_factor": 1.0,
            },
            {
                "link": "ovh",
                "bus0": "A",
                "bus1": "B",
                "type": "hvdc-overhead",
                "length_km": 2000.0,
                "capex_factor": 1.5,
            },
            {
                "link": "ac",
                "bus0": "A",
                "bus1": "B",
                "type": "hvac-overhead",
                "length_km": 300.0,
                "capex_factor": 2.0,
            },
            {
                "link": "b2b",
                "bus0": "A",
                "bus1": "B",
                "type": "hvdc-b2b",
                "length_km": 0.0,
                "capex_factor": 1.0,
            },
        ],
        costs={
            ("discount rate", "value"): 0.05,
            ("onwind", "investment"): 1200.0,  # EUR/kW
            ("onwind", "FOM"): 1.5,  # %/year of investment
            ("onwind", "lifetime"): 20.0,
            ("OCGT", "investment"): 500.0,  # EUR/kW, no FOM row in the tiny table
            ("OCGT", "lifetime"): 25.0,
            ("HVDC submarine", "investment"): 3000.0,  # EUR/MW/km
            ("HVDC submarine", "FOM"): 2.0,
            ("HVDC submarine", "lifetime"): 40.0,
            ("HVDC submarine", "efficiency-static"): 0.98,
            ("HVDC submarine", "efficiency-per-1000km"): 0.95,
            ("HVDC overhead", "investment"): 600.0,  # EUR/MW/km
            ("HVDC overhead", "lifetime"): 40.0,
            ("HVDC overhead", "efficiency-static"): 0.985,
            ("HVDC overhead", "efficiency-per-1000km"): 0.97,
            ("HVAC overhead", "investment"): 700.0,  # EUR/MW/km
            ("HVAC overhead", "lifetime"): 40.0,
            ("HVAC overhead", "efficiency-per-1000km"): 0.93,  # no static row: 1
            ("HVDC inverter pair", "investment"): 600.0,  # EUR/kW
            ("HVDC inverter pair", "FOM"): 1.0,
            ("HVDC inverter pair", "lifetime"): 40.0,
            ("HVDC inverter pair", "efficiency-static"): 0.99,
        },
    )
    return load_inputs(folder)


def test_annualised_cost_with_fom_and_kw_to_mw(inputs) -> None:
    """onwind: (crf(5 %, 20) + 1.5/100) × 1200 EUR/kW × 1000 kW/MW."""
    expected = (crf(0.05, 20) + 0.015) * 1_200_000.0
    assert eco.annualised_cost(inputs, "onwind", 0.05) == pytest.approx(expected, rel=REL)
    # no FOM row: annuity only; 500 EUR/kW = 500,000 EUR/MW
    expected_ocgt = crf(0.05, 25) * 500_000.0
    assert eco.annualised_cost(inputs, "OCGT", 0.05) == pytest.approx(expected_ocgt, rel=REL)


def test_investment_unit_conversion(tmp_path: Path) -> None:
    """The same number in EUR/MW is 1000× smaller per MW than in EUR/kW; EUR/kWh → ×1000."""
    folder = write_inputs(
        tmp_path / "in",
        nodes=[{"node": "A"}],
        demand=[{"node": "A", "demand_twh": 1.0}],
        costs={
            ("OCGT", "investment"): 500.0,
            ("CCGT", "investment"): 500.0,
            ("battery storage", "investment"): 150.0,
        },
    )
    set_cost_unit(folder, "CCGT", "investment", "EUR/MW")
    inputs = load_inputs(folder)
    assert eco.investment_per_mw(inputs, "OCGT") == pytest.approx(500_000.0, rel=REL)
    assert eco.investment_per_mw(inputs, "CCGT") == pytest.approx(500.0, rel=REL)
    assert eco.investment_per_mw(inputs, "battery storage") == pytest.approx(150_000.0, rel=REL)


def test_generator_capital_cost_uses_the_carriers_technology(inputs) -> None:
    """generator_capital_cost('onwind') is the onwind annualised cost (no grid adder)."""
    expected = (crf(0.05, 20) + 0.015) * 1_200_000.0
    assert eco.generator_capital_cost(inputs, "onwind", 0.05) == pytest.approx(expected, rel=REL)


def test_discount_rate_from_costs_or_override(inputs) -> None:
    rates = eco.discount_rates(inputs)
    assert set(rates) == set(eco.ASSET_CLASSES)
    assert all(r == pytest.approx(0.05, rel=REL) for r in rates.values())  # no class rows
    assert eco.discount_rates(inputs, 0.09) == dict.fromkeys(eco.ASSET_CLASSES, 0.09)
    by_class = eco.discount_rates(inputs, None, {"interconnector": 0.04})
    assert by_class["interconnector"] == 0.04 and by_class["renewable"] == pytest.approx(0.05)


def test_annuity_per_asset_class_closed_form(tmp_path) -> None:
    """Rows 'discount rate/interconnector' 0.04 and '/renewable' 0.086: a 40-year line is
    annualised at r/(1-(1+r)^-40) with r = 0.04, wind at 0.086 over 25 years."""
    folder = write_inputs(
        tmp_path / "in",
        nodes=[{"node": "A"}],
        demand=[{"node": "A", "demand_twh": 0.0}],
        costs={("discount rate", "interconnector"): 0.04, ("discount rate", "renewable"): 0.086},
    )
    inputs = load_inputs(folder)
    rates = eco.discount_rates(inputs)
    assert rates == {"interconnector": 0.04, "renewable": 0.086, "storage": 0.07, "thermal": 0.07}
    assert eco.annuity(rates["interconnector"], 40) == pytest.approx(0.04 / (1 - 1.04**-40))
    wind = eco.generator_capital_cost(inputs, "onwind", rates["renewable"])
    assert wind == pytest.approx(0.086 / (1 - 1.086**-25) * 1000.0 * 1e3)


def test_link_capital_cost(inputs) -> None:
    """HVDC: (length × per-km annualised + converter pair annualised) × capex_factor; HVAC:
    no converter; back-to-back: converter only."""
    rate = 0.05
    converter = (crf(rate, 40) + 0.01) * 600_000.0  # EUR/MW/a of one converter pair
    per_km = {
        "sub": (crf(rate, 40) + 0.02) * 3000.0,
        "ovh": crf(rate, 40) * 600.0,
        "ac": crf(rate, 40) * 700.0,
    }
    expected = pd.Series(
        {
            "sub": (500.0 * per_km["sub"] + converter) * 1.0,
            "ovh": (2000.0 * per_km["ovh"] + converter) * 1.5,
            "ac": (300.0 * per_km["ac"]) * 2.0,
            "b2b": converter * 1.0,
        }
    )
    got = eco.link_capital_cost(inputs, inputs.links, rate)
    for link, value in expected.items():
        assert got[link] == pytest.approx(value, rel=REL), link


def test_link_investment_overnight(inputs) -> None:
    """Overnight EUR/MW: 500 km × 3000 + 600,000 converter = 2,100,000 for the cable."""
    got = eco.link_investment(inputs, inputs.links)
    assert got["sub"] == pytest.approx(500 * 3000.0 + 600_000.0, rel=REL)
    assert got["ovh"] == pytest.approx((2000 * 600.0 + 600_000.0) * 1.5, rel=REL)
    assert got["ac"] == pytest.approx(300 * 700.0 * 2.0, rel=REL)
    assert got["b2b"] == pytest.approx(600_000.0, rel=REL)


def test_link_efficiency(inputs) -> None:
    """static × per_1000km^(length/1000); b2b: the converter's static loss only."""
    got = eco.link_efficiency(inputs, inputs.links)
    assert got["sub"] == pytest.approx(0.98 * 0.95**0.5, rel=REL)
    assert got["ovh"] == pytest.approx(0.985 * 0.97**2.0, rel=REL)
    assert got["ac"] == pytest.approx(1.0 * 0.93**0.3, rel=REL)
    assert got["b2b"] == pytest.approx(0.99, rel=REL)
