"""Published hydro output by month (``hydro_months.csv``), by hand.

One node A: a flat load of 1,000 MW (8.76 TWh), 1,000 MW of hydro on a flat profile of 0.5
(4.38 TWh a year) and an OCGT at 20 / 0.4 = 50 EUR/MWh. A row giving January 0.5 TWh of hydro
makes January's hydro availability 0.5e6 / 744 h / 1,000 MW = 0.672; the months without a row
keep 0.5. The January week (H = 168 h) then buys 1,000 − 672 MW from the OCGT.
"""

from __future__ import annotations

import pandas as pd
import pytest

from energy.data.inputs import load_inputs
from energy.model.supply import hydro_profile
from energy.validation.crosscheck import crosscheck
from energy.validation.detail import hydro_input_months
from tests.test_inputs import problems
from tests.test_trade_schedules import solve, week
from tests.test_two_node import H
from tests.tiny import HOURS, write_inputs

HYDRO_MW = 1000.0
GAS = 20.0 / 0.4
COLUMNS = ["node", "period", "first_month", "last_month", "hydro_twh", "source"]
JANUARY_PU = 0.5e6 / 744 / HYDRO_MW


def folder_with(tmp_path, rows: list[dict]):
    """Node A (flat load 8.76 TWh, hydro on a flat 0.5, an OCGT) and the given rows."""
    folder = write_inputs(
        tmp_path / "in",
        nodes=[{"node": "A"}],
        demand=[{"node": "A", "demand_twh": 8.76}],
        fleet=[
            {"node": "A", "carrier": "hydro", "p_nom_mw": HYDRO_MW},
            {"node": "A", "carrier": "OCGT", "p_nom_mw": 5000.0, "efficiency": 0.4},
        ],
        profiles={"hydro": {"A": [0.5] * 8760}},
    )
    rows = [{"node": "A", "period": "2030", "source": "test"} | r for r in rows]
    pd.DataFrame(rows, columns=COLUMNS).to_csv(folder / "hydro_months.csv", index=False)
    return folder


def availability(inputs) -> pd.Series:
    """Node A's hydro availability (per unit) over the profile year."""
    return hydro_profile(inputs, "2030", pd.Series({"A": HYDRO_MW}), HOURS)["A"]


def test_a_month_holds_its_published_output_and_the_others_keep_the_profile(tmp_path):
    inputs = load_inputs(
        folder_with(tmp_path, [{"first_month": 1, "last_month": 1, "hydro_twh": 0.5}])
    )
    pu = availability(inputs)
    january = pu.index.month == 1
    assert pu[january].to_numpy() == pytest.approx(JANUARY_PU)
    assert pu[~january].to_numpy() == pytest.approx(0.5)
    assert pu.sum() * HYDRO_MW == pytest.approx(0.5e6 + 0.5 * HYDRO_MW * (8760 - 744))


def test_ranges_covering_the_year_set_the_years_output(tmp_path):
    """January-June 1.0 TWh and July-December 3.0 TWh: 4.0 TWh a year instead of 4.38."""
    rows = [
        {"first_month": 1, "last_month": 6, "hydro_twh": 1.0},
        {"first_month": 7, "last_month": 12, "hydro_twh": 3.0},
    ]
    pu = availability(load_inputs(folder_with(tmp_path, rows)))
    first = pu.index.month <= 6
    hours = int(first.sum())  # 4,344 h in 2030's first half
    assert pu[first].to_numpy() == pytest.approx(1.0e6 / hours / HYDRO_MW)
    assert pu[~first].to_numpy() == pytest.approx(3.0e6 / (8760 - hours) / HYDRO_MW)
    assert hydro_input_months(load_inputs(folder_with(tmp_path, rows)), "2030") == {
        "A": set(range(1, 13))
    }


def test_the_january_week_buys_only_what_the_published_hydro_leaves(tmp_path):
    """The OCGT serves 1,000 − 672 MW for H hours; PyPSA and the Pyomo twin agree."""
    folder = folder_with(tmp_path, [{"first_month": 1, "last_month": 1, "hydro_twh": 0.5}])
    hand = GAS * (1000.0 - JANUARY_PU * HYDRO_MW) * H
    assert solve(folder, scheduled=False) == pytest.approx(hand, rel=1e-7)
    comparison = crosscheck(week(scheduled=False), inputs_dir=folder)
    assert comparison.value("objective EUR", "pyomo") == pytest.approx(hand, rel=1e-6)
    assert comparison.value("objective EUR", "pypsa") == pytest.approx(hand, rel=1e-6)
    assert hydro_input_months(load_inputs(folder), "2030") == {"A": {1}}


@pytest.mark.parametrize(
    ("rows", "row", "column", "says"),
    [
        ([{"node": "X"}], 2, "node", "unknown domestic node"),
        ([{"period": "2031"}], 2, "period", "unknown period"),
        ([{"first_month": 3, "last_month": 2}], 2, "first_month", "after last_month"),
        ([{"first_month": 1.5}], 2, "first_month", "not a whole month"),
        ([{"hydro_twh": -1}], 2, "hydro_twh", "outside the allowed range"),
        (
            [{"last_month": 3, "hydro_twh": 1.0}, {"first_month": 2, "last_month": 4}],
            3,
            "first_month",
            "overlaps the range before",
        ),
        ([{"period": "2035"}], 2, "node", "A has no existing hydro in period 2035"),
        ([{"hydro_twh": 0.8}], 2, "hydro_twh", "0.8 TWh is more than A's hydro gives"),
    ],
)
def test_bad_rows_are_named(tmp_path, rows, row, column, says):
    base = {"first_month": 1, "last_month": 1, "hydro_twh": 0.5}
    message = "\n".join(problems(folder_with(tmp_path, [base | r for r in rows])))
    assert f"hydro_months.csv, row {row}, column '{column}'" in message, message
    assert says in message, message


def test_no_table_leaves_the_profile_as_it_is(tmp_path):
    folder = folder_with(tmp_path, [])
    (folder / "hydro_months.csv").unlink()
    inputs = load_inputs(folder)
    assert availability(inputs).to_numpy() == pytest.approx(0.5)
    assert hydro_input_months(inputs, "2030") == {"A": set()}
