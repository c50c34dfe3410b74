"""Time aggregation keeps energy and storage right; the hourly check is exact for the identity."""

from __future__ import annotations

import numpy as np
import pytest

from energy.config.scenario import Scenario, load_scenario
from energy.data.inputs import load_inputs
from energy.data.overrides import apply_overrides
from energy.model.network import build_network
from energy.run.pipeline import run_scenario
from tests.tiny import write_inputs

FOUR_WEEKS = {"start": "2030-03-01", "end": "2030-03-28"}


@pytest.fixture(scope="module")
def inputs():
    return load_inputs()


def weighted_totals(n):
    w = n.snapshot_weightings["generators"]
    return (
        n.c.loads.dynamic["p_set"].mul(w, axis=0).sum(),
        n.c.generators.dynamic["p_max_pu"].mul(w, axis=0).sum(),
    )


@pytest.mark.parametrize("resolution", ["3h", "5h", "mean:4h", "days:7", "segments:50"])
def test_aggregation_preserves_energy_and_hours(inputs, resolution):
    """Weights sum to the window's hours; every load and availability series keeps its total,
    availabilities included (≤ 1: what the cap at 1.0 removes is spread over other hours)."""
    base_hourly = load_scenario("base", window=FOUR_WEEKS, resolution="1h")
    hourly = build_network(apply_overrides(inputs, base_hourly), base_hourly)
    scenario = load_scenario("base", window=FOUR_WEEKS, resolution=resolution)
    n = build_network(apply_overrides(inputs, scenario), scenario)
    assert len(n.snapshots) < len(hourly.snapshots)
    for column in ("objective", "generators"):
        assert n.snapshot_weightings[column].sum() == pytest.approx(28 * 24, rel=1e-12)
    load_h, cf_h = weighted_totals(hourly)
    load_a, cf_a = weighted_totals(n)
    np.testing.assert_allclose(load_a, load_h.reindex(load_a.index), rtol=1e-9)
    np.testing.assert_allclose(cf_a, cf_h.reindex(cf_a.index), rtol=1e-9, atol=1e-9)
    assert (n.c.generators.dynamic["p_max_pu"].to_numpy() <= 1.0).all()


def test_typical_days_keep_storage_advancing_hour_by_hour(inputs):
    scenario = load_scenario("base", window=FOUR_WEEKS, resolution="days:7")
    n = build_network(inputs, scenario)
    assert len(n.snapshots) == 7 * 24
    assert (n.snapshot_weightings["stores"] == 1.0).all()
    assert sorted(set(n.snapshot_weightings["objective"])) != [1.0]


def periodic_storage_case(tmp_path, resolution):
    """Wind 1.0 for 3 h, 0 for 3 h, repeating; constant 100 MW load, expensive gas: the
    battery shifts wind from the windy 3 h to the calm 3 h. Sampling every 3rd hour sees the
    same pattern (1, 0, 1, 0 …, each standing for 3 h), so the optimum must be identical."""
    pattern = np.tile([1.0, 1.0, 1.0, 0.0, 0.0, 0.0], 8760 // 6)
    folder = write_inputs(
        tmp_path / resolution.replace(":", "_"),
        nodes=[{"node": "A"}],
        demand=[{"node": "A", "demand_twh": 0.876}],
        fleet=[{"node": "A", "carrier": "OCGT", "p_nom_mw": 200, "efficiency": 0.25}],
        potentials=[{"node": "A", "carrier": "onwind", "potential_gw": 10, "cf_annual": 0.5}],
        profiles={"onwind": {"A": pattern}},
    )
    scenario = Scenario(
        name="periodic",
        resolution=resolution,
        green_export={"enabled": False},
        window={"start": "2030-01-01", "end": "2030-01-04"},
    )
    return run_scenario(scenario, write=False, inputs_dir=folder)


def test_storage_weighting_is_right_at_two_resolutions(tmp_path):
    hourly = periodic_storage_case(tmp_path, "1h")
    sampled = periodic_storage_case(tmp_path, "3h")
    assert sampled.kpi("objective") == pytest.approx(hourly.kpi("objective"), rel=1e-6)
    caps_h = hourly.capacities.set_index(["node", "carrier"])["optimal_mw"]
    caps_s = sampled.capacities.set_index(["node", "carrier"])["optimal_mw"]
    assert caps_h[("A", "battery")] > 10, "the case must use the battery"
    np.testing.assert_allclose(caps_s, caps_h.reindex(caps_s.index), rtol=1e-4, atol=1e-2)


@pytest.mark.slow
def test_hourly_check_of_an_hourly_plan_changes_nothing():
    scenario = load_scenario(
        "base", window={"start": "2030-07-01", "end": "2030-07-05"}, resolution="1h"
    )
    results = run_scenario(scenario, write=False, check_hourly=True)
    kpi = results.kpi
    assert abs(kpi("hourly_check_cost_difference_rel")) <= 1e-6
    assert kpi("hourly_check_unserved_energy") == pytest.approx(0.0, abs=1e-6)
    assert kpi("hourly_check_export_shortfall") == pytest.approx(0.0, abs=1e-6)
    assert kpi("hourly_check_export_hourly") == pytest.approx(kpi("export_energy"), rel=1e-6)


@pytest.mark.slow
def test_hourly_check_of_a_sampled_plan_reports_its_gaps():
    scenario = load_scenario(
        "base", window={"start": "2030-07-01", "end": "2030-07-05"}, resolution="4h"
    )
    results = run_scenario(scenario, write=False, check_hourly=True)
    kpi = results.kpi
    assert kpi("hourly_check_cost_difference") == pytest.approx(
        kpi("hourly_check_operating_cost_hourly") - kpi("hourly_check_operating_cost_planned"),
        rel=1e-9,
    )
    assert kpi("hourly_check_cost_difference") != 0.0, "a 4h plan cannot match every hour"
    assert kpi("hourly_check_unserved_energy") >= 0.0
    assert results.metadata["hourly_check"]["hourly_check_solve_s"] > 0
