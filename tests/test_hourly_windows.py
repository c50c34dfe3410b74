"""Rolling-horizon hourly check (issue 16): windows with overlap, state of charge handed on,
chains in parallel — the same operating cost as one hourly LP, within tolerance."""

from __future__ import annotations

import pytest

from energy.config.scenario import load_scenario
from energy.data.inputs import load_inputs
from energy.data.overrides import apply_overrides
from energy.model.network import build_network
from energy.model.solve import optimize
from energy.run.hourly_check import chains, hourly_check, windows


def test_windows_cover_every_hour_once_and_overlap() -> None:
    spans = windows(10, 4, 1)
    assert spans == [(0, 4, 5), (4, 8, 9), (8, 10, 10)]
    assert [len(c) for c in chains(spans, 2)] == [2, 1]
    assert chains(spans, 5) == [[s] for s in spans]


def test_windowed_check_equals_the_single_lp() -> None:
    """Base, six days at 3h; its hourly re-dispatch as one LP and as 48 h windows with 24 h of
    overlap, in one chain and in two parallel chains: operating cost within 0.1 %, and the
    battery (UZ, 4 GW existing) carried over the windows."""
    scenario = load_scenario("base", window={"start": "2030-04-01", "end": "2030-04-06"})
    inputs = apply_overrides(load_inputs(), scenario)
    plan = build_network(inputs, scenario)
    assert optimize(plan, scenario).optimal
    kpi = "hourly_check_operating_cost_hourly"
    single = hourly_check(inputs, scenario, plan, window_h=10_000).set_index("kpi")["value"]
    for workers in (1, 2):
        windowed = hourly_check(
            inputs, scenario, plan, window_h=48, overlap_h=24, workers=workers
        ).set_index("kpi")["value"]
        assert windowed[kpi] == pytest.approx(single[kpi], rel=1e-3)
        assert windowed["hourly_check_unserved_energy"] == pytest.approx(0.0, abs=1e-6)
        assert windowed["hourly_check_export_hourly"] == pytest.approx(
            single["hourly_check_export_hourly"], rel=1e-3
        )
