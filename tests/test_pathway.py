"""Multi-period pathway (2030 → 2035) on tiny cases whose answers follow by hand.

One node A with 100 MW of flat demand and 1,000 MW of existing OCGT at 10 EUR/MWh
(gas 4 EUR/MWh_th, efficiency 0.4). New wind (cf 1) saves 10 EUR/MWh × 8,760 h = 87,600 EUR
per MW and year; it costs crf(7 %, 25 a) × investment, 85.81 EUR/kW per 1,000 EUR/kW. Wind at
1,100 EUR/kW (94,392 EUR/MW/a) does not pay, at 900 EUR/kW (77,230) it does: the model builds
100 MW in the period whose cost pays and keeps it while it lives.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pypsa
import pytest

from energy.config.scenario import Scenario, parse_scenario
from energy.errors import InputError
from energy.model.pathway import period_weightings
from energy.model.pathway_rules import active
from energy.run.pipeline import prepare_inputs, run_scenario, solve
from tests.tiny import crf, write_inputs

WINDOW = {"start": "2030-01-01", "end": "2030-01-01"}  # one day, hourly
PERIODS = (2030, 2035)


def pathway_inputs(
    folder: Path,
    wind_cost: dict[str, float],
    links: list[dict] = (),
    markets: list[dict] = (),
    demand_mw: dict[str, float] | None = None,
    gas_price: float = 4.0,
    wind_profile: list[float] | None = None,
) -> Path:
    """Node A (and B if links are given) with flat demand (100 MW unless ``demand_mw`` says
    per period) in both periods; wind investment per period in cost_paths.csv; market nodes
    for the ``markets`` rows."""
    nodes = [{"node": "A"}] + ([{"node": "B"}] if links else [])
    demand_mw = demand_mw or {"2030": 100.0, "2035": 100.0}
    demand = [
        {
            "node": node,
            "period": period,
            "year": int(period),
            "demand_twh": demand_mw[period] * 8.76e-3,
            "peak_mw": demand_mw[period],
        }
        for node in [n["node"] for n in nodes]
        for period in ("2030", "2035")
    ]
    nodes += [{"node": m, "role": "market"} for m in dict.fromkeys(r["node"] for r in markets)]
    fleet = [
        {"node": "A", "carrier": "OCGT", "period": period, "p_nom_mw": 1000, "efficiency": 0.4}
        for period in ("2030", "2035")
    ]
    potentials = [{"node": "A", "carrier": "onwind", "potential_gw": 10, "cf_annual": 1.0}]
    if links:
        fleet += [
            {"node": "B", "carrier": "OCGT", "period": p, "p_nom_mw": 1000, "efficiency": 0.1}
            for p in ("2030", "2035")
        ]
    write_inputs(
        folder,
        nodes=nodes,
        demand=demand,
        fleet=fleet,
        potentials=potentials,
        links=links,
        markets=markets,
        fuels=[
            {
                "fuel": "gas",
                "country": "*",
                "price_eur_per_mwh_th": gas_price,
                "co2_t_per_mwh_th": 0,
            }
        ],
        profiles={"onwind": {"A": wind_profile or [1.0] * 8760}},
    )
    rows = [
        {"technology": "onwind", "parameter": "investment", "period": p, "value": v}
        for p, v in wind_cost.items()
    ]
    pd.DataFrame(rows).assign(unit="EUR/kW", source="test fixture").to_csv(
        folder / "cost_paths.csv", index=False
    )
    return folder


def scenario(**changes) -> Scenario:
    settings = {
        "name": "path",
        "resolution": "1h",
        "window": WINDOW,
        "expandable": ("onwind",),
        "green_export": {"enabled": False},
        "periods": PERIODS,
        "social_discount_rate": 0.02,
    }
    return Scenario(**(settings | changes))


def wind(results, period: int) -> float:
    caps = results.capacities
    row = caps[(caps["period"] == period) & (caps["carrier"] == "onwind")]
    return float(row["optimal_mw"].sum())


def test_numbers_of_the_set_up() -> None:
    assert crf(0.07, 25) * 1100e3 == pytest.approx(94_392, abs=1)
    assert crf(0.07, 25) * 900e3 == pytest.approx(77_230, abs=1)


def test_weightings_are_pypsa_style_discounted_years() -> None:
    w = period_weightings((2030, 2035, 2040), 0.02)
    assert list(w["years"]) == [5, 5, 5]
    assert w.at[2030, "objective"] == pytest.approx(sum(1.02**-k for k in range(5)))
    assert w.at[2035, "objective"] == pytest.approx(sum(1.02**-k for k in range(5, 10)))


def test_builds_late_when_it_is_cheaper_later(tmp_path: Path) -> None:
    folder = pathway_inputs(tmp_path, {"2030": 1100, "2035": 900})
    results = run_scenario(scenario(), inputs_dir=folder, write=False)
    assert wind(results, 2030) == pytest.approx(0, abs=1e-3)
    assert wind(results, 2035) == pytest.approx(100, rel=1e-6)


def test_capacity_built_early_is_carried_over(tmp_path: Path) -> None:
    folder = pathway_inputs(tmp_path, {"2030": 900, "2035": 1100})
    results = run_scenario(scenario(), inputs_dir=folder, write=False)
    assert wind(results, 2030) == pytest.approx(100, rel=1e-6)
    assert wind(results, 2035) == pytest.approx(100, rel=1e-6)  # the 2030 plant, not a new one
    # objective: 100 MW × annuity at 900 EUR/kW over both periods' discounted years, and the
    # fuel of nothing else (wind covers the flat 100 MW), for one day of each year
    w = period_weightings(PERIODS, 0.02)["objective"]
    capex = 100 * crf(0.07, 25) * 900e3 * 24 / 8760
    assert results.metadata["objective_eur"] == pytest.approx(capex * w.sum(), rel=1e-6)


def test_nothing_is_built_before_its_in_service_year(tmp_path: Path) -> None:
    # B burns gas at 40 EUR/MWh; a free link from A (OCGT at 10 EUR/MWh) pays at once,
    # but may only exist from 2035 on
    link = {"link": "ab", "bus0": "A", "bus1": "B", "length_km": 0, "in_service_year": 2033}
    folder = pathway_inputs(tmp_path, {"2030": 1100, "2035": 1100}, links=[link])
    results = run_scenario(scenario(), inputs_dir=folder, write=False)
    links = results.links.set_index(["period", "link"])["optimal_mw"]
    assert links[(2030, "ab")] == pytest.approx(0, abs=1e-6)
    assert links[(2035, "ab")] > 99


def test_an_existing_link_that_may_grow_keeps_its_capacity_once(tmp_path: Path) -> None:
    """ab exists with 60 MW and may grow to 150 MW; B's 100 MW are cheaper from A (10 vs 40
    EUR/MWh) over the free link, so it grows by 40 MW in 2030 and stays at 100 MW. The
    single-year model holds the 60 MW as the link's lower bound; copied per period, that
    bound would have been counted in every copy (3 × 60 MW within the 150 MW room: the
    real pathway was infeasible until the existing part was split off)."""
    link = {"link": "ab", "bus0": "A", "bus1": "B", "length_km": 0, "p_nom_mw": 60.0}
    link |= {"extendable": True, "p_nom_max_mw": 150.0, "in_service_year": 2020}
    folder = pathway_inputs(tmp_path, {"2030": 1100, "2035": 1100}, links=[link])
    results = run_scenario(scenario(), inputs_dir=folder, write=False)
    links = results.links.set_index(["period", "link"])["optimal_mw"]
    assert links[(2030, "ab")] == pytest.approx(100, rel=1e-6)
    assert links[(2035, "ab")] == pytest.approx(100, rel=1e-6)


def test_per_copy_link_rows_are_dropped_without_changing_the_optimum(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Copies of one corridor share its capacity row, so their own p ≤ p_nom rows go; the
    optimum (cost and capacity in service) is the one with the rows kept."""
    import energy.model.pathway_rules as pathway_rules

    link = {"link": "ab", "bus0": "A", "bus1": "B", "length_km": 0, "p_nom_mw": 60.0}
    link |= {"extendable": True, "p_nom_max_mw": 150.0, "in_service_year": 2020}
    folder = pathway_inputs(tmp_path, {"2030": 1100, "2035": 1100}, links=[link])
    dropped = run_scenario(scenario(), inputs_dir=folder, write=False)
    monkeypatch.setattr(pathway_rules, "drop_implied_copy_bounds", lambda n: None)
    kept = run_scenario(scenario(), inputs_dir=folder, write=False)
    assert dropped.metadata["objective_eur"] == pytest.approx(
        kept.metadata["objective_eur"], rel=1e-9
    )
    both = [r.links.set_index(["period", "link"])["optimal_mw"] for r in (dropped, kept)]
    pd.testing.assert_series_equal(both[0], both[1], atol=1e-6)
    assert dropped.metadata["solver"]["constraints"] < kept.metadata["solver"]["constraints"]


