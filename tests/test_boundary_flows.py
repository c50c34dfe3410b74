"""Fixed flows from neighbours outside the model (``boundary_flows.csv``), by hand.

One node A with a flat 1,000 MW load (8.76 TWh a year) and an OCGT at 20 / 0.4 = 50 EUR/MWh.
A row giving A 0.372 TWh from outside partner X in January delivers 0.372e6 / 744 = 500 MW in
every January hour, so over the January week (H = 168 h) the OCGT serves the other 500 MW.
Georgia-like: Russia's supply to Abkhazia crosses a border the model does not have.
"""

from __future__ import annotations

import pandas as pd
import pytest

from energy.data.inputs import load_inputs
from energy.run.pipeline import run_scenario
from energy.validation.backcast import net_imports
from energy.validation.crosscheck import crosscheck
from energy.validation.detail import flows_in
from tests import test_export_seasons as seasons
from tests.test_inputs import problems, reported
from tests.test_trade_schedules import solve, week
from tests.test_two_node import H
from tests.tiny import write_inputs

LOAD_MW, GAS = 1000.0, 20.0 / 0.4
JANUARY_TWH, JANUARY_MW = 0.372, 0.372e6 / 744
COLUMNS = ["node", "partner", "period", "first_month", "last_month", "import_twh", "source"]


def write_rows(folder, rows: list[dict]):
    """boundary_flows.csv of the given rows (A from X in January of 2030 unless they say)."""
    base = {"node": "A", "partner": "X", "period": "2030", "source": "test"}
    base |= {"first_month": 1, "last_month": 1, "import_twh": JANUARY_TWH}
    pd.DataFrame([base | r for r in rows], columns=COLUMNS).to_csv(
        folder / "boundary_flows.csv", index=False
    )
    return folder


def one_node(tmp_path, rows: list[dict]):
    """Node A (flat load, 8.76 TWh, an OCGT) with the given boundary rows."""
    folder = write_inputs(
        tmp_path / "in",
        nodes=[{"node": "A"}],
        demand=[{"node": "A", "demand_twh": LOAD_MW * 8760 / 1e6}],
        fleet=[{"node": "A", "carrier": "OCGT", "p_nom_mw": 5000.0, "efficiency": 0.4}],
    )
    return write_rows(folder, rows)


def test_the_fixed_inflow_serves_part_of_the_load(tmp_path):
    """The OCGT serves 1,000 − 500 MW in the January week; PyPSA and the Pyomo twin agree."""
    folder = one_node(tmp_path, [{}])
    hand = GAS * (LOAD_MW - JANUARY_MW) * H
    assert solve(folder, scheduled=False) == pytest.approx(hand, rel=1e-7)
    comparison = crosscheck(week(scheduled=False), inputs_dir=folder)
    assert comparison.value("objective EUR", "pyomo") == pytest.approx(hand, rel=1e-6)
    assert comparison.value("objective EUR", "pypsa") == pytest.approx(hand, rel=1e-6)


def test_the_inflow_is_reported_as_imports_not_as_demand_or_generation(tmp_path):
    """The energy balance closes with the inflow as its own row; demand stays the load; the
    backcast counts the inflow in A's imports from X and in its net imports."""
    results = run_scenario(week(scheduled=False), inputs_dir=one_node(tmp_path, [{}]), write=False)
    bal = results.energy_balance.set_index("carrier")["energy_twh"]
    inflow_twh = JANUARY_MW * H * 1e-6
    assert bal["boundary"] == pytest.approx(inflow_twh, rel=1e-7)
    assert bal["OCGT"] == pytest.approx((LOAD_MW - JANUARY_MW) * H * 1e-6, rel=1e-7)
    assert bal.sum() == pytest.approx(0.0, abs=1e-9)
    assert results.kpi("demand") == pytest.approx(LOAD_MW * H * 1e-6, rel=1e-7)
    assert results.kpi("boundary_import_energy") == pytest.approx(inflow_twh, rel=1e-7)
    ts = results.timeseries  # the load series is demand only; the inflow has its own
    assert float((ts["load"] * ts["weight"]).sum()) == pytest.approx(LOAD_MW * H, rel=1e-7)
    flow_mwh = float((ts["boundary_flow"] * ts["weight"]).sum())
    assert flow_mwh == pytest.approx(JANUARY_MW * H, rel=1e-7)
    assert list(ts["boundary_partner"].to_numpy()) == ["X"]
    inputs = load_inputs(one_node(tmp_path, [{}]))
    flows = flows_in(results, inputs, [1])
    row = flows[(flows["sender"] == "X") & (flows["receiver"] == "A")]
    assert float(row["received_twh"].sum()) == pytest.approx(inflow_twh, rel=1e-7)
    assert net_imports(results, inputs)["A"] == pytest.approx(inflow_twh, rel=1e-7)


