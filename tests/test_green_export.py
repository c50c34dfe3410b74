"""Green export along a contract path: hand-solvable three-node cases.

Node A (KZ) has cheap new wind (cf = 1), node B (AZ) a gas plant and 1,000 MW of load, market
EU buys up to 400 MW at 100 EUR/MWh over a fixed 500 MW link B→EU. Gas costs 40 EUR/MWh, so
exporting gas power would pay, but green matching forbids it; exports need wind from A,
which only counts if a link A→B carries it.
"""

from __future__ import annotations

import pytest

from energy.config.scenario import Scenario
from energy.run.pipeline import run_scenario
from tests.tiny import green_corridor_inputs

HOURS = 168
WINDOW = {"start": "2030-01-01", "end": "2030-01-07"}


def corridor(tmp_path, ab_max_mw: float, countries=("KZ", "AZ"), pool="additional", green=True):
    folder = green_corridor_inputs(tmp_path / "inputs", ab_max_mw)
    scenario = Scenario(
        name="green",
        resolution="1h",
        window=WINDOW,
        green_export={"enabled": green, "countries": countries, "pool": pool},
    )
    return run_scenario(scenario, write=False, inputs_dir=folder)


def test_wind_reaching_the_market_backs_the_full_export(tmp_path):
    """Wind at A costs (1645.7 + 1294.7)/168 ≈ 17.5 EUR/MWh delivered at B < 40 (gas), so A
    supplies B's 1,000 MW and the 400 MW export: link = 1,400 MW, export = 400 MW × 168 h."""
    results = corridor(tmp_path, ab_max_mw=1e5)
    assert results.kpi("export_energy") == pytest.approx(400 * HOURS * 1e-6, rel=1e-6)
    assert results.kpi("capacity_ab") == pytest.approx(1400.0, rel=1e-4)


def test_no_path_no_green_export(tmp_path):
    """Without a link A→B the wind at A cannot back anything sold at EU: exports are 0 even
    though exporting B's gas power (40 EUR/MWh) at 100 EUR/MWh would pay."""
    results = corridor(tmp_path, ab_max_mw=0.0)
    assert results.kpi("export_energy") == pytest.approx(0.0, abs=1e-9)


def test_without_the_rule_gas_power_is_exported(tmp_path):
    """Control: with green matching off the same network exports B's gas power (400 MW)."""
    results = corridor(tmp_path, ab_max_mw=0.0, green=False)
    assert results.kpi("export_energy") == pytest.approx(400 * HOURS * 1e-6, rel=1e-6)


def test_only_listed_countries_count(tmp_path):
    """Wind in KZ does not count when only AZ plants may back exports."""
    results = corridor(tmp_path, ab_max_mw=1e5, countries=("AZ",))
    assert results.kpi("export_energy") == pytest.approx(0.0, abs=1e-9)