def without_shared_dispatch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give every copy its own dispatch again (the formulation before the sharing)."""
    import energy.model.pathway_rules as pathway_rules

    monkeypatch.setattr(pathway_rules, "share_dispatch", lambda n, component: None)
    monkeypatch.setattr(pathway_rules, "share_link_dispatch", lambda n: None)


def test_vintages_share_one_dispatch_bounded_by_the_capacity_in_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Demand grows from 100 to 150 MW; wind (cf 1, 900 EUR/kW) pays in both periods, so
    100 MW are built in 2030 and 50 MW more in 2035. The 2030 copy dispatches all 150 MW in
    2035 (the 2035 copy's dispatch is fixed at 0); the cost is the hand sum of both copies'
    annuities over the periods they serve, and the per-copy formulation agrees."""
    folder = pathway_inputs(
        tmp_path, {"2030": 900, "2035": 900}, demand_mw={"2030": 100.0, "2035": 150.0}
    )
    n, _, _ = solve(prepare_inputs(scenario(), folder), scenario(), None, False)
    built = n.generators.p_nom_opt
    assert built["A onwind new 2030"] == pytest.approx(100, rel=1e-6)
    assert built["A onwind new 2035"] == pytest.approx(50, rel=1e-6)
    w = period_weightings(PERIODS, 0.02)["objective"]
    annuity = crf(0.07, 25) * 900e3 * 24 / 8760
    capex = 100 * annuity * w.sum() + 50 * annuity * w[2035]
    assert n.objective == pytest.approx(capex, rel=1e-6)
    p = n.generators_t.p
    assert p.loc[2035, "A onwind new 2030"].to_numpy() == pytest.approx(150, rel=1e-6)
    assert p.loc[2035, "A onwind new 2035"].abs().max() == pytest.approx(0, abs=1e-6)
    without_shared_dispatch(monkeypatch)
    per_copy, _, _ = solve(prepare_inputs(scenario(), folder), scenario(), None, False)
    assert per_copy.objective == pytest.approx(capex, rel=1e-6)