def test_outside_its_months_the_flow_is_zero(tmp_path):
    """A February row leaves the January week to the OCGT alone."""
    folder = one_node(tmp_path, [{"first_month": 2, "last_month": 2}])
    assert solve(folder, scheduled=False) == pytest.approx(GAS * LOAD_MW * H, rel=1e-7)


def test_the_thermal_residual_counts_the_inflow(tmp_path):
    """Georgia's rule: in A's season its coal serves at most its load less its hydro and its
    fixed inflow. With 100 MW of hydro and 50 MW from X, A's coal fills 200 − 100 − 50 = 50 MW
    and the OCGTs at C and B serve their own loads."""
    folder = seasons.folder_with(tmp_path, [{"first_month": 1, "last_month": 6}], hydro_at_a=100.0)
    write_rows(folder, [{"import_twh": 50.0 * 744 / 1e6}])
    load = seasons.LOAD
    hand = seasons.COAL * 50.0 * H + seasons.GAS * (load["B"] + load["C"]) * H
    assert solve(folder) == pytest.approx(hand, rel=1e-7)
    comparison = crosscheck(week(), inputs_dir=folder)
    assert comparison.value("objective EUR", "pyomo") == pytest.approx(hand, rel=1e-6)


@pytest.mark.parametrize(
    ("rows", "row", "column", "says"),
    [
        ([{"node": "Y"}], 2, "node", "unknown domestic node"),
        ([{"period": "2031"}], 2, "period", "unknown period"),
        ([{"partner": ""}], 2, "partner", "empty, a value is required"),
        ([{"first_month": 3, "last_month": 2}], 2, "first_month", "after last_month"),
        ([{"import_twh": -1}], 2, "import_twh", "outside the allowed range"),
        ([{"last_month": 3}, {"first_month": 2, "last_month": 4}], 3, "first_month", "overlaps"),
    ],
)
def test_bad_rows_are_named(tmp_path, rows, row, column, says):
    folder = one_node(tmp_path, rows)
    reported(problems(folder), "boundary_flows.csv", row, column, says)


def test_two_partners_may_supply_the_same_months(tmp_path):
    """Overlap is per partner: X and Z in the same January are two flows."""
    folder = one_node(tmp_path, [{}, {"partner": "Z", "import_twh": JANUARY_TWH / 2}])
    hand = GAS * (LOAD_MW - 1.5 * JANUARY_MW) * H
    assert solve(folder, scheduled=False) == pytest.approx(hand, rel=1e-7)


def test_a_published_flow_over_the_fixed_border_is_shown_as_an_input(tmp_path):
    """A statistics row of A's January imports from X compares the fixed flow with itself:
    the backcast marks it ``input``, not a check; the same border with no fixed flow stays
    shown ('-')."""
    from energy.validation.backcast import judge
    from energy.validation.detail import detail_rows

    folder = one_node(tmp_path, [{}])
    results = run_scenario(week(scheduled=False), inputs_dir=folder, write=False)
    stats = pd.DataFrame(
        [
            {"partner": "X", "value": 0.084},
            {"partner": "Z", "value": 0.01},
        ]
    ).assign(country="A", carrier="imports", period="2030", year="2030", month="1")
    stats = stats.assign(unit="TWh", source="test", note="")
    stats.to_csv(tmp_path / "statistics.csv", index=False)
    table = judge(detail_rows(tmp_path / "statistics.csv", "2030", results, load_inputs(folder)))
    status = table.set_index("carrier")["status"]
    assert status["imports X"] == "input"
    assert status["imports Z"] == "-"
    inflow_twh = JANUARY_MW * H * 1e-6
    assert table.set_index("carrier").at["imports X", "model_twh"] == pytest.approx(inflow_twh)
