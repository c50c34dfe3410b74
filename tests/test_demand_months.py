"""Published demand by month (``demand_months.csv``), by hand.

One node with a flat load profile and 8.76 TWh a year (1,000 MW on average). A row giving
January 1.0 TWh makes January's load 1e6 / 744 MW; the other 8,016 hours share the remaining
7.76 TWh. The January week (H = 168 h) is served by an OCGT at 20 / 0.4 = 50 EUR/MWh.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from energy.data.inputs import load_inputs
from energy.errors import InputError
from energy.model.network import load_shape
from energy.validation.crosscheck import crosscheck
from tests.test_trade_schedules import solve, week
from tests.test_two_node import H
from tests.tiny import write_inputs

YEAR_TWH = 8.76
GAS = 20.0 / 0.4
COLUMNS = ["node", "period", "first_month", "last_month", "demand_twh", "source"]


def folder_with(tmp_path, rows: list[dict]):
    """One node A (flat load, 8.76 TWh, an OCGT) and the given demand_months rows."""
    folder = write_inputs(
        tmp_path / "in",
        nodes=[{"node": "A"}],
        demand=[{"node": "A", "demand_twh": YEAR_TWH}],
        fleet=[{"node": "A", "carrier": "OCGT", "p_nom_mw": 5000.0, "efficiency": 0.4}],
    )
    rows = [{"node": "A", "period": "2030", "source": "test"} | r for r in rows]
    pd.DataFrame(rows, columns=COLUMNS).to_csv(folder / "demand_months.csv", index=False)
    return folder


def mw(inputs) -> pd.Series:
    """Node A's load, MW, over the profile year."""
    return load_shape(inputs, "2030", pd.Series({"A": YEAR_TWH}))["A"] * YEAR_TWH * 1e6 / 8760


def test_a_month_holds_its_published_energy_and_the_rest_shares_the_year(tmp_path):
    inputs = load_inputs(
        folder_with(tmp_path, [{"first_month": 1, "last_month": 1, "demand_twh": 1.0}])
    )
    load = mw(inputs)
    january = load.index.month == 1
    assert load[january].to_numpy() == pytest.approx(1e6 / 744)
    assert load[~january].to_numpy() == pytest.approx((YEAR_TWH - 1.0) * 1e6 / (8760 - 744))
    assert load.sum() == pytest.approx(YEAR_TWH * 1e6)


def test_ranges_covering_the_year_set_every_month(tmp_path):
    """Two ranges, January-June and July-December, 3 and 5.76 TWh: the year's two halves."""
    rows = [
        {"first_month": 1, "last_month": 6, "demand_twh": 3.0},
        {"first_month": 7, "last_month": 12, "demand_twh": 5.76},
    ]
    load = mw(load_inputs(folder_with(tmp_path, rows)))
    first = load.index.month <= 6
    hours = int(first.sum())  # 4,344 h in 2030's first half
    assert load[first].to_numpy() == pytest.approx(3.0e6 / hours)
    assert load[~first].to_numpy() == pytest.approx(5.76e6 / (8760 - hours))


def test_the_january_week_is_served_at_the_published_level(tmp_path):
    """The OCGT serves 1e6 / 744 MW for H hours; PyPSA and the Pyomo twin agree."""
    folder = folder_with(tmp_path, [{"first_month": 1, "last_month": 1, "demand_twh": 1.0}])
    hand = GAS * 1e6 / 744 * H
    assert solve(folder, scheduled=False) == pytest.approx(hand, rel=1e-7)
    comparison = crosscheck(week(scheduled=False), inputs_dir=folder)
    assert comparison.value("objective EUR", "pyomo") == pytest.approx(hand, rel=1e-6)
    assert comparison.value("objective EUR", "pypsa") == pytest.approx(hand, rel=1e-6)


@pytest.mark.parametrize(
    ("rows", "row", "column", "says"),
    [
        ([{"node": "X"}], 2, "node", "unknown domestic node"),
        ([{"period": "2031"}], 2, "period", "unknown period"),
        ([{"first_month": 3, "last_month": 2}], 2, "first_month", "after last_month"),
        ([{"first_month": 1.5}], 2, "first_month", "not a whole month"),
        ([{"demand_twh": -1}], 2, "demand_twh", "outside the allowed range"),
        ([{}, {"first_month": 2, "last_month": 4}], 3, "first_month", "overlaps the range before"),
        ([{"demand_twh": 9.0}], 2, "demand_twh", "hold 9 TWh against 8.76 TWh a year"),
        (
            [{"last_month": 12, "demand_twh": 8.0}],
            2,
            "demand_twh",
            "hold 8 TWh against 8.76 TWh a year",
        ),
        ([{"period": "2035"}], 2, "node", "no annual demand for A in period 2035"),
    ],
)
def test_bad_rows_are_named(tmp_path, rows, row, column, says):
    base = {"first_month": 1, "last_month": 3, "demand_twh": 2.0}
    folder = folder_with(tmp_path, [base | r for r in rows])
    with pytest.raises(InputError) as err:
        load_inputs(folder)
    message = "\n".join(err.value.problems)
    assert f"demand_months.csv, row {row}, column '{column}'" in message, message
    assert says in message, message


def test_no_table_leaves_the_profile_as_it_is(tmp_path):
    folder = folder_with(tmp_path, [])
    (folder / "demand_months.csv").unlink()
    inputs = load_inputs(folder)
    assert mw(inputs).to_numpy() == pytest.approx(np.full(8760, YEAR_TWH * 1e6 / 8760))
