"""Export markets with hourly prices and markets that sell into the corridor, solved by hand.

W has 100 MW of gas (OCGT, η 0.5, gas 20 EUR/MWh_th → 40 EUR/MWh) and no demand; a fixed,
lossless 100 MW link takes power to market M, which buys up to 100 MW at 80 EUR/MWh × an
hourly factor: 1.5 from 00:00 to 11:00 (120 EUR/MWh), 0.25 from 12:00 (20 EUR/MWh).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from energy import load_scenario, run_scenario
from tests.tiny import write_inputs

TWO_DAYS = 'window: {start: "2030-01-01", end: "2030-01-02"}\nresolution: 1h\n'
NO_GREEN = "green_export: {enabled: false}\n"


def market_inputs(folder: Path, import_steps: list[dict] = ()) -> Path:
    shape = [
        {"node": "M", "month": m, "hour": h, "factor": 1.5 if h < 12 else 0.25}
        for m in range(1, 13)
        for h in range(24)
    ]
    return write_inputs(
        folder,
        nodes=[{"node": "W"}, {"node": "M", "role": "market"}],
        demand=[{"node": "W", "demand_twh": 0.0}],
        fleet=[{"node": "W", "carrier": "OCGT", "p_nom_mw": 100.0, "efficiency": 0.5}],
        links=[
            {
                "link": "wm",
                "bus0": "W",
                "bus1": "M",
                "p_nom_mw": 100.0,
                "extendable": False,
                "p_nom_max_mw": 100.0,
            }
        ],
        markets=[
            {"node": "M", "step": 1, "price_eur_per_mwh": 80.0, "max_mw": 100.0},
            *import_steps,
        ],
        price_shape=shape,
        scenarios={
            "hourly": "name: hourly\n" + TWO_DAYS + NO_GREEN,
            "flat": "name: flat\nhourly_export_prices: false\n" + TWO_DAYS + NO_GREEN,
        },
    )


def test_market_buys_in_the_high_hours_only(tmp_path: Path) -> None:
    """Exports when 80 × 1.5 = 120 > 40 (12 h a day), none when 80 × 0.25 = 20 < 40:
    100 MW × 12 h × 2 days = 2,400 MWh, revenue 2,400 × 120 = 288,000 EUR, objective
    2,400 × (40 − 120) = −192,000 EUR."""
    folder = market_inputs(tmp_path / "in")
    res = run_scenario(load_scenario("hourly", folder), inputs_dir=folder, write=False)
    assert res.kpi("export_energy") == pytest.approx(2400e-6, rel=1e-6)
    assert res.kpi("export_revenue") == pytest.approx(288_000.0, rel=1e-6)
    assert res.kpi("green_export_energy") == 0.0  # M is not one of the green markets (EU, TR)
    assert res.kpi("objective") == pytest.approx(-192_000.0, rel=1e-6)


def test_flat_prices_buy_every_hour(tmp_path: Path) -> None:
    """Flat 80 > 40 in all 48 h: 4,800 MWh, revenue 384,000 EUR."""
    folder = market_inputs(tmp_path / "in")
    res = run_scenario(load_scenario("flat", folder), inputs_dir=folder, write=False)
    assert res.kpi("export_energy") == pytest.approx(4800e-6, rel=1e-6)
    assert res.kpi("export_revenue") == pytest.approx(384_000.0, rel=1e-6)


def test_import_step_sells_into_the_corridor(tmp_path: Path) -> None:
    """W now has 50 MW of demand; M also sells up to 30 MW at 10 EUR/MWh × the same shape
    (15 before noon, 2.5 after), cheaper than gas at 40 in every hour: 30 MW are imported
    every hour (1,440 MWh) over the same link, which then exports at most 70 MW in the high
    hours; gas makes the rest. Import cost 30 × 12 × 2 × (15 + 2.5) = 12,600 EUR."""
    folder = market_inputs(
        tmp_path / "in",
        [
            {
                "node": "M",
                "direction": "import",
                "step": 1,
                "price_eur_per_mwh": 10.0,
                "max_mw": 30.0,
            }
        ],
    )
    demand = folder / "demand.csv"
    demand.write_text(demand.read_text().replace("W,2030,2030,0.0", "W,2030,2030,0.438"))
    res = run_scenario(load_scenario("hourly", folder), inputs_dir=folder, write=False)
    assert res.kpi("import_energy") == pytest.approx(1440e-6, rel=1e-6)
    assert res.kpi("import_cost") == pytest.approx(12_600.0, rel=1e-6)
    caps = res.capacities.set_index(["node", "carrier"])
    assert ("M", "import") not in caps.index  # a market step is no power plant