def solve_battery_case(folder: Path, windy_hours: range) -> pypsa.Network:
    """Wind (900 EUR/kW, cf 1 in ``windy_hours`` of each day, else 0), new batteries, gas at
    50 EUR/MWh, demand 100 MW in 2030 and 150 MW in 2035: the solved network."""
    day = [float(h in windy_hours) for h in range(24)]
    pathway_inputs(
        folder,
        {"2030": 900, "2035": 900},
        demand_mw={"2030": 100.0, "2035": 150.0},
        gas_price=20.0,
        wind_profile=day * 365,
    )
    sc = scenario(expandable=("onwind", "battery"))
    n, _, _ = solve(prepare_inputs(sc, folder), sc, None, False)
    return n


def test_shared_battery_dispatch_has_the_per_copy_optimum(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Wind blows 12 h a day, gas costs 50 EUR/MWh: a battery pays, more of it when demand
    grows, so batteries of both build years are in service in 2035. One shared state of
    charge (bounded by 4 h × the capacity in service) has the optimum of one state of charge
    per copy, each store cycling within its period."""
    shared = solve_battery_case(tmp_path, windy_hours=range(0, 12))
    without_shared_dispatch(monkeypatch)
    per_copy = solve_battery_case(tmp_path, windy_hours=range(0, 12))
    built = shared.storage_units.p_nom_opt.filter(like="battery new")
    assert (built > 1).all(), built  # both build years are used: the case tests the sharing
    assert shared.objective == pytest.approx(per_copy.objective, rel=1e-7)
    in_service = [
        pd.Series(
            {
                p: (n.storage_units.p_nom_opt * active(n, "StorageUnit").loc[p]).sum()
                for p in PERIODS
            }
        )
        for n in (shared, per_copy)
    ]
    pd.testing.assert_series_equal(in_service[0], in_service[1], rtol=1e-5)
    soc = shared.storage_units_t.state_of_charge
    assert soc.loc[2035, "A battery new 2035"].abs().max() == pytest.approx(0, abs=1e-6)
    assert soc.loc[2035, "A battery new 2030"].max() > 0


def test_a_store_cycles_within_each_period(tmp_path: Path) -> None:
    """Wind blows in the last 12 hours of the day and demand grows from 100 to 150 MW, so a
    battery full at the end of 2030 would be worth most at the start of 2035. Each period's
    day stands for its own years: a store ends every period where it began it, so over each
    period charge × η_store − discharge / η_dispatch sums to 0 (cycling once over the whole
    horizon let 100 MWh move from 2030 into 2035)."""
    n = solve_battery_case(tmp_path, windy_hours=range(12, 24))
    units, flows = n.storage_units, n.storage_units_t
    assert units.p_nom_opt.sum() > 1  # the case has a battery to test
    net = flows.p_store * units.efficiency_store - flows.p_dispatch / units.efficiency_dispatch
    per_period = net.groupby(level="period").sum()
    assert per_period.abs().to_numpy().max() == pytest.approx(0, abs=1e-6)


def test_periods_out_of_order_are_an_input_error() -> None:
    with pytest.raises(InputError, match="periods"):
        parse_scenario({"name": "x", "periods": [2035, 2030]})


def test_in_service_year_after_the_last_period_is_an_input_error(tmp_path: Path) -> None:
    link = {"link": "ab", "bus0": "A", "bus1": "B", "length_km": 0, "in_service_year": 2038}
    folder = pathway_inputs(tmp_path, {"2030": 1100, "2035": 1100}, links=[link])
    with pytest.raises(InputError, match=r"links.csv, row 2, column 'in_service_year'"):
        run_scenario(scenario(), inputs_dir=folder, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_results_folder_and_report_show_the_build_out(tmp_path: Path) -> None:
    from energy.results.folder import load_results
    from energy.review.pathway import link_buildout, period_results
    from energy.review.report import report_html

    link = {"link": "ab", "bus0": "A", "bus1": "B", "length_km": 0, "in_service_year": 2033}
    folder = pathway_inputs(tmp_path / "inputs", {"2030": 1100, "2035": 900}, links=[link])
    run_scenario(scenario(), inputs_dir=folder, out=tmp_path / "out")
    results = load_results(tmp_path / "out")
    for table in ("kpis", "capacities", "links", "energy_balance", "costs"):
        assert list(results.tables[table]["period"].unique()) == [2030, 2035], table
    buildout = link_buildout(results)
    assert buildout.at["ab", 2030] == pytest.approx(0, abs=1e-6)
    assert buildout.at["ab", 2035] > 99
    later = period_results(results, 2035)
    assert "period" not in later.links.columns
    assert set(later.timeseries["link_corridor"].to_numpy()) == {"ab"}
    page = report_html(tmp_path / "out")
    assert "Build-out over time" in page and "Period 2035" in page
    # the build-out figure is drawn (the map and dispatch figures of a tiny case without
    # coordinates or markets are "not available" in single-year reports too)
    assert "Capacity in service per investment period: not available" not in page
    assert "Capacity in service per investment period" in page


PATH_SCENARIO = """name: path
resolution: 1h
window: {start: "2030-01-01", end: "2030-01-01"}
expandable: [onwind]
green_export: {enabled: false}
periods: [2030, 2035]
social_discount_rate: 0.02
"""
# one parameter of one period swept: the 2035 wind investment (cost_paths.csv row)
PATH_SWEEP = """name: late-wind
scenario: path
grid:
  overrides.cost_paths.onwind/investment/2035.value: [900, 1100]
"""


def test_sweep_over_a_per_period_parameter(tmp_path: Path) -> None:
    from energy.run.sweep import run_sweep

    folder = pathway_inputs(tmp_path / "inputs", {"2030": 1100, "2035": 900})
    (folder / "scenarios").mkdir()
    (folder / "scenarios" / "path.yaml").write_text(PATH_SCENARIO)
    (folder / "sweeps").mkdir()
    (folder / "sweeps" / "late-wind.yaml").write_text(PATH_SWEEP)
    report = run_sweep("late-wind", inputs_dir=folder, results_dir=tmp_path, progress=False)
    assert (report.solved, report.failed) == (2, 0)
    summary = pd.read_csv(tmp_path / "late-wind" / "summary.csv").set_index("value")
    # 2035 wind pays at 900 EUR/kW (77,230 < 87,600 EUR/MW/a), not at 1,100; 2030 never
    assert summary.at[900, "objective_2035_EUR"] < summary.at[1100, "objective_2035_EUR"]
    capacities = {
        v: pd.read_csv(next((tmp_path / "late-wind").glob(f"*{v}*/capacities.csv")))
        for v in (900, 1100)
    }
    wind = {
        v: c[(c["carrier"] == "onwind") & (c["period"] == 2035)]["optimal_mw"].sum()
        for v, c in capacities.items()
    }
    assert wind[900] == pytest.approx(100, rel=1e-6)
    assert wind[1100] == pytest.approx(0, abs=1e-3)


@pytest.mark.parametrize("resolution", ["3h", "mean:2h", "segments:4", "days:1"])
def test_every_resolution_option_gives_the_hand_answer(tmp_path: Path, resolution: str) -> None:
    # flat profiles: every aggregation keeps the one-node answer of the first case
    folder = pathway_inputs(tmp_path, {"2030": 1100, "2035": 900})
    window = {"start": "2030-01-01", "end": "2030-01-02"}
    results = run_scenario(
        scenario(resolution=resolution, window=window), inputs_dir=folder, write=False
    )
    assert wind(results, 2030) == pytest.approx(0, abs=1e-3)
    assert wind(results, 2035) == pytest.approx(100, rel=1e-6)
